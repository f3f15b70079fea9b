// The VS Code workbench as a user sees it in the browser: the Explorer and its context menu, quick
// picks, notifications, the status bar and webview panels (nested iframes). Every method waits for
// what it needs on screen, with the named timeouts of constants.ts.
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { UI_TIMEOUT_MS, WORKBENCH_READY_TIMEOUT_MS } from './constants';

export class Workbench {
  constructor(readonly page: Page) {}

  /** Opens `folder` in the workbench at `baseUrl` and waits until the Explorer lists `expectFile`. */
  async open(baseUrl: string, folder: string, expectFile: string): Promise<void> {
    await this.page.goto(`${baseUrl}?folder=${encodeURIComponent(folder)}`);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: WORKBENCH_READY_TIMEOUT_MS });
    await this.explorerItem(expectFile).waitFor({ timeout: WORKBENCH_READY_TIMEOUT_MS });
  }

  explorerItem(name: string): Locator {
    return this.page.locator('.explorer-folders-view .explorer-item', { hasText: name });
  }

  /** Opens `name` in the editor by clicking it in the Explorer; waits for its tab. */
  async openFromExplorer(name: string): Promise<void> {
    await this.explorerItem(name).click();
    await this.editorTab(name).waitFor({ timeout: UI_TIMEOUT_MS });
  }

  editorTab(title: string): Locator {
    return this.page.locator('.tabs-container .tab', { hasText: title });
  }

  /** A button of the active editor's title bar, by its tooltip (e.g. a contributed command). */
  editorAction(title: string): Locator {
    return this.page.locator(`.editor-actions .action-label[aria-label^="${cssString(title)}"]`);
  }

  /**
   * Right-clicks `fileName` in the Explorer and chooses `title`. Menu items contributed by an
   * extension exist once the extension host has registered it: wait for that first (for
   * example with `editorAction`), since an open menu does not update.
   */
  async explorerContextCommand(fileName: string, title: string): Promise<void> {
    const menu = this.page.locator('.context-view .monaco-menu');
    await this.explorerItem(fileName).click({ button: 'right' });
    await menu.waitFor({ timeout: UI_TIMEOUT_MS });
    const item = menu.locator('.action-label', { hasText: title });
    if ((await item.count()) === 0) {
      const labels = (await menu.locator('.action-label').allTextContents()).filter((t) => t !== '');
      throw new Error(`"${title}" is not in the context menu of ${fileName}; it has: ${labels.join(' | ')}`);
    }
    await item.click();
    await menu.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
  }

  /** The quick input widget while it is shown. */
  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /**
   * Waits for a quick pick whose placeholder contains `placeholder`, then clicks the row whose
   * label is `label` (rows are named "<label>, <description>" for assistive technology).
   * Returns the placeholder actually shown, for assertions on what the step said.
   */
  async pickQuickItem(placeholder: string, label: string): Promise<string> {
    const input = this.quickInput.locator(`.quick-input-box input[placeholder*="${cssString(placeholder)}"]`);
    await input.waitFor({ timeout: UI_TIMEOUT_MS });
    const shown = (await input.getAttribute('placeholder')) ?? '';
    const row = this.quickInput.getByRole('option', { name: new RegExp(`^${escapeRegExp(label)}(,|$)`) });
    await row.first().click({ timeout: UI_TIMEOUT_MS });
    // The next step reuses the widget with another placeholder; the last one hides it.
    await input.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
    return shown;
  }

  /** A notification toast whose text contains `text`. */
  notification(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast', { hasText: text });
  }

  /** A status bar entry whose text contains `text`. */
  statusBarItem(text: string | RegExp): Locator {
    return this.page.locator('.part.statusbar .statusbar-item', { hasText: text });
  }

  /**
   * The content frame of the webview panel titled `title`, once its tab is shown: VS Code puts a
   * webview in an `iframe.webview` whose document holds the page itself in `iframe#active-frame`.
   * The frames do not carry the title, so this is the first webview: scenarios open one.
   */
  async webview(title: string): Promise<FrameLocator> {
    await this.editorTab(title).waitFor({ timeout: UI_TIMEOUT_MS });
    const outer = this.page.locator('iframe.webview.ready');
    await outer.first().waitFor({ timeout: UI_TIMEOUT_MS });
    return this.page.frameLocator('iframe.webview.ready').first().frameLocator('iframe#active-frame');
  }

  /** Runs a Command Palette command by its full title ("View: Close Primary Side Bar"). */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.quickInput.locator('.quick-input-box input');
    await input.waitFor({ timeout: UI_TIMEOUT_MS });
    await input.fill(`>${title}`);
    const row = this.quickInput.getByRole('option', { name: new RegExp(`^${escapeRegExp(title)}`) });
    await row.first().click({ timeout: UI_TIMEOUT_MS });
    await this.quickInput.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `text` inside a double-quoted CSS attribute selector. */
function cssString(text: string): string {
  return text.replace(/["\\]/g, '\\$&');
}
