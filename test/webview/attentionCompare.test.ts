// Base vs fine-tuned attention and the panel's long-input helpers: token alignment, the
// difference map and its diverging colours, max-pooled thumbnails, the head view's lines and the
// layer-by-layer rollout cache. Known answers written out by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignMaps, alignTokens, differenceMatrix, divergingColor, maxAbs, signed } from '../../webview/attention/compare';
import { headLines } from '../../webview/attention/headLines';
import { decodeMaps, headOf, meanOf, rolloutOf, selectedMatrix } from '../../webview/attention/maps';
import { attentionRollout } from '../../webview/attention/rollout';
import { poolMatrix } from '../../webview/attention/pool';
import type { PanelAttentionMaps } from '../../webview/messages';

const close = (a: ArrayLike<number>, b: readonly number[], what: string): void => {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-6, `${what}[${i}]: ${a[i]} ≠ ${b[i]}`);
};

function maps(tokens: readonly string[], layers: number, heads: number, values: readonly number[]): PanelAttentionMaps {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return { layers, heads, queryTokens: tokens, keyTokens: tokens, data: bytes.toString('base64') };
}

test('alignTokens accepts identical tokenizations and names the first token that differs', () => {
  assert.deepEqual(alignTokens(['[CLS]', 'the', 'cat', '[SEP]'], ['[CLS]', 'the', 'cat', '[SEP]']), { ok: true });
  const split = alignTokens(['[CLS]', 'the', 'cat', '[SEP]'], ['[CLS]', 'the', 'ca', '##t', '[SEP]']);
  assert.equal(split.ok, false);
  assert.match(split.ok ? '' : split.reason, /token 2 is “cat” for the base model and “ca” for the fine-tuned one/);
  const longer = alignTokens(['a', 'b'], ['a', 'b', 'c']);
  assert.match(longer.ok ? '' : longer.reason, /base model makes 2 tokens of the text and the fine-tuned one 3/);
});

test('alignMaps also requires the same layers and heads', () => {
  const t = ['a', 'b'];
  assert.deepEqual(alignMaps(maps(t, 1, 1, [1, 0, 0, 1]), maps(t, 1, 1, [0, 1, 1, 0])), { ok: true });
  const r = alignMaps(maps(t, 2, 1, new Array(8).fill(0.5)), maps(t, 1, 2, new Array(8).fill(0.5)));
  assert.match(r.ok ? '' : r.reason, /2 layers × 1 heads and the fine-tuned one 1 × 2/);
});

test('differenceMatrix is fine-tuned − base, cell by cell', () => {
  close(differenceMatrix([0.7, 0.3, 0.1, 0.9], [0.5, 0.5, 0.4, 0.6]), [0.2, -0.2, -0.3, 0.3], 'difference');
  // Rows of both maps sum to 1, so each row of the difference sums to 0.
  const d = differenceMatrix([0.7, 0.3, 0.1, 0.9], [0.5, 0.5, 0.4, 0.6]);
  assert.ok(Math.abs(d[0]! + d[1]!) < 1e-6 && Math.abs(d[2]! + d[3]!) < 1e-6);
  assert.throws(() => differenceMatrix([1, 2], [1]), /2 fine-tuned values against 1 base values/);
  assert.equal(maxAbs([0.1, -0.3, 0.2]), 0.3);
  assert.equal(maxAbs([]), 0);
  assert.equal(signed(0.25, 2), '+0.25');
  assert.equal(signed(-0.25, 2), '−0.25');
});

test('divergingColor: blue below zero, near-white at zero, red above, clamped, symmetric limit', () => {
  assert.deepEqual(divergingColor(0, 1), [247, 247, 247]);
  assert.deepEqual(divergingColor(-1, 1), [5, 113, 176]);
  assert.deepEqual(divergingColor(1, 1), [202, 0, 32]);
  assert.deepEqual(divergingColor(5, 1), [202, 0, 32], 'clamped');
  assert.deepEqual(divergingColor(0.25, 0.5), [244, 165, 130], 'relative to the limit');
  assert.deepEqual(divergingColor(-0.25, 1), [197, 222, 235], 'halfway between the light blue and white anchors, rounded');
  assert.deepEqual(divergingColor(0.3, 0), [247, 247, 247], 'a zero limit (identical maps) is all "no change"');
  assert.deepEqual(divergingColor(Number.NaN, 1), [247, 247, 247]);
});

test('decodeMaps and selectedMatrix: one head, the mean, the rollout (cached layer by layer = attentionRollout)', () => {
  // Two layers, two heads, T = 2 (the values of attention.test.ts).
  const values = [1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0.5, 0.5, 0.5, 0.5];
  const d = decodeMaps(maps(['Ġthe', 'cat'], 2, 2, values), 'test', true);
  assert.deepEqual(d.rows, ['·the', 'cat']);
  close(headOf(d, 1, 1), [0.5, 0.5, 0.5, 0.5], 'L1H1');
  close(meanOf(d, 1), [0.75, 0.25, 0.25, 0.75], 'mean L1');
  close(selectedMatrix(d, { layer: 0, head: 1, mean: false, rollout: false }), [0, 1, 0, 1], 'head');
  close(selectedMatrix(d, { layer: 1, head: 0, mean: true, rollout: false }), [0.75, 0.25, 0.25, 0.75], 'mean');
  close(rolloutOf(d, 1), [0.6875, 0.3125, 0.3125, 0.6875], 'rollout through L1');
  assert.equal(d.rollouts.length, 2, 'both layers cached');
  close(rolloutOf(d, 1), Array.from(attentionRollout(new Float32Array(values), 2, 2, 2)), 'same as attentionRollout');
  const cross = decodeMaps(maps(['a', 'b'], 2, 2, values), 'cross', false);
  close(selectedMatrix(cross, { layer: 0, head: 0, mean: false, rollout: true }), [1, 0, 1, 0], 'no rollout of cross-attention');
  assert.throws(() => decodeMaps(maps(['a', 'b'], 2, 2, [1, 2, 3]), 'base encoder', true), /The base encoder maps hold 3 values, expected 16/);
});

test('poolMatrix keeps small maps and max-pools large ones by magnitude, sign kept', () => {
  const small = poolMatrix([1, 2, 3, 4], 2, 2, 4);
  assert.deepEqual([small.rows, small.cols, ...small.values], [2, 2, 1, 2, 3, 4]);
  // 4 × 4 → 2 × 2: each output is the largest-magnitude value of its 2 × 2 block.
  const m = [
    0.1, 0.2, 0.0, 0.0,
    0.0, 0.9, 0.3, -0.8,
    -0.5, 0.0, 0.1, 0.1,
    0.2, 0.4, 0.0, 0.2,
  ];
  const p = poolMatrix(m, 4, 4, 2);
  assert.deepEqual([p.rows, p.cols], [2, 2]);
  close(p.values, [0.9, -0.8, -0.5, 0.2], 'pooled');
  // 5 × 3 into 2 × 2: uneven blocks cover every cell once (rows 0–1 / 2–4, cols 0 / 1–2).
  const uneven = poolMatrix([1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 3, 0, 4, 0, 0], 5, 3, 2);
  close(uneven.values, [1, 2, 4, 3], 'uneven blocks');
});

test('headLines: every weight above the floor, or only the hovered token’s row or column', () => {
  const m = [0.7, 0.3, 0.005, 0.995];
  assert.deepEqual(headLines(m, 2, 2, null), [{ from: 0, to: 0, weight: m[0] }, { from: 0, to: 1, weight: m[1] }, { from: 1, to: 1, weight: m[3] }]);
  assert.deepEqual(headLines(m, 2, 2, { side: 'query', index: 0 }).map((l) => l.to), [0, 1]);
  assert.deepEqual(headLines(m, 2, 2, { side: 'key', index: 1 }).map((l) => l.from), [0, 1]);
  assert.deepEqual(headLines(m, 2, 2, { side: 'key', index: 0 }).map((l) => l.from), [0], 'the 0.005 line is below the floor');
  assert.equal(headLines(m, 2, 2, null, 0).length, 4);
});
