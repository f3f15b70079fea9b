/**
 * Sweep planning and verdicts on synthetic cells: budget parsing and capping, the from-scratch
 * counterpart of a model folder, negative-transfer detection with its tolerance, and
 * the text table with failed and missing cells.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findNegativeTransfer, negativeTransferLine } from '../../../server/sweep/negativeTransfer';
import type { CellInit, SweepCell } from '../../../server/sweep/sweepCell';
import { parseBudgets, resolveBudgets, scratchModelFor, type Budget } from '../../../server/sweep/sweepPlan';
import { sweepTableLines } from '../../../server/sweep/sweepTable';

test('budgets parse from "100,300,all" and refuse anything else', () => {
  assert.deepEqual(parseBudgets('100, 300,ALL'), [100, 300, 'all']);
  assert.throws(() => parseBudgets('100,ten'), /"ten" is not a positive whole number/);
  assert.throws(() => parseBudgets('0'), /"0"/);
  assert.throws(() => parseBudgets(' , '), /at least one budget/);
});

test('budgets at or above the training set become "all", once, last; the rest ascend without duplicates', () => {
  assert.deepEqual(resolveBudgets([1000, 100, 'all', 300, 5000, 100], 800), [
    { budget: 100, limit: 100 }, { budget: 300, limit: 300 }, { budget: 'all', limit: 0 },
  ]);
  assert.deepEqual(resolveBudgets([50], 50), [{ budget: 'all', limit: 0 }]);
  assert.deepEqual(resolveBudgets([10, 20], 50), [{ budget: 10, limit: 10 }, { budget: 20, limit: 20 }]);
});

test('from scratch: the model folder itself with random weights, or the --scratch preset', () => {
  assert.deepEqual(scratchModelFor('/models/bert-wiki', undefined), {
    model: '/models/bert-wiki', fromScratch: true, reason: 'the same architecture and tokenizer with random weights (--from-scratch)',
  });
  assert.deepEqual(scratchModelFor('/models/bert-wiki', 'bert-mini'), { model: 'bert-mini', fromScratch: false, reason: '--scratch bert-mini' });
});

let n = 0;
function cell(budget: Budget, strategy: string, init: CellInit, acc: number | null): SweepCell {
  return {
    budget, trainExamples: budget === 'all' ? 900 : budget, strategy: init === 'baseline' ? 'tfidf-logreg' : strategy, init, model: init, state: acc === null ? 'failed' : 'completed',
    valAccuracy: acc, valMacroF1: acc, trainSeconds: 1, runDir: init === 'baseline' ? null : `/runs/${n++}`, message: acc === null ? 'out of memory' : null,
  };
}

test('negative transfer: pretrained below scratch or the baseline by more than 0.5 points; failed cells are never compared', () => {
  const cells = [
    cell(100, '', 'baseline', 0.80),
    cell(100, 'features', 'pretrained', 0.796), cell(100, 'features', 'scratch', 0.70), // 0.4 points below baseline: noise
    cell(100, 'full', 'pretrained', 0.75), cell(100, 'full', 'scratch', 0.78), // below both
    cell(100, 'lora', 'pretrained', null), cell(100, 'lora', 'scratch', 0.9), // failed pretrained: no verdict
    cell('all', '', 'baseline', null),
    cell('all', 'full', 'pretrained', 0.90), cell('all', 'full', 'scratch', 0.906), // 0.6 points: reported
  ];
  const found = findNegativeTransfer(cells);
  assert.deepEqual(found.map((f) => [f.budget, f.strategy, f.against, f.gapPoints]), [
    [100, 'full', 'scratch', 3], [100, 'full', 'baseline', 5], ['all', 'full', 'scratch', 0.6],
  ]);
  assert.equal(negativeTransferLine(found[0] ?? assert.fail()), 'negative transfer: budget 100, full: pretrained 75.0% < scratch 78.0% (−3.0 points)');
  assert.deepEqual(findNegativeTransfer(cells, 0.1), [], 'a 10-point tolerance hides them all');
});

test('the table: a row per budget, baseline first, failed and missing cells marked, warnings last', () => {
  const cells = [
    cell(100, '', 'baseline', 0.8), cell(100, 'full', 'pretrained', 0.75), cell(100, 'full', 'scratch', null),
    cell('all', '', 'baseline', 0.9),
  ];
  const lines = sweepTableLines(cells, ['full'], findNegativeTransfer(cells));
  assert.deepEqual(lines, [
    'budget  examples  tf-idf  full pretrained  full scratch',
    '100          100   80.0%            75.0%        failed',
    'all          900   90.0%                –             –',
    '',
    'failed: budget 100 · full · scratch: out of memory',
    '',
    'negative transfer: budget 100, full: pretrained 75.0% < baseline 80.0% (−5.0 points)',
  ]);
});
