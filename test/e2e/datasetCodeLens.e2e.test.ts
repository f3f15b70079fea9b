// A user opens tiny-sentiment.csv: the CodeLens on its first line says "60 rows · labels:
// negative 50% · positive 50% · Fine-tune…". Clicking it starts the wizard, whose "Edit as JSON"
// button opens tiny-sentiment.tlab.json (the full configuration, checked by the contributed
// schema). A configuration with a misspelt key is refused with the server's message naming the
// file; the real one runs from its "▶ Run this configuration" CodeLens to completion and is
// listed in the Runs view. A long copy of it is cancelled from its row in the Runs view while it
// trains.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXTENSION_READY_TIMEOUT_MS, TRAINING_TIMEOUT_MS, UI_TIMEOUT_MS, WORKBENCH_READY_TIMEOUT_MS } from './harness/constants';
import { treeContextCommand, treeRow } from './harness/finishedRun';
import { pickQuickRow, pressQuickButton, trainingPanel, waitForCompletedRun } from './harness/fineTuneFlow';
import { scenario } from './harness/session';

const DATASET = 'tiny-sentiment.csv';
const CONFIG = 'tiny-sentiment.tlab.json';
const BAD_CONFIG = 'typo.tlab.json';
const LONG_CONFIG = 'long.tlab.json';
const SCENARIO_TIMEOUT_MS = 2 * WORKBENCH_READY_TIMEOUT_MS + 2 * EXTENSION_READY_TIMEOUT_MS + TRAINING_TIMEOUT_MS + 20 * UI_TIMEOUT_MS;

scenario({ name: 'dataset-codelens', trusted: true, timeoutMs: SCENARIO_TIMEOUT_MS }, async (session) => {
  const wb = session.workbench;
  const lens = (text: string | RegExp) => wb.page.locator('.monaco-editor .codelens-decoration a', { hasText: text });

  // The lens summarises the file from the server's inspection.
  await wb.openFromExplorer(DATASET);
  const summary = lens(/rows · labels:/);
  await summary.waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  assert.equal(((await summary.textContent()) ?? '').trim(), '60 rows · labels: negative 50% · positive 50% · Fine-tune…');
  await session.screenshot('dataset-codelens.png');

  // Clicking it opens the wizard. Back returns to the task step, whose "Edit as JSON" button writes
  // and opens the configuration.
  await summary.click();
  const taskStep = wb.quickInput.locator('.quick-input-box input[placeholder*="Task for tiny-sentiment.csv"]');
  await pickQuickRow(wb, 'Task for tiny-sentiment.csv', /^Classify each text,/);
  await wb.quickInput.locator('.quick-input-box input[placeholder*="Text column of tiny-sentiment.csv"]').waitFor({ timeout: UI_TIMEOUT_MS });
  await wb.quickInput.locator('.quick-input-titlebar .action-label[aria-label^="Back"]').click({ timeout: UI_TIMEOUT_MS });
  await taskStep.waitFor({ timeout: UI_TIMEOUT_MS });
  await pressQuickButton(wb, 'Edit as JSON');
  await wb.editorTab(CONFIG).waitFor({ timeout: UI_TIMEOUT_MS });
  const file = join(session.workspace, CONFIG);
  assert.ok(existsSync(file), `${file} was written`);
  const written = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  assert.equal(written['dataset'], `./${DATASET}`, 'the dataset path is relative to the file');
  assert.equal(written['task'], 'sequence-classification');
  assert.equal(written['textColumn'], 'text');
  assert.equal(written['labelColumn'], 'label');
  assert.equal(written['strategy'], 'full', 'the recommendation for a fresh model');
  assert.equal(written['maxLength'], 16, 'the max length suggested from token lengths');
  for (const key of ['learningRate', 'lora', 'mitigations', 'seed', 'schedule']) assert.ok(key in written, `the full configuration has ${key}`);
  const runLens = lens('Run this configuration');
  await runLens.waitFor({ timeout: UI_TIMEOUT_MS });
  await session.screenshot('tlab-json.png');

  // A misspelt key: the server refuses it, and the message names the file and the known keys.
  writeFileSync(join(session.workspace, BAD_CONFIG), `${JSON.stringify({ dataset: `./${DATASET}`, epoch: 1 }, null, 2)}\n`);
  await wb.explorerItem(BAD_CONFIG).waitFor({ timeout: UI_TIMEOUT_MS });
  await wb.openFromExplorer(BAD_CONFIG);
  await lens('Run this configuration').waitFor({ timeout: UI_TIMEOUT_MS });
  await lens('Run this configuration').click();
  const refusal = wb.notification(/typo\.tlab\.json: Run configuration: unknown key "epoch"/);
  await refusal.waitFor({ timeout: UI_TIMEOUT_MS });
  assert.match((await refusal.textContent()) ?? '', /Known keys: .*epochs/);
  await session.screenshot('tlab-json-refused.png');

  // The real configuration runs to completion from its editor.
  await wb.editorTab(CONFIG).click();
  await lens('Run this configuration').click();
  const panel = await trainingPanel(wb, DATASET);
  await waitForCompletedRun(panel, TRAINING_TIMEOUT_MS);

  // …and is listed in the Runs view under its dataset.
  await wb.page.locator('.activitybar .action-item a[aria-label^="Transfer Lab"]').first().click();
  const runsView = wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: 'Runs' }) });
  await runsView.locator('.monaco-list-row', { hasText: DATASET }).waitFor({ timeout: UI_TIMEOUT_MS });
  await runsView.locator('.monaco-list-row', { hasText: /step \d+\/\d+ · loss/ }).first().waitFor({ timeout: UI_TIMEOUT_MS });
  const runJson = JSON.parse(readFileSync(join(session.workspace, '.transfer-lab', 'runs', readRunId(session.workspace), 'run.json'), 'utf8')) as { state: string; config: { maxLength: number; dataset: string } };
  assert.equal(runJson.state, 'completed');
  assert.equal(runJson.config.maxLength, 16, 'the run used the file’s settings');
  assert.equal(runJson.config.dataset, join(session.workspace, DATASET));
  await session.screenshot('tlab-json-run.png');

  // A long run from a copy of the configuration, cancelled from its row while it trains. The row
  // refreshes twice a second with its progress; the right-click must still reach the command with
  // its run (a whole-tree refresh used to drop it, and the command then asked which run to cancel).
  writeFileSync(join(session.workspace, LONG_CONFIG), `${JSON.stringify({ ...written, epochs: 1000 }, null, 2)}\n`);
  await wb.runCommand('View: Close All Editors'); // one editor, so one "Run this configuration" lens
  await wb.runCommand('View: Show Explorer');
  await wb.explorerItem(LONG_CONFIG).waitFor({ timeout: UI_TIMEOUT_MS });
  await wb.openFromExplorer(LONG_CONFIG);
  await lens('Run this configuration').waitFor({ timeout: UI_TIMEOUT_MS });
  await lens('Run this configuration').click();
  await wb.page.locator('.activitybar .action-item a[aria-label^="Transfer Lab"]').first().click();
  const training = runsView.locator('.monaco-list-row', { has: wb.page.locator('.codicon-sync'), hasText: /step \d+\/\d+ · loss/ }).first();
  await training.waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  const longRunId = ((await training.locator('.label-name').textContent()) ?? '').trim();
  await treeContextCommand(wb, training, 'Cancel Run');
  await wb.notification(`run ${longRunId} is cancelled`).waitFor({ timeout: UI_TIMEOUT_MS });
  assert.equal(await wb.quickInput.locator('.quick-input-box input[placeholder*="Run to cancel"]').isVisible(), false, 'the command got its run from the row');
  await treeRow(wb, 'Runs', longRunId).locator('.codicon-circle-slash').waitFor({ timeout: UI_TIMEOUT_MS });
  await session.screenshot('runs-view-cancelled.png');
});

/** The one run folder of the workspace. */
function readRunId(workspace: string): string {
  const runs = readdirSync(join(workspace, '.transfer-lab', 'runs'));
  assert.equal(runs.length, 1, `one run: ${runs.join(', ')}`);
  return runs[0] ?? '';
}
