/** Jensen–Shannon divergence in nats and its mean over attention rows, against literal values. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jensenShannon, MAX_JS_NATS, meanAttentionJs } from '../../../server/diagnostics/divergence';

const close = (actual: number, expected: number, tol = 1e-12): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}, got ${actual}`);

test('disjoint supports reach ln 2; equal rows give exactly 0', () => {
  close(jensenShannon([1, 0], [0, 1]), Math.LN2);
  assert.equal(MAX_JS_NATS, Math.LN2);
  assert.equal(jensenShannon([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]), 0);
});

test('JS([½, ½], [1, 0]) = ¾·ln(4/3), symmetric, rows renormalised', () => {
  // m = [¾, ¼]; KL(p‖m) = ½ln(⅔) + ½ln 2 = ½ln(4/3); KL(q‖m) = ln(4/3); JS = ½(½ + 1)·ln(4/3).
  close(jensenShannon([0.5, 0.5], [1, 0]), 0.75 * Math.log(4 / 3));
  close(jensenShannon([1, 0], [0.5, 0.5]), 0.75 * Math.log(4 / 3));
  close(jensenShannon([2, 2], [3, 0]), 0.75 * Math.log(4 / 3));
});

test('mean over the real rows of one head ignores padded rows and columns', () => {
  // T = 3, length 2. Row 0: disjoint (ln 2); row 1: equal (0); row 2 and column 2 are padding.
  const before = [1, 0, 0, /**/ 0.5, 0.5, 0, /**/ 0.3, 0.3, 0.4];
  const after = [0, 1, 0, /**/ 0.5, 0.5, 0.2, /**/ 1, 0, 0];
  close(meanAttentionJs(before, after, 3, 2), Math.LN2 / 2);
  close(meanAttentionJs(before, before, 3, 3), 0);
});

test('bad input is refused with the reason', () => {
  assert.throws(() => jensenShannon([1], [0.5, 0.5]), /length/);
  assert.throws(() => jensenShannon([-0.1, 1.1], [0.5, 0.5]), /non-negative/);
  assert.throws(() => jensenShannon([0, 0], [0.5, 0.5]), /no probability mass/);
  assert.throws(() => meanAttentionJs([1, 0, 0, 1], [1, 0, 0, 1], 2, 3), /length must be/);
  assert.throws(() => meanAttentionJs([1, 0, 0], [1, 0, 0, 1], 2, 2), /\[2, 2\]/);
});
