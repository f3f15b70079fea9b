/**
 * A run stopped mid-way (cancelled after K steps, then marked interrupted, as a killed worker
 * leaves it) and resumed from its last checkpoint ends with the same weights, metrics and event
 * stream as the same run left alone: batch order and dropout depend only on (seed, epoch, step),
 * and checkpoints carry the AdamW moments, the phase and the early-stopping state.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricEvent } from '../../../server/protocol';
import { resumeRun } from '../../../server/finetune/resume';
import { UserError } from '../../../server/errors';
import { assertResumeEquivalent, runOnFixture, tempDir, testBackend, testHooks, tinyModelFolder } from './finetuneFixtures';

let folder = '';
before(async () => {
  await testBackend();
  folder = await tinyModelFolder('bert'); // dropout on: resuming must reproduce the masks too
});

const interruptAndResume = (config: Record<string, unknown>, cancelAfter: number, resumesFrom: number): Promise<void> =>
  assertResumeEquivalent({ model: folder, ...config }, cancelAfter, resumesFrom);

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
