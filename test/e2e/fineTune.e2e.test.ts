// A user fine-tunes from the Explorer: right-click tiny-sentiment.csv → "Fine-tune on this
// dataset…" → the wizard (task, text and label columns, base model, the recommended strategy,
// settings with the suggested max length) → the run trains in the real server → the Training panel
// shows both curves with data, the state badge says completed, the status bar names the backend.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXTENSION_READY_TIMEOUT_MS, TRAINING_TIMEOUT_MS, UI_TIMEOUT_MS, WORKBENCH_READY_TIMEOUT_MS } from './harness/constants';
import { chartPoints, fineTuneFromExplorer, headerValue, trainingPanel, waitForCompletedRun } from './harness/fineTuneFlow';
import { scenario } from './harness/session';

const DATASET = 'tiny-sentiment.csv';
const EPOCHS = 3;
/** Start (install, serve, load) + registration + wizard + training + checks and screenshot. */
const SCENARIO_TIMEOUT_MS = 2 * WORKBENCH_READY_TIMEOUT_MS + EXTENSION_READY_TIMEOUT_MS + TRAINING_TIMEOUT_MS + 10 * UI_TIMEOUT_MS;

scenario({ name: 'fine-tune-from-explorer', trusted: true, timeoutMs: SCENARIO_TIMEOUT_MS }, async (session) => {
  const wb = session.workbench;
  const steps = await fineTuneFromExplorer(wb, { dataset: DATASET, textColumn: 'text', labelColumn: 'label', model: 'tiny', epochs: EPOCHS, capture: (file) => session.screenshot(file) });
  assert.match(steps.textStep, /\(60 rows\)/, 'the text-column step names the row count');
  assert.match(steps.modelStep, /negative \d+%/, 'the model step shows the label distribution');
  assert.match(steps.modelStep, /positive \d+%/, 'the model step shows the label distribution');
  assert.match(steps.taskStep, /^Task for tiny-sentiment\.csv \(60 rows\)/);
  assert.match(steps.strategyStep, /^Strategy for 60 rows on fresh tiny/);
  assert.match(steps.strategies[0] ?? '', /^full, recommended/, `a fresh model trains every weight: ${steps.strategies.join(' | ')}`);
  assert.ok(steps.strategies.some((s) => /^lora, .*Low-rank adapters/.test(s)), 'each strategy with its rationale');
  assert.ok(steps.settings.some((s) => /^Max length: 16 tokens, suggested/.test(s)), `max length suggested from token lengths: ${steps.settings.join(' | ')}`);
  assert.ok(steps.settings.some((s) => /^Epochs: 3, set by you/.test(s)), steps.settings.join(' | '));

  const panel = await trainingPanel(wb, DATASET);
  await waitForCompletedRun(panel);

  // Curves with data: the charts report how many values they draw, and draw them on a canvas.
  const lossPoints = await chartPoints(panel, 'loss');
  const accuracyPoints = await chartPoints(panel, 'accuracy');
  assert.equal(accuracyPoints, EPOCHS * 2, 'one accuracy and one macro-F1 value per epoch');
  assert.ok(lossPoints > EPOCHS, `train loss per step and validation loss per epoch: ${lossPoints} values`);
  for (const chart of ['loss', 'accuracy']) {
    assert.equal(await panel.locator(`.chart[data-chart="${chart}"] canvas`).count(), 1, `the ${chart} chart has a canvas`);
  }

  // The header and the summary line.
  const step = await headerValue(panel, 'Step');
  assert.match(step, /^(\d+) \/ \1$/, `the step counter reached the total: ${step}`);
  assert.equal(await headerValue(panel, 'Epoch'), `${EPOCHS} / ${EPOCHS}`);
  assert.equal(await headerValue(panel, 'Model'), 'tiny');
  const summary = (await panel.locator('.summary').textContent()) ?? '';
  assert.match(summary, /Completed in \d+s · val accuracy \d+\.\d% · macro-F1 \d\.\d{3}/);

  // The status bar names the backend the panel reports.
  const backend = await headerValue(panel, 'Backend');
  assert.match(backend, /^(tensorflow-gpu|tensorflow|wasm|cpu)$/);
  await wb.statusBarItem(new RegExp(`^\\s*${backend}\\s*$`)).waitFor({ timeout: UI_TIMEOUT_MS });

  // And the run is on disk where the README says.
  const runsDir = join(session.workspace, '.transfer-lab', 'runs');
  const runs = readdirSync(runsDir);
  assert.equal(runs.length, 1, `one run folder in ${runsDir}`);
  const record: unknown = JSON.parse(readFileSync(join(runsDir, runs[0] ?? '', 'run.json'), 'utf8'));
  assert.equal(typeof record === 'object' && record !== null ? (record as Record<string, unknown>)['state'] : undefined, 'completed');
  assert.ok(existsSync(join(runsDir, runs[0] ?? '', 'metrics.jsonl')));

  await session.screenshot('workbench-training-panel.png');
  await panel.locator('main#app').screenshot({ path: join(session.artifacts, 'training-panel.png') });
});
