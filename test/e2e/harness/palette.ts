// Command Palette steps for commands that open their own quick inputs at once (Workbench.runCommand
// waits for the palette to close, which never happens when the command reuses the widget), and
// the input boxes those commands show. Each waits for what it needs on screen.
import { EXTENSION_READY_TIMEOUT_MS, UI_TIMEOUT_MS, WORKBENCH_READY_TIMEOUT_MS } from './constants';
import type { Workbench } from './workbench';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Runs the palette command titled `title` ("Transfer Lab: Fill Mask") without waiting for the
 * widget to hide. The palette lists a contributed command only once the extension host has
 * registered it: retry until then.
 */
export async function startCommand(wb: Workbench, title: string): Promise<void> {
  const deadline = Date.now() + EXTENSION_READY_TIMEOUT_MS;
  for (;;) {
    await wb.page.keyboard.press('F1');
    const input = wb.quickInput.locator('.quick-input-box input');
    await input.waitFor({ timeout: UI_TIMEOUT_MS });
    await input.fill(`>${title}`);
    const row = wb.quickInput.getByRole('option', { name: new RegExp(`^${escapeRegExp(title)}`) }).first();
    try {
      await row.click({ timeout: Math.min(UI_TIMEOUT_MS, Math.max(1000, deadline - Date.now())) });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await wb.page.keyboard.press('Escape');
    }
  }
}

/** Waits for the input box titled `title`, types `value` (when given) and accepts it with Enter. */
export async function answerInputBox(wb: Workbench, title: string, value?: string): Promise<void> {
  await wb.quickInput.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  const input = wb.quickInput.locator('.quick-input-box input');
  if (value !== undefined) await input.fill(value);
  await input.press('Enter');
  await wb.quickInput.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS }).catch(() => undefined);
}

/** Developer: Reload Window, then waits for the workbench to come back (panels restore after it). */
export async function reloadWindow(wb: Workbench): Promise<void> {
  await wb.page.keyboard.press('F1');
  await wb.quickInput.locator('.quick-input-box input').fill('>Developer: Reload Window');
  await wb.quickInput.getByRole('option', { name: /^Developer: Reload Window/ }).first().click({ timeout: UI_TIMEOUT_MS });
  await wb.page.locator('.monaco-workbench').waitFor({ timeout: WORKBENCH_READY_TIMEOUT_MS });
}
