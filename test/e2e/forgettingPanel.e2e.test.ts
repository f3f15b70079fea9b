// A user looks at what fine-tuning cost: a run fine-tuned from a model folder in the workspace
// (with its masked-LM head and probe.txt) has finished → Transfer Lab side bar → Runs view →
// right-click the run → "Open Forgetting" → the probe-loss chart against the base model's line,
// the weight-drift heat map, CKA bars and attention drift show the run's recorded values.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EXTENSION_READY_TIMEOUT_MS, TRAINING_TIMEOUT_MS, UI_TIMEOUT_MS, WORKBENCH_READY_TIMEOUT_MS } from './harness/constants';
import { openTransferLab, trainRun, treeContextCommand, treeRow, writeBaseModel } from './harness/finishedRun';
import { distinctColours, texts } from './harness/canvas';
import { scenario } from './harness/session';

const DATASET = 'tiny-sentiment.csv';
const MODEL = 'tiny-bert';
const EPOCHS = 2;
const SCENARIO_TIMEOUT_MS = 2 * WORKBENCH_READY_TIMEOUT_MS + EXTENSION_READY_TIMEOUT_MS + TRAINING_TIMEOUT_MS + 12 * UI_TIMEOUT_MS;

interface Forgetting {
  step: number;
  epoch: number;
  probeLoss: number;
  baseProbeLoss: number;
  weightDrift: { layer: string; drift: number }[];
  cka: { layer: string; cka: number }[];
  attentionDrift: { layer: string; head: number; js: number }[];
}


scenario({ name: 'forgetting-panel', trusted: true, timeoutMs: SCENARIO_TIMEOUT_MS }, async (session) => {
  const wb = session.workbench;
  const modelDir = join(session.workspace, MODEL);
  writeBaseModel(modelDir);
  const run = trainRun(session.workspace, DATASET, modelDir, ['--epochs', String(EPOCHS), '--lr', '5e-3']);
  const forgetting = run.events.filter((e) => e['type'] === 'forgetting') as unknown as Forgetting[];
  assert.equal(forgetting.length, EPOCHS, 'one forgetting evaluation per epoch in metrics.jsonl');

  await openTransferLab(wb);
  const row = treeRow(wb, 'Runs', run.runId);
  await row.waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  await treeContextCommand(wb, row, 'Open Forgetting');

  const panel = await wb.webview(`Forgetting: ${DATASET}`);
  const root = panel.locator(`main#app[data-evaluations="${EPOCHS}"]`);
  await root.waitFor({ timeout: UI_TIMEOUT_MS });
  assert.equal(((await panel.locator('.state-badge').textContent()) ?? '').trim(), 'completed');

  // Probe loss: the chart draws the recorded values, from the base model's loss at step 0.
  assert.equal(await root.getAttribute('data-probe-loss'), 'true');
  const columns = JSON.parse((await root.getAttribute('data-probe-columns')) ?? '[]') as [number[], number[], number[]];
  const base = forgetting[0]!.baseProbeLoss;
  assert.deepEqual(columns[0], [0, ...forgetting.map((e) => e.step)], 'x: step 0 (the base model), then each evaluation');
  assert.deepEqual(columns[1], [base, ...forgetting.map((e) => e.probeLoss)], 'the fine-tuned model’s probe loss');
  assert.deepEqual(columns[2], columns[0].map(() => base), 'the base model’s line');
  assert.ok(forgetting.every((e) => Number.isFinite(e.probeLoss) && e.probeLoss > 0), 'real losses, in nats');
  assert.equal(await panel.locator('.chart canvas').count(), 1, 'uPlot drew the chart');
  assert.equal(await panel.locator('.chart').getAttribute('data-points'), String(2 * (EPOCHS + 1)), 'both series have every point');

  // Weight drift: layers (rows) × evaluations (columns), painted.
  const driftCard = panel.locator('.card', { hasText: 'Weight drift' });
  assert.deepEqual(await texts(driftCard, '.row-label'), forgetting[0]!.weightDrift.map((d) => d.layer));
  assert.deepEqual(await texts(driftCard, '.col-label'), forgetting.map((e) => String(e.step)));
  assert.ok((await distinctColours(driftCard.locator('canvas.heat'))) >= 3, 'the drift heat map has values, not one flat colour');
  assert.match((await driftCard.locator('.card-legend').textContent()) ?? '', /^colour: 0 → \d/);

  // CKA per layer at the latest evaluation, then at the first.
  const latest = forgetting[forgetting.length - 1]!;
  const ckaCard = panel.locator('.card', { hasText: 'Representation similarity' });
  assert.deepEqual(await texts(ckaCard, '.bar-label'), latest.cka.map((c) => c.layer));
  assert.deepEqual(await texts(ckaCard, '.bar-value'), latest.cka.map((c) => c.cka.toFixed(3)));

  // Attention drift per layer × head.
  const attentionCard = panel.locator('.card', { hasText: 'Attention drift' });
  const heads = Math.max(...latest.attentionDrift.map((d) => d.head)) + 1;
  assert.deepEqual(await texts(attentionCard, '.col-label'), Array.from({ length: heads }, (_, h) => `H${h}`));
  assert.deepEqual(await texts(attentionCard, '.row-label'), [...new Set(latest.attentionDrift.map((d) => d.layer))]);
  assert.ok((await distinctColours(attentionCard.locator('canvas.heat'))) >= 3, 'the attention-drift heat map has values');

  await panel.locator('main#app').screenshot({ path: join(session.artifacts, 'forgetting-panel.png') });
  await session.screenshot('workbench-forgetting-panel.png');

  const first = forgetting[0]!;
  await panel.locator('select.step-select').selectOption(String(first.step));
  await ckaCard.locator('.card-legend', { hasText: `at step ${first.step}` }).waitFor({ timeout: UI_TIMEOUT_MS });
  assert.deepEqual(await texts(ckaCard, '.bar-value'), first.cka.map((c) => c.cka.toFixed(3)), 'CKA of the chosen evaluation');
});
