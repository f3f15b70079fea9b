// A user fine-tunes from the Explorer: right-click tiny-sentiment.csv → "Fine-tune on this
// dataset…" → the four wizard steps → the run trains in the real server → the Training panel
// shows both curves with data, the state badge says completed, the status bar names the backend.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import {
  EXTENSION_READY_TIMEOUT_MS,
  TRAINING_TIMEOUT_MS,
  UI_TIMEOUT_MS,
  WORKBENCH_READY_TIMEOUT_MS,
} from './harness/constants';
import { saveReadmeScreenshot } from './harness/readmeScreenshot';
import { scenario } from './harness/session';

const DATASET = 'tiny-sentiment.csv';
const FINE_TUNE = 'Fine-tune on this dataset…';
const PANEL_TITLE = `Training: ${DATASET}`;
const TERMINAL_STATES = ['completed', 'failed', 'cancelled', 'interrupted'];
/** Start (install, serve, load) + registration + wizard + training + checks and screenshots. */
const SCENARIO_TIMEOUT_MS = 2 * WORKBENCH_READY_TIMEOUT_MS + EXTENSION_READY_TIMEOUT_MS + TRAINING_TIMEOUT_MS + 10 * UI_TIMEOUT_MS;

scenario({ name: 'fine-tune-from-explorer', trusted: true, timeoutMs: SCENARIO_TIMEOUT_MS }, async (session) => {
  const wb = session.workbench;
  // The CSV open in the editor is what the panel opens beside; its title-bar button appearing
  // also says the extension's menus are registered, so the context menu will have our item.
  await wb.openFromExplorer(DATASET);
  await wb.editorAction(FINE_TUNE).waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  await wb.explorerContextCommand(DATASET, FINE_TUNE);

  const textStep = await wb.pickQuickItem(`Text column of ${DATASET}`, 'text');
  assert.match(textStep, /\(60 rows\)/, 'the text-column step names the row count');
  await wb.pickQuickItem(`Label column of ${DATASET}`, 'label');
  const modelStep = await wb.pickQuickItem('Base model', 'tiny');
  assert.match(modelStep, /negative \d+%/, 'the model step shows the label distribution');
  assert.match(modelStep, /positive \d+%/, 'the model step shows the label distribution');
  await wb.pickQuickItem('Passes over the training split', '3 epochs');

  const panel = await wb.webview(PANEL_TITLE);
  const badge = panel.locator(TERMINAL_STATES.map((s) => `.state-badge.state-${s}`).join(', '));
  await badge.waitFor({ timeout: TRAINING_TIMEOUT_MS });
  const state = await badge.textContent();
  const problem = (await panel.locator('.error-box:not([hidden])').count()) > 0 ? await panel.locator('.error-box').textContent() : '';
  assert.equal(state, 'completed', `the run ended "${state ?? ''}": ${problem ?? ''}`);

  // Curves with data: the charts report how many values they draw, and draw on a canvas.
  for (const chart of ['loss', 'accuracy']) {
    const container = panel.locator(`.chart[data-chart="${chart}"]`);
    const points = Number(await container.getAttribute('data-points'));
    assert.ok(points > 0, `the ${chart} chart has ${points} points`);
    assert.equal(await container.locator('canvas').count(), 1, `the ${chart} chart has a canvas`);
  }
  const lossPoints = Number(await panel.locator('.chart[data-chart="loss"]').getAttribute('data-points'));
  const accuracyPoints = Number(await panel.locator('.chart[data-chart="accuracy"]').getAttribute('data-points'));
  // 3 epochs: one evaluation each (accuracy and macro-F1), and a train-loss value per step.
  assert.equal(accuracyPoints, 3 * 2, 'one accuracy and one macro-F1 value per epoch');
  assert.ok(lossPoints > accuracyPoints, `train and validation loss: ${lossPoints} values`);

  const summary = await panel.locator('.summary').textContent();
  assert.match(summary ?? '', /Completed in .*val accuracy \d+(\.\d)?%.*macro-F1 \d\.\d{3}/);
  const step = await metaValue(panel, 'Step');
  assert.match(step, /^(\d+) \/ \1$/, `the header's step counter reached the total: ${step}`);
  const epoch = await metaValue(panel, 'Epoch');
  assert.equal(epoch, '3 / 3');

  // The status bar names the backend the panel reports.
  const backend = await metaValue(panel, 'Backend');
  assert.match(backend, /^(tensorflow-gpu|tensorflow|wasm|cpu)$/);
  await wb.statusBarItem(new RegExp(`^\\s*${backend}\\s*$`)).waitFor({ timeout: UI_TIMEOUT_MS });

  // And the run is on disk where the README says.
  const runsDir = join(session.workspace, '.transfer-lab', 'runs');
  const runs = readdirSync(runsDir);
  assert.equal(runs.length, 1);
  const record: unknown = JSON.parse(readFileSync(join(runsDir, runs[0]!, 'run.json'), 'utf8'));
  assert.equal((record as { state?: unknown }).state, 'completed');
  assert.ok(existsSync(join(runsDir, runs[0]!, 'metrics.jsonl')));

  await session.screenshot('workbench-training-panel.png');
  if (process.env['TRANSFER_LAB_E2E_README_SCREENSHOT'] === '1') await saveReadmeScreenshot(session);
});

/** The value of a "label value" pair in the panel's header (Model, Backend, Step, Epoch). */
async function metaValue(panel: FrameLocator, label: string): Promise<string> {
  const item = panel.locator('.meta-item', { has: panel.locator('.meta-label', { hasText: label }) });
  return ((await item.locator('.meta-value').textContent()) ?? '').trim();
}
