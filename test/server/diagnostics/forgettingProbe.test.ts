/**
 * Forgetting diagnostics on tiny models: perturbing one layer moves only that layer's weight
 * drift, and the representation/attention measures of that layer and above, never those below;
 * every call leaves the live tensor count unchanged. BERT, ALBERT, GPT-2 and T5.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../server/backend/tf';
import { linearCka } from '../../../server/diagnostics/cka';
import { measureForgetting, type ForgettingMeasurement } from '../../../server/diagnostics/forgettingProbe';
import { disposeProbe, probeFromIds, probeFromSentences, type ForgettingProbe } from '../../../server/diagnostics/probeBatches';
import { ckaTerms, type ProbedModel } from '../../../server/diagnostics/probeForward';
import { captureReference } from '../../../server/diagnostics/snapshot';
import { layerOf } from '../../../server/diagnostics/weightDrift';
import type { Family, HeadKind } from '../../../server/models/config';
import type { TransformerModel } from '../../../server/models/transformerModel';
import { createRng } from '../../../server/random';
import { useTestBackend } from '../../helpers/backend';
import { liveTensors, tinyModel, TINY_VOCAB } from '../../helpers/tinyModel';

before(useTestBackend);

/** Six sentences of 4–11 tokens, [CLS]=2 … [SEP]=3. */
function sentences(seed = 5): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: 6 }, () => [2, ...Array.from({ length: 2 + rng.int(8) }, () => 5 + rng.int(TINY_VOCAB - 5)), 3]);
}

/** Adds N(0, 0.3²) noise to every parameter of one layer group. */
function perturb(model: TransformerModel, layer: string, seed = 3): void {
  const rng = createRng(seed);
  for (const name of model.params.names().filter((n) => layerOf(n) === layer)) {
    const v = model.params.get(name);
    const noise = Float32Array.from({ length: v.size }, () => rng.normal() * 0.3);
    tf.tidy(() => v.assign(tf.add(v, tf.tensor(noise, v.shape))));
  }
}

/** A probe in two batches (4 + 2 sentences) with CKA subsampling (≤ 30 of the token vectors). */
function probeFor(model: TransformerModel): ForgettingProbe {
  return probeFromIds(sentences(), model.config.padTokenId, model.config, { batchSize: 4, maxVectors: 30 });
}

/** Captures, perturbs `layer`, measures; asserts no tensor is left behind by either call. */
async function perturbAndMeasure(model: TransformerModel, layer: string, probed: ProbedModel = model): Promise<ForgettingMeasurement> {
  const probe = probeFor(model);
  try {
    const live = liveTensors();
    const reference = await captureReference(probed, probe);
    assert.equal(liveTensors(), live, 'captureReference leaked tensors');
    const unchanged = await measureForgetting(probed, reference, probe);
    assert.ok(unchanged.weightDrift.every((d) => d.drift === 0));
    assert.ok(unchanged.cka.every((c) => Math.abs(c.cka - 1) < 1e-5), JSON.stringify(unchanged.cka));
    assert.ok(unchanged.attentionDrift.every((a) => a.js === 0));
    perturb(model, layer);
    const before = liveTensors();
    const m = await measureForgetting(probed, reference, probe);
    assert.equal(liveTensors(), before, 'measureForgetting leaked tensors');
    return m;
  } finally {
    disposeProbe(probe);
  }
}

const drifted = (m: ForgettingMeasurement): string[] => m.weightDrift.filter((d) => d.drift > 0).map((d) => d.layer);
const jsOf = (m: ForgettingMeasurement, layer: string): number[] => m.attentionDrift.filter((a) => a.layer === layer).map((a) => a.js);
const ckaOf = (m: ForgettingMeasurement, layer: string): number => m.cka.find((c) => c.layer === layer)?.cka ?? Number.NaN;
/** CKA ≈ 1 (float32 products) for the layers listed, < 0.999 for the others, in this order. */
function assertCka(m: ForgettingMeasurement, layers: readonly string[], unchanged: readonly string[]): void {
  assert.deepEqual(m.cka.map((c) => c.layer), layers);
  for (const layer of layers) {
    const cka = ckaOf(m, layer);
    assert.ok(unchanged.includes(layer) ? Math.abs(cka - 1) < 1e-5 : cka < 0.999, `${layer}: CKA ${cka}`);
  }
}

function withModel(family: Family, head: HeadKind, run: (m: TransformerModel) => Promise<void>): () => Promise<void> {
  return async () => {
    const model = tinyModel(family, head, 1, ['a', 'b']);
    try {
      await run(model);
    } finally {
      model.dispose();
    }
  };
}

test('bert: perturbing layer 1 moves its drift, attention and CKA only; layers below stay at 0 and 1', withModel('bert', 'sequence-classification', async (model) => {
  const m = await perturbAndMeasure(model, 'layer 1');
  assert.deepEqual(m.weightDrift.map((d) => d.layer), ['embeddings', 'layer 0', 'layer 1', 'head']);
  assert.deepEqual(drifted(m), ['layer 1']);
  assert.deepEqual(jsOf(m, 'layer 0'), [0, 0]);
  assert.ok(jsOf(m, 'layer 1').every((js) => js > 1e-4 && js <= Math.LN2), `${jsOf(m, 'layer 1')}`);
  assertCka(m, ['embeddings', 'layer 0', 'layer 1'], ['embeddings', 'layer 0']);
}));

test('bert: perturbing layer 0 moves the attention of every layer above it', withModel('bert', 'base', async (model) => {
  const m = await perturbAndMeasure(model, 'layer 0');
  assert.deepEqual(drifted(m), ['layer 0']);
  assert.ok([...jsOf(m, 'layer 0'), ...jsOf(m, 'layer 1')].every((js) => js > 1e-4));
  assertCka(m, ['embeddings', 'layer 0', 'layer 1'], ['embeddings']);
}));

/** The model's forward without per-layer hidden states (as an adapter wrapper might return). */
function withoutHiddenStates(model: TransformerModel): ProbedModel {
  return { params: model.params, forward: (inputs, opts) => ({ ...model.forward(inputs, opts), hiddenStates: [] }) };
}

test('without per-layer hidden states the last one alone is compared', withModel('bert', 'base', async (model) => {
  const m = await perturbAndMeasure(model, 'layer 1', withoutHiddenStates(model));
  assertCka(m, ['layer 1'], []);
}));

test('albert: the shared layer drifts as one group and moves every layer\'s attention', withModel('albert', 'base', async (model) => {
  const m = await perturbAndMeasure(model, 'shared layers');
  assert.deepEqual(drifted(m), ['shared layers']);
  assert.ok([...jsOf(m, 'layer 0'), ...jsOf(m, 'layer 1')].every((js) => js > 1e-4));
  assertCka(m, ['embeddings', 'layer 0', 'layer 1'], ['embeddings']);
}));

test('gpt2: causal attention rows compare; layer 1 moves, layer 0 does not', withModel('gpt2', 'causal-lm', async (model) => {
  const m = await perturbAndMeasure(model, 'layer 1');
  assert.deepEqual(drifted(m), ['layer 1']);
  assert.deepEqual(jsOf(m, 'layer 0'), [0, 0]);
  assert.ok(jsOf(m, 'layer 1').every((js) => js > 1e-4));
  assertCka(m, ['embeddings', 'layer 0', 'layer 1'], ['embeddings', 'layer 0']);
}));

test('t5: the encoder is measured; a decoder perturbation leaves it untouched', withModel('t5', 'seq2seq-lm', async (model) => {
  const m = await perturbAndMeasure(model, 'decoder 0');
  assert.deepEqual(drifted(m), ['decoder 0']);
  assertCka(m, ['embeddings', 'encoder 0', 'encoder 1'], ['embeddings', 'encoder 0', 'encoder 1']);
  assert.deepEqual([...new Set(m.attentionDrift.map((a) => a.layer))], ['encoder 0', 'encoder 1']);
  assert.ok(m.attentionDrift.every((a) => a.js === 0));
}));

test('t5: an encoder perturbation moves encoder attention and CKA', withModel('t5', 'base', async (model) => {
  const m = await perturbAndMeasure(model, 'encoder 1');
  assert.deepEqual(drifted(m), ['encoder 1']);
  assert.deepEqual(jsOf(m, 'encoder 0'), [0, 0]);
  assert.ok(jsOf(m, 'encoder 1').every((js) => js > 1e-4));
  assertCka(m, ['embeddings', 'encoder 0', 'encoder 1'], ['embeddings', 'encoder 0']);
}));

test('CKA on the backend agrees with the float64 reference implementation', () => {
  const rng = createRng(9);
  const rows = 30;
  const x = Array.from({ length: rows * 6 }, () => rng.normal());
  const y = Array.from({ length: rows * 4 }, (_, i) => (x[i] ?? 0) + 0.5 * rng.normal());
  const [cross, yy, xx] = tf.tidy(() => {
    const xt = tf.tensor2d(x, [rows, 6]);
    const xc = tf.sub(xt, tf.mean(xt, 0, true));
    return tf.concat([ckaTerms(tf.tensor2d(y, [rows, 4]), xc), tf.slice(ckaTerms(xc, xc), [1], [1])]);
  }).dataSync();
  const expected = linearCka({ rows, cols: 6, data: x }, { rows, cols: 4, data: y });
  assert.ok(Math.abs((cross ?? 0) / Math.sqrt((xx ?? 0) * (yy ?? 0)) - expected) < 1e-5);
});

test('probe: sentences are tokenized, clipped and sampled; a mismatched reference is refused', withModel('bert', 'base', async (model) => {
  const tokenizer = { padId: 0, encode: (text: string) => ({ ids: [2, ...Array.from(text, (ch) => 5 + (ch.charCodeAt(0) % 30)), 3] }) };
  const long = probeFromSentences(tokenizer, ['a fairly long sentence here', 'short', '  '], model.config, { maxTokens: 8 });
  const short = probeFromIds([[2, 7, 3]], 0, model.config);
  const sampled = probeFor(model);
  try {
    assert.deepEqual(sampled.batches.map((b) => b.lengths.length), [4, 2]);
    assert.equal(sampled.batches.reduce((n, b) => n + b.sampleRows.length, 0), 30); // of 6 sentences' tokens, across both batches
    assert.equal(long.batches.length, 1);
    assert.deepEqual(long.batches[0]?.lengths, [8, 7]);
    assert.equal(long.batches[0]?.sampleRows.length, 15);
    const ids = await long.batches[0]?.inputs.inputIds.data();
    assert.deepEqual(Array.from(ids ?? []).slice(6, 8), [5 + ('r'.charCodeAt(0) % 30), 3]); // 29 ids clipped to 8: the first 7, then the closing [SEP]
    const reference = await captureReference(model, long);
    const live = liveTensors();
    await assert.rejects(measureForgetting(model, reference, short), /different probe/);
    assert.equal(liveTensors(), live, 'a failed measurement leaked tensors');
  } finally {
    for (const p of [long, short, sampled]) disposeProbe(p);
  }
  assert.throws(() => probeFromIds([[]], 0, model.config), /no probe sentence/);
  assert.throws(() => probeFromIds([[1]], 0, model.config, { maxTokens: 1 }), /maxTokens must be an integer in \[2, 512\]/);
}));
