// The notebook renderer's validation of attention payloads (webview/renderer/attention.ts) and the
// message it shows for a bad payload of either MIME type (webview/renderer/mime.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapOf, MAX_TOKENS, parseAttention } from '../../webview/renderer/attention';
import { parseCurves } from '../../webview/renderer/curves';
import { ATTENTION_MIME, CURVES_MIME, MIME_DOCS, payloadProblem } from '../../webview/renderer/mime';

/** base64 of little-endian float32 values, as numpy's `.astype('<f4').tobytes()` gives. */
const base64F32 = (values: readonly number[]): string => Buffer.from(new Float32Array(values).buffer).toString('base64');

const TOKENS = ['[CLS]', 'the', 'cat', '[SEP]'];
/** 1 layer × 2 heads × 4 × 4: head 0 is the identity, head 1 attends to the first token. */
const VALUES = [
  ...[1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
  ...[1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0],
];

describe('attention payload', () => {
  it('reads base64 float32 data and selects each layer and head', () => {
    const p = parseAttention({ model: 'tiny-bert', text: 'the cat', layers: 1, heads: 2, queryTokens: TOKENS, keyTokens: TOKENS, data: base64F32(VALUES) });
    assert.equal(p.model, 'tiny-bert');
    assert.equal(p.title, null);
    assert.deepEqual(Array.from(mapOf(p, 0, 0)), VALUES.slice(0, 16));
    assert.deepEqual(Array.from(mapOf(p, 0, 1)), VALUES.slice(16));
  });

  it('reads nested weights the same as data', () => {
    const nested = [[0, 1].map((h) => [0, 1, 2, 3].map((q) => VALUES.slice(h * 16 + q * 4, h * 16 + q * 4 + 4)))];
    const fromWeights = parseAttention({ layers: 1, heads: 2, queryTokens: TOKENS, keyTokens: TOKENS, weights: nested });
    const fromData = parseAttention({ layers: 1, heads: 2, queryTokens: TOKENS, keyTokens: TOKENS, data: base64F32(VALUES) });
    assert.deepEqual(Array.from(fromWeights.values), Array.from(fromData.values));
  });

  it('says exactly what is wrong with a bad payload', () => {
    const ok = { layers: 1, heads: 2, queryTokens: TOKENS, keyTokens: TOKENS, data: base64F32(VALUES) };
    const cases: [unknown, RegExp][] = [
      [null, /JSON object/],
      [[1, 2], /JSON object/],
      [{ ...ok, layers: 0 }, /"layers" must be a positive integer/],
      [{ ...ok, heads: 1.5 }, /"heads" must be a positive integer/],
      [{ ...ok, queryTokens: [] }, /"queryTokens" must be a non-empty array of strings/],
      [{ ...ok, keyTokens: ['a', 3] }, /"keyTokens" must be a non-empty array of strings/],
      [{ ...ok, queryTokens: Array.from({ length: MAX_TOKENS + 1 }, () => 'a') }, /at most 512/],
      [{ ...ok, data: base64F32(VALUES.slice(0, 16)) }, /"data" holds 16 values; 1 layers × 2 heads × 4 × 4 tokens need 32/],
      [{ ...ok, data: 'AAA' }, /"data" is not base64 of float32 values/],
      [{ ...ok, data: base64F32([...VALUES.slice(1), Number.NaN]) }, /NaN or infinite/],
      [{ layers: 1, heads: 2, queryTokens: TOKENS, keyTokens: TOKENS }, /"data" \(base64 of little-endian float32\) or "weights"/],
      [{ layers: 1, heads: 1, queryTokens: ['a'], keyTokens: ['a'], weights: [[[[0.5, 0.5]]]] }, /"weights\[0\]\[0\]\[0\]" must be an array of 1/],
      [{ layers: 1, heads: 1, queryTokens: ['a'], keyTokens: ['a'], weights: [[[['x']]]] }, /"weights\[0\]\[0\]\[0\]\[0\]" is not a finite number/],
    ];
    for (const [payload, why] of cases) assert.throws(() => parseAttention(payload), why, JSON.stringify(payload)?.slice(0, 80));
  });

  it('turns a parse error into one line naming the MIME type and the docs', () => {
    let error: unknown;
    try {
      parseAttention({ layers: -1 });
    } catch (e) {
      error = e;
    }
    assert.equal(payloadProblem(ATTENTION_MIME, error), `Transfer Lab cannot draw this ${ATTENTION_MIME} output: "layers" must be a positive integer. The payload is described in ${MIME_DOCS}.`);
    assert.throws(() => parseCurves({ title: 'x' }), (e: unknown) => payloadProblem(CURVES_MIME, e).includes('"events" must be an array'));
  });
});
