/**
 * A run stopped mid-way (cancelled after K steps, then marked interrupted, as a killed worker
 * leaves it) and resumed from its last checkpoint ends with the same weights, metrics and event
 * stream as the same run left alone: batch order and dropout depend only on (seed, epoch, step),
 * and checkpoints carry the AdamW moments, the phase and the early-stopping state.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricEvent } from '../../../server/protocol';
import { resumeRun } from '../../../server/finetune/resume';
import { readMetrics, RunWriter } from '../../../server/runs/runStore';
import { UserError } from '../../../server/errors';
import { runOnFixture, tempDir, testBackend, testHooks, tinyModelFolder } from './finetuneFixtures';

let folder = '';
before(async () => {
  await testBackend();
  folder = await tinyModelFolder('bert'); // dropout on: resuming must reproduce the masks too
});

/** What must match between the two runs: everything but timings. */
const comparable = (events: readonly MetricEvent[]) =>
  events.map((e) => (e.type === 'step' ? { type: e.type, step: e.step, epoch: e.epoch, loss: e.loss, lr: e.learningRate, gradNorm: e.gradNorm } : e.type === 'eval' ? { type: e.type, step: e.step, valLoss: e.valLoss, confusion: e.confusion } : { type: e.type, step: e.step, probeLoss: e.probeLoss, weightDrift: e.weightDrift }));

async function interruptAndResume(config: Record<string, unknown>, cancelAfter: number, resumesFrom: number): Promise<void> {
  const whole = await runOnFixture(tempDir('tl-whole-'), { model: folder, ...config });
  assert.equal(whole.record.state, 'completed', whole.record.message ?? '');
  const cut = await runOnFixture(tempDir('tl-cut-'), { model: folder, ...config }, { cancelAfter });
  assert.equal(cut.record.state, 'cancelled');
  await (await RunWriter.open(cut.runDir)).setState('interrupted', 'The training worker stopped unexpectedly.');

  const out = { events: [] as MetricEvent[], logs: [] as string[], stepTensors: [] };
  const resumed = await resumeRun(cut.runDir, await testBackend(), testHooks(cut.runDir, out));
  assert.equal(resumed.state, 'completed', resumed.message ?? '');
  assert.ok(out.logs.some((l) => l.includes(`from step ${resumesFrom}`)), out.logs.join('\n'));
  assert.equal(out.events.filter((e) => e.type === 'step')[0]?.step, resumesFrom + 1);

  const a = readFileSync(join(whole.runDir, 'final', 'model.safetensors'));
  const b = readFileSync(join(cut.runDir, 'final', 'model.safetensors'));
  assert.ok(a.equals(b), 'final weights differ from the uninterrupted run');
  assert.deepEqual(resumed.result, whole.record.result);
  assert.deepEqual(comparable(await readMetrics(cut.runDir)), comparable(whole.events));
}

test('gradual: interrupted in epoch 2 (a continue phase), resumed across a phase change', async () => {
  await interruptAndResume({ strategy: 'gradual', epochs: 3, evalEvery: 3 }, 11, 9);
});

test('lp-ft: interrupted in the fine-tuning phase (a fresh optimizer), resumed to the same result', async () => {
  await interruptAndResume({ strategy: 'lp-ft', epochs: 2, evalEvery: 3 }, 11, 9);
});

test('lora with gradient accumulation: interrupted mid-epoch, adapters and head restored', async () => {
  await interruptAndResume({ strategy: 'lora', epochs: 3, evalEvery: 2, batchSize: 4, gradAccumulation: 2 }, 5, 4);
});

test('features: interrupted and resumed', async () => {
  await interruptAndResume({ strategy: 'features', epochs: 6, evalEvery: 4 }, 13, 12);
});

test('a completed run cannot be resumed', async () => {
  const done = await runOnFixture(tempDir('tl-done-'), { model: folder, strategy: 'features', epochs: 1 });
  const out = { events: [] as MetricEvent[], logs: [] as string[], stepTensors: [] };
  await assert.rejects(resumeRun(done.runDir, await testBackend(), testHooks(done.runDir, out)), (e: unknown) => e instanceof UserError && /completed/.test(e.message));
});
