/**
 * The confusion matrix of each evaluation, with its class names: known answers for the counting,
 * the names travelling with every task's matrix, and a real run whose eval events carry both
 * (the Training panel draws them as a table).
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricEvent } from '../../../server/protocol';
import { confusionMatrix, evalResult, labelledConfusion } from '../../../server/finetune/evaluate';
import { tokenMetrics } from '../../../server/tasks/metrics/tokenMetrics';
import { runOnFixture, tempDir, testBackend } from './finetuneFixtures';

before(testBackend);

type EvalEvent = Extract<MetricEvent, { type: 'eval' }>;

test('confusionMatrix counts (truth, prediction) pairs; out-of-range ids are skipped', () => {
  // truth:     0 0 1 1 1 2, predicted: 0 1 1 1 2 2, plus one unknown prediction (-1) and one unknown truth (7)
  const m = confusionMatrix([0, 1, 1, 1, 2, 2, -1, 0], [0, 0, 1, 1, 1, 2, 1, 7], 3);
  assert.deepEqual(m, [[1, 1, 0], [0, 2, 1], [0, 0, 1]]);
});

test('labelledConfusion names rows and columns in class-id order (a copy, not the caller\'s array)', () => {
  const labels = ['ham', 'spam'];
  const r = labelledConfusion([1, 1, 0], [1, 0, 0], labels);
  assert.deepEqual(r, { confusion: [[1, 1], [0, 1]], confusionLabels: ['ham', 'spam'] });
  assert.notEqual(r.confusionLabels, labels);
});

test('evalResult and tokenMetrics carry the class names with the matrix', () => {
  const ev = evalResult(1.2, Int32Array.from([0, 2, 2]), Int32Array.from([0, 1, 2]), ['a', 'b', 'c']);
  assert.deepEqual(ev.confusion, [[1, 0, 0], [0, 0, 1], [0, 0, 1]]);
  assert.deepEqual(ev.confusionLabels, ['a', 'b', 'c']);
  assert.ok(Math.abs(ev.loss - 0.4) < 1e-12);
  const tags = tokenMetrics([[0, 1], [1]], [[0, 0], [1]], ['O', 'B-PER']);
  assert.deepEqual(tags.confusion, [[1, 0], [1, 1]]);
  assert.deepEqual(tags.confusionLabels, ['O', 'B-PER']);
});

test('a fine-tuning run: every eval event has the matrix over the dataset\'s labels, one count per validation example', async () => {
  const run = await runOnFixture(tempDir('tl-confusion-'), { model: 'tiny', strategy: 'features', epochs: 2, batchSize: 8 });
  const evals = run.events.filter((e): e is EvalEvent => e.type === 'eval');
  assert.equal(evals.length, 2);
  const labels = run.record.result?.labels ?? [];
  assert.deepEqual([...labels].sort(), ['negative', 'positive']);
  for (const e of evals) {
    assert.deepEqual(e.confusionLabels, labels, `step ${e.step}: the class names in the model's label order`);
    const m = e.confusion ?? [];
    assert.equal(m.length, labels.length);
    const total = m.flat().reduce((a, b) => a + b, 0);
    assert.equal(total, run.record.result?.valExamples, 'every validation example counted once');
    const correct = m.reduce((n, row, i) => n + (row[i] ?? 0), 0);
    assert.ok(Math.abs(e.valAccuracy - correct / total) < 1e-12, 'accuracy is the diagonal share');
  }
});
