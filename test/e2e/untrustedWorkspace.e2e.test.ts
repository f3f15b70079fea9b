// A user opens a folder without trusting it (Restricted Mode) and asks to fine-tune: the command
// refuses with an explanation and a "Manage Workspace Trust" button, and nothing is trained.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EXTENSION_READY_TIMEOUT_MS, UI_TIMEOUT_MS, WORKBENCH_READY_TIMEOUT_MS } from './harness/constants';
import { scenario } from './harness/session';

const DATASET = 'tiny-sentiment.csv';
const FINE_TUNE = 'Fine-tune on this dataset…';
const MANAGE_TRUST = 'Manage Workspace Trust';
const SCENARIO_TIMEOUT_MS = 2 * WORKBENCH_READY_TIMEOUT_MS + EXTENSION_READY_TIMEOUT_MS + 10 * UI_TIMEOUT_MS;

scenario({ name: 'untrusted-workspace', trusted: false, timeoutMs: SCENARIO_TIMEOUT_MS }, async (session) => {
  const wb = session.workbench;
  const page = wb.page;
  // Trust is on and the startup prompt off: the new folder opens in Restricted Mode.
  await wb.statusBarItem('Restricted Mode').waitFor({ timeout: UI_TIMEOUT_MS });
  await page.locator('.monaco-workbench .banner', { hasText: 'Restricted Mode' }).waitFor({ timeout: UI_TIMEOUT_MS });

  // The command is still offered ("limited" support), so that it can say why it will not run.
  await wb.openFromExplorer(DATASET);
  await wb.editorAction(FINE_TUNE).waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  await wb.explorerContextCommand(DATASET, FINE_TUNE);

  const toast = wb.notification('Restricted Mode');
  await toast.waitFor({ timeout: UI_TIMEOUT_MS });
  const text = (await toast.locator('.notification-list-item-message').textContent()) ?? '';
  assert.match(text, /training and checkpoint loading are disabled in Restricted Mode/);
  const manage = toast.getByRole('button', { name: MANAGE_TRUST });
  await manage.waitFor({ timeout: UI_TIMEOUT_MS });
  assert.equal(await wb.quickInput.isVisible(), false, 'no wizard step was shown');
  await session.screenshot('refused-in-restricted-mode.png');

  // The button leads to the place where trust is granted.
  await manage.click();
  const trustEditor = page.locator('.workspace-trust-editor.untrusted');
  await trustEditor.locator('.workspace-trust-title-text', { hasText: 'You are in Restricted Mode' }).waitFor({ timeout: UI_TIMEOUT_MS });
  await trustEditor.getByRole('button', { name: 'Trust', exact: true }).waitFor({ timeout: UI_TIMEOUT_MS });
  await session.screenshot('manage-workspace-trust.png');

  assert.equal(existsSync(join(session.workspace, '.transfer-lab')), false, 'no run folder was created');
});
