// The Training panel's CSV export and confusion-matrix table: known answers for the quoting,
// the rows of several runs, and the row-normalised shares with class names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellDescription, confusionSteps, confusionTable } from '../../webview/training/confusion';
import { CSV_COLUMNS, csvField, metricsCsv } from '../../webview/training/csv';
import { evalAt, step } from './trainingFixtures';

test('csvField quotes commas, quotes and line breaks (RFC 4180) and leaves missing values empty', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(0.1), '0.1');
  assert.equal(csvField(null), '');
  assert.equal(csvField(undefined), '');
  assert.equal(csvField(Number.NaN), '');
});

test('metricsCsv: a header, one row per run and step, eval values on their step, empty cells elsewhere', () => {
  const csv = metricsCsv([
    { runId: 'run-a', steps: [step(1, 0.8), step(2, 0.6)], evals: [evalAt(2, 0.65, { valAccuracy: 0.75, valMacroF1: 0.7 })] },
    { runId: 'run-b', steps: [step(1, 0.9, { gradNorm: undefined })], evals: [] },
  ], 0.5);
  const lines = csv.trimEnd().split('\n');
  assert.equal(lines[0], CSV_COLUMNS.join(','));
  assert.equal(lines.length, 4);
  // smoothed at weight 0.5: 0.8, then (0.5*0.4 + 0.5*0.6)/0.75 = 0.6666…
  const [a1, a2, b1] = lines.slice(1).map((l) => l.split(','));
  assert.deepEqual(a1, ['run-a', '1', '1', '1', '0.8', '0.8', '0.001', '1', '100', '', '', '']);
  assert.deepEqual(a2?.slice(0, 4), ['run-a', '2', '1', '2.5']);
  assert.ok(Math.abs(Number(a2?.[5]) - (0.5 * 0.4 + 0.5 * 0.6) / 0.75) < 1e-12);
  assert.deepEqual(a2?.slice(9), ['0.65', '0.75', '0.7']);
  assert.deepEqual(b1, ['run-b', '1', '1', '1', '0.9', '0.9', '0.001', '', '100', '', '', '']);
  assert.ok(csv.endsWith('\n'));
});

test('confusionTable: the latest evaluation with a matrix by default, a chosen step on request, shares per row', () => {
  const evals = [
    evalAt(5, 0.7, { confusion: [[3, 1], [2, 4]], confusionLabels: ['ham', 'spam'] }),
    evalAt(10, 0.5, { confusion: [[4, 0], [1, 5]], confusionLabels: ['ham', 'spam'] }),
    evalAt(15, 0.4), // an evaluation without a matrix (e.g. causal LM) is skipped
  ];
  assert.deepEqual(confusionSteps(evals), [5, 10]);
  const latest = confusionTable(evals, null);
  assert.equal(latest?.step, 10);
  assert.deepEqual(latest?.labels, ['ham', 'spam']);
  assert.deepEqual(latest?.rowTotals, [4, 6]);
  assert.deepEqual(latest?.shares, [[1, 0], [1 / 6, 5 / 6]]);
  assert.equal(latest?.correct, 9);
  assert.equal(latest?.total, 10);
  assert.equal(confusionTable(evals, 5)?.step, 5);
  assert.equal(confusionTable(evals, 99)?.step, 10, 'a step without a matrix falls back to the latest');
  assert.equal(confusionTable([evalAt(1, 0.3)], null), undefined);
  if (latest !== undefined) assert.equal(cellDescription(latest, 1, 0), 'true spam, predicted ham: 1 of 6 (16.7%)');
});

test('confusionTable: runs recorded before class names existed get "class i"; an empty row has zero shares', () => {
  const t = confusionTable([evalAt(1, 0.5, { confusion: [[0, 0], [1, 1]] })], null);
  assert.deepEqual(t?.labels, ['class 0', 'class 1']);
  assert.deepEqual(t?.shares, [[0, 0], [0.5, 0.5]]);
  const mismatch = confusionTable([evalAt(1, 0.5, { confusion: [[1]], confusionLabels: ['a', 'b'] })], null);
  assert.deepEqual(mismatch?.labels, ['class 0'], 'names that do not fit the matrix are not guessed at');
});
