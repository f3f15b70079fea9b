// Nearest-rank percentiles of token counts (server/datasets/tokenLengths.ts), against values
// worked out by hand: the p-th percentile of n sorted values is the ceil(p/100 · n)-th.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lengthStats } from '../../../server/datasets/tokenLengths';

test('percentiles of 1..20 are nearest-rank values', () => {
  const lengths = Array.from({ length: 20 }, (_, i) => 20 - i); // unsorted on purpose
  const s = lengthStats(lengths, 100);
  assert.deepEqual(s, { sampled: 20, rows: 100, mean: 10.5, p50: 10, p90: 18, p95: 19, p99: 20, max: 20 });
});

test('one value is every percentile; no values are zeros', () => {
  assert.deepEqual(lengthStats([7], 1), { sampled: 1, rows: 1, mean: 7, p50: 7, p90: 7, p95: 7, p99: 7, max: 7 });
  assert.deepEqual(lengthStats([], 0), { sampled: 0, rows: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 });
});
