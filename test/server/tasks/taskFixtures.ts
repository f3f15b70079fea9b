/**
 * Fixture files and checks shared by the task tests: the tagged, pair and text-to-text datasets
 * under test/fixtures/datasets, train-loss summaries and the flat-tensor check of a run.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tf } from '../../../server/backend/tf';
import type { MetricEvent } from '../../../server/protocol';
import { ROOT, type RunOutcome } from '../finetune/finetuneFixtures';

const DATASETS = join(ROOT, 'test', 'fixtures', 'datasets');
export const NER_CONLL = join(DATASETS, 'tiny-ner.conll');
export const NER_JSONL = join(DATASETS, 'tiny-ner.jsonl');
export const PAIRS_CSV = join(DATASETS, 'tiny-pairs.csv');
export const T5_CSV = join(DATASETS, 'tiny-t5.csv');
export const SENTIMENT_CSV = join(DATASETS, 'tiny-sentiment.csv');

export type EvalEvent = Extract<MetricEvent, { type: 'eval' }>;

export const stepLosses = (events: readonly MetricEvent[]): number[] => events.flatMap((e) => (e.type === 'step' ? [e.loss] : []));
export const evalEvents = (events: readonly MetricEvent[]): EvalEvent[] => events.filter((e): e is EvalEvent => e.type === 'eval');

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** The mean train loss of the last `n` steps is below `factor` × that of the first `n`. */
export function assertLossFalls(run: RunOutcome, n: number, factor: number): void {
  assert.equal(run.record.state, 'completed', run.record.message ?? '');
  const losses = stepLosses(run.events);
  assert.ok(losses.length >= 2 * n, `only ${losses.length} steps`);
  const [first, last] = [mean(losses.slice(0, n)), mean(losses.slice(-n))];
  assert.ok(last < factor * first, `train loss ${first.toFixed(4)} → ${last.toFixed(4)} did not fall below ${factor} ×`);
}

/** Live tensors are the same at every step event, and back to `before` once the run is over. */
export function assertFlatTensors(run: RunOutcome, before: number): void {
  const counts = new Set(run.stepTensors.map((s) => s.count));
  assert.equal(counts.size, 1, `live tensors varied between steps: ${[...counts].join(', ')}`);
  assert.equal(tf.memory().numTensors, before, 'tensors leaked by the run');
}
