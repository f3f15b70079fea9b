// The README's picture (docs/training-panel.png): the Training panel of a completed run beside
// the CSV, dark theme, without the side bar, bottom panel or toasts. Written only when asked
// (TRANSFER_LAB_E2E_README_SCREENSHOT=1, `npm run e2e:screenshot`), since the file is committed.
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, UI_TIMEOUT_MS } from './constants';
import type { E2ESession } from './session';

export const README_SCREENSHOT = join(REPO_ROOT, 'docs', 'training-panel.png');
/** The README loads it on every view: keep it small. */
const MAX_BYTES = 300 * 1024;

export async function saveReadmeScreenshot(session: E2ESession): Promise<void> {
  const wb = session.workbench;
  await wb.runCommand('View: Close Primary Side Bar');
  await wb.page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  await wb.runCommand('Notifications: Clear All Notifications');
  await wb.page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
  // No hover effects or tooltips: park the pointer on the title bar.
  await wb.page.mouse.move(700, 5);
  mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
  await wb.page.screenshot({ path: README_SCREENSHOT });
  const { size } = statSync(README_SCREENSHOT);
  assert.ok(size <= MAX_BYTES, `${README_SCREENSHOT} is ${Math.round(size / 1024)} KB (limit ${MAX_BYTES / 1024} KB)`);
}
