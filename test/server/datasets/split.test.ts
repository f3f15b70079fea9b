// Tests of the stratified train/validation split and subsampling: coverage, class shares,
// minimum one per class, and determinism by seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stratifiedSplit, stratifiedSubsample } from '../../../server/datasets/split';

/** 4827 zeros and 747 ones interleaved, like sms_spam.csv. */
const sms = Array.from({ length: 5574 }, (_, i) => (i % 7 === 3 && i < 747 * 7 ? 1 : 0));

function count(labels: readonly number[], indices: readonly number[], label: number): number {
  return indices.filter((i) => labels[i] === label).length;
}

test('split: disjoint, covering everything, sorted', () => {
  const { train, val } = stratifiedSplit(sms, 0.1, 42);
  assert.equal(train.length + val.length, sms.length);
  const all = new Set([...train, ...val]);
  assert.equal(all.size, sms.length);
  assert.deepEqual([...train].sort((a, b) => a - b), train);
  assert.deepEqual([...val].sort((a, b) => a - b), val);
});

test('split: class shares preserved', () => {
  assert.equal(count(sms, Array.from(sms.keys()), 1), 747);
  const { train, val } = stratifiedSplit(sms, 0.1, 42);
  assert.equal(count(sms, val, 1), Math.round(0.1 * 747));
  assert.equal(count(sms, val, 0), Math.round(0.1 * 4827));
  assert.equal(count(sms, train, 1), 747 - 75);
});

test('split: deterministic for a seed, different across seeds', () => {
  const a = stratifiedSplit(sms, 0.2, 7);
  const b = stratifiedSplit(sms, 0.2, 7);
  const c = stratifiedSplit(sms, 0.2, 8);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.val, c.val);
});

test('split: at least one per class with 2+ rows; singletons stay in train', () => {
  const labels = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2];
  const { train, val } = stratifiedSplit(labels, 0.1, 1);
  assert.equal(count(labels, val, 0), 1);
  assert.equal(count(labels, val, 1), 1);
  assert.equal(count(labels, val, 2), 0);
  assert.equal(count(labels, train, 1), 1);
  assert.equal(count(labels, train, 2), 1);
});

test('split: valFraction 0 holds out nothing; out-of-range fractions throw', () => {
  const { train, val } = stratifiedSplit([0, 1, 0, 1], 0, 3);
  assert.deepEqual(val, []);
  assert.deepEqual(train, [0, 1, 2, 3]);
  assert.throws(() => stratifiedSplit([0, 1], 1, 3), RangeError);
  assert.throws(() => stratifiedSplit([0, 1], -0.1, 3), RangeError);
});

test('subsample: n rows keeping class shares, deterministic', () => {
  const picked = stratifiedSubsample(sms, 1000, 5);
  assert.equal(picked.length, 1000);
  assert.equal(new Set(picked).size, 1000);
  const ones = count(sms, picked, 1);
  assert.ok(Math.abs(ones - (1000 * 747) / 5574) <= 1, `spam share kept (${ones})`);
  assert.deepEqual(stratifiedSubsample(sms, 1000, 5), picked);
  assert.notDeepEqual(stratifiedSubsample(sms, 1000, 6), picked);
});

test('subsample: at least one per class, and everything when n covers all', () => {
  const labels = [...Array<number>(98).fill(0), 1, 2];
  const picked = stratifiedSubsample(labels, 10, 0);
  assert.equal(picked.length, 10);
  assert.equal(count(labels, picked, 1), 1);
  assert.equal(count(labels, picked, 2), 1);
  assert.equal(count(labels, picked, 0), 8);
  assert.deepEqual(stratifiedSubsample([1, 0, 1], 5, 0), [0, 1, 2]);
  assert.equal(stratifiedSubsample([0, 1, 2, 3], 2, 0).length, 4); // one per class beats n
});
