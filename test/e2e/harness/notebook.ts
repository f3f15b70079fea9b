// Notebook steps shared by the notebook scenarios: open an .ipynb as a notebook, find the webview
// (panel or cell outputs) that shows something, click a context-menu item, find a tab's group.
import type { FrameLocator, Page } from 'playwright-core';
import { EXTENSION_READY_TIMEOUT_MS, UI_TIMEOUT_MS } from './constants';
import type { Workbench } from './workbench';

/** Poll interval while looking for the webview that shows something (frames come and go without an event to await). */
const FRAME_POLL_MS = 250;
/** Tries at clicking a context-menu item. */
const MENU_CLICKS = 4;

/**
 * Opens a notebook from the Explorer. Until the built-in Jupyter serializer is registered an
 * .ipynb opens as JSON text: then close it and try again.
 */
export async function openNotebook(wb: Workbench, name: string): Promise<void> {
  const deadline = Date.now() + EXTENSION_READY_TIMEOUT_MS;
  for (;;) {
    await wb.openFromExplorer(name);
    try {
      // Rows of rendered markdown count as hidden (their content is in the outputs' webview).
      await wb.page.locator('.notebook-editor .monaco-list-row').first().waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS / 2 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await wb.runCommand('View: Close All Editors');
    }
  }
}

/**
 * The content frame of the webview (panel or notebook outputs) that holds `selector`: every
 * webview is an `iframe.webview` whose document holds the page in `iframe#active-frame`.
 */
export async function webviewWith(page: Page, selector: string, timeoutMs: number): Promise<FrameLocator> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const count = await page.locator('iframe.webview.ready').count();
    for (let i = 0; i < count; i++) {
      const frame = page.frameLocator('iframe.webview.ready').nth(i).frameLocator('iframe#active-frame');
      if ((await frame.locator(selector).count()) > 0) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no webview shows ${selector}`);
    await page.waitForTimeout(FRAME_POLL_MS);
  }
}

/** Clicks `title` in the context menu that `open` opens. */
export async function contextCommand(page: Page, open: () => Promise<void>, title: string): Promise<void> {
  await open();
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor({ timeout: UI_TIMEOUT_MS });
  const item = menu.locator('.action-label', { hasText: title });
  if ((await item.count()) === 0) throw new Error(`"${title}" is not in the menu: ${(await menu.locator('.action-label').allTextContents()).filter((t) => t !== '').join(' | ')}`);
  // A menu can drop a click that comes right after it opened: click until it closes.
  for (let i = 0; i < MENU_CLICKS; i++) {
    await item.first().click();
    try {
      await menu.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS / MENU_CLICKS });
      return;
    } catch {
      // still open: the click was dropped
    }
  }
  throw new Error(`clicking "${title}" did not close the menu`);
}

/** The editor group (left to right) whose tabs include `title`. */
export async function groupOf(page: Page, title: string): Promise<number> {
  const groups = page.locator('.editor-group-container');
  for (let i = 0; i < (await groups.count()); i++) {
    if ((await groups.nth(i).locator('.tab', { hasText: title }).count()) > 0) return i;
  }
  return -1;
}
