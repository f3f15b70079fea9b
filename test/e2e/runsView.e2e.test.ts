// A user manages runs in the Runs view: a finished run is listed under its dataset with its state
// icon and "completed · step · loss · acc" from run.json; right-click → "Export Report…" saves
// report.html where the Save dialog says, "Export Hugging Face Folder…" copies final/ into the
// chosen folder, and "Delete Run…" asks first (Cancel keeps the run) and then deletes its folder.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { EXTENSION_READY_TIMEOUT_MS, TRAINING_TIMEOUT_MS, UI_TIMEOUT_MS, WORKBENCH_READY_TIMEOUT_MS } from './harness/constants';
import { acceptFileDialog, openTransferLab, trainRun, treeContextCommand, treeRow, viewPane } from './harness/finishedRun';
import { scenario } from './harness/session';

const DATASET = 'tiny-sentiment.csv';
const SCENARIO_TIMEOUT_MS = 2 * WORKBENCH_READY_TIMEOUT_MS + EXTENSION_READY_TIMEOUT_MS + TRAINING_TIMEOUT_MS + 16 * UI_TIMEOUT_MS;

/** What runDescription (extension/views/runsView.ts) writes, from run.json's numbers. */
function expectedDescription(record: Record<string, unknown>): string {
  const loss = record['lastLoss'] as number;
  const accuracy = record['lastValAccuracy'] as number;
  return `completed · step ${String(record['lastStep'])}/${String(record['totalSteps'])} · loss ${loss < 0.01 ? loss.toPrecision(2) : loss.toFixed(2)} · acc ${Math.round(accuracy * 100)}%`;
}

scenario({ name: 'runs-view', trusted: true, timeoutMs: SCENARIO_TIMEOUT_MS }, async (session) => {
  const wb = session.workbench;
  const run = trainRun(session.workspace, DATASET, 'tiny', ['--epochs', '1']);

  await openTransferLab(wb);
  const runs = viewPane(wb, 'Runs');
  await runs.locator('.monaco-list-row', { hasText: DATASET }).first().waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  const row = treeRow(wb, 'Runs', run.runId);
  await row.waitFor({ timeout: UI_TIMEOUT_MS });
  assert.equal(((await row.locator('.label-description').textContent()) ?? '').trim(), expectedDescription(run.record));
  assert.equal(await row.locator('.codicon-pass').count(), 1, 'the completed state icon');
  assert.equal(await row.getAttribute('aria-level'), '2', 'grouped under its dataset');
  await session.screenshot('runs-view.png');

  // Export Report…: the Save dialog proposes <run id>-report.html in the workspace; accept it.
  await treeContextCommand(wb, row, 'Export Report…');
  await acceptFileDialog(wb, new RegExp(`/${basename(session.workspace)}/${run.runId}-report\\.html$`));
  await wb.notification(`exported the report of ${run.runId}`).waitFor({ timeout: UI_TIMEOUT_MS });
  const exported = join(session.workspace, `${run.runId}-report.html`);
  assert.ok(existsSync(exported), `${exported} was written`);
  assert.equal(readFileSync(exported, 'utf8'), readFileSync(join(run.runDir, 'report.html'), 'utf8'), 'the run’s report.html, unchanged');

  // Export Hugging Face Folder…: the folder dialog opens on the workspace; "Export Here".
  await treeContextCommand(wb, row, 'Export Hugging Face Folder…');
  await acceptFileDialog(wb, new RegExp(`/${basename(session.workspace)}/?$`), 'Export Here');
  await wb.notification(`exported the Hugging Face model folder of ${run.runId}`).waitFor({ timeout: UI_TIMEOUT_MS });
  const modelCopy = join(session.workspace, `${run.runId}-model`);
  for (const file of ['config.json', 'model.safetensors', 'tokenizer.json']) {
    assert.deepEqual(readFileSync(join(modelCopy, file)), readFileSync(join(run.runDir, 'final', file)), `${file} copied`);
  }
  await wb.runCommand('Notifications: Clear All Notifications');

  // Delete Run…: a modal confirmation; Cancel keeps everything.
  const dialog = wb.page.locator('.monaco-dialog-box');
  await treeContextCommand(wb, row, 'Delete Run…');
  await dialog.waitFor({ timeout: UI_TIMEOUT_MS });
  assert.match((await dialog.textContent()) ?? '', new RegExp(`Delete run ${run.runId}\\?.*cannot be undone`, 's'));
  await session.screenshot('delete-confirmation.png');
  await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
  assert.ok(existsSync(run.runDir), 'Cancel keeps the run folder');
  await row.waitFor({ timeout: UI_TIMEOUT_MS });

  // …and Delete removes the folder and the row; the view shows its welcome text again.
  await treeContextCommand(wb, row, 'Delete Run…');
  await dialog.locator('.monaco-button', { hasText: /^Delete$/ }).click();
  await row.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
  assert.ok(!existsSync(run.runDir), 'the run folder is gone');
  await runs.locator('.welcome-view-content', { hasText: 'No runs yet' }).waitFor({ timeout: UI_TIMEOUT_MS });
  await session.screenshot('runs-view-after-delete.png');
});
