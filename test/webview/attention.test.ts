// The Attention panel's pure logic: attention rollout (Abnar & Zuidema 2020), the heat maps'
// colour ramp, base64 float32 decoding and the display of tokenizer word markers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maxOf, rampColor } from '../../webview/attention/colorScale';
import { decodeFloat32 } from '../../webview/attention/decode';
import { attentionRollout, headMatrix, meanOverHeads } from '../../webview/attention/rollout';
import { displayToken } from '../../webview/attention/tokens';

const close = (a: ArrayLike<number>, b: readonly number[], what: string): void => {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-6, `${what}[${i}]: ${a[i]} ≠ ${b[i]}`);
};

// Two layers, two heads, T = 2, rows summing to 1. Layer 0: head 0 = [[1,0],[1,0]], head 1 = [[0,1],[0,1]];
// layer 1: head 0 = identity, head 1 = [[0.5,0.5],[0.5,0.5]].
const MAPS = new Float32Array([1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0.5, 0.5, 0.5, 0.5]);

test('headMatrix and meanOverHeads pick and average [T, T] maps', () => {
  close(headMatrix(MAPS, 2, 2, 1, 1), [0.5, 0.5, 0.5, 0.5], 'L1H1');
  close(meanOverHeads(MAPS, 2, 2, 0), [0.5, 0.5, 0.5, 0.5], 'mean L0');
  close(meanOverHeads(MAPS, 2, 2, 1), [0.75, 0.25, 0.25, 0.75], 'mean L1');
});

test('attentionRollout: heads averaged, identity added, rows renormalised, layers multiplied (hand-computed)', () => {
  // Ã0 = norm([[.5,.5],[.5,.5]] + I) = [[.75,.25],[.25,.75]]; Ã1 = norm([[.75,.25],[.25,.75]] + I) = [[.875,.125],[.125,.875]].
  close(attentionRollout(MAPS, 2, 2, 2, 0), [0.75, 0.25, 0.25, 0.75], 'rollout to L0');
  // Ã1 · Ã0 = [[.875*.75+.125*.25, .875*.25+.125*.75], …] = [[.6875,.3125],[.3125,.6875]]
  const r = attentionRollout(MAPS, 2, 2, 2);
  close(r, [0.6875, 0.3125, 0.3125, 0.6875], 'rollout');
  for (let i = 0; i < 2; i++) assert.ok(Math.abs(r[i * 2]! + r[i * 2 + 1]! - 1) < 1e-6, 'rows of the rollout sum to 1');
});

test('attentionRollout of one layer of uniform attention over T = 3', () => {
  const third = 1 / 3;
  const maps = new Float32Array(9).fill(third);
  // (1/3 + 1) / 2 on the diagonal, (1/3) / 2 elsewhere
  close(attentionRollout(maps, 1, 1, 3), [2 / 3, 1 / 6, 1 / 6, 1 / 6, 2 / 3, 1 / 6, 1 / 6, 1 / 6, 2 / 3], 'rollout');
});

test('attentionRollout refuses a buffer of the wrong size with the expected shape', () => {
  assert.throws(() => attentionRollout(new Float32Array(7), 1, 2, 2), /expected 1×2×2×2 values, got 7/);
});

test('rampColor runs from viridis purple to yellow and clamps', () => {
  assert.deepEqual(rampColor(0), [68, 1, 84]);
  assert.deepEqual(rampColor(1), [253, 231, 37]);
  assert.deepEqual(rampColor(0.5), [33, 145, 140]);
  assert.deepEqual(rampColor(0.125), [64, 42, 112]); // halfway between the first two anchors, rounded
  assert.deepEqual(rampColor(2), [253, 231, 37]);
  assert.deepEqual(rampColor(-1), [68, 1, 84]);
  assert.deepEqual(rampColor(Number.NaN), [68, 1, 84]);
  assert.deepEqual(rampColor(0.2, 0.4), [33, 145, 140], 'value relative to the maximum');
  assert.equal(maxOf([0.1, 0.7, 0.3]), 0.7);
  assert.equal(maxOf([]), 0);
});

test('decodeFloat32 reads little-endian float32 from base64', () => {
  const values = [0, 1, -2.5, 0.1];
  const bytes = Buffer.alloc(16);
  values.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  close(decodeFloat32(bytes.toString('base64')), values, 'decoded');
  // Known bytes: 1.0f is 00 00 80 3f little-endian.
  close(decodeFloat32('AACAPw=='), [1], '1.0f');
  assert.throws(() => decodeFloat32('AAAA'), /3 bytes is not a whole number/);
});

test('displayToken makes byte-level BPE and SentencePiece word markers visible', () => {
  assert.equal(displayToken('Ġthe'), '·the');
  assert.equal(displayToken('▁cat'), '·cat');
  assert.equal(displayToken('Ċ'), '↵');
  assert.equal(displayToken('##ing'), '##ing');
  assert.equal(displayToken('[CLS]'), '[CLS]');
});
