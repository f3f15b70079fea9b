/**
 * Every family's model: output shapes per head, attention rows summing to 1, padding
 * invariance, gradients reaching every variable, over-fitting one batch with a flat live-tensor
 * count, and KV-cache generation equal to full recomputation.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor } from '../../../server/backend/tf';
import { INFERENCE } from '../../../server/models/blocks';
import { FAMILIES, type Family, type HeadKind } from '../../../server/models/config';
import { crossEntropy } from '../../../server/training/losses';
import { disposeBatch, makeBatch } from '../../../server/finetune/classificationBatches';
import { Trainer } from '../../../server/training/trainer';
import { DEFAULT_ADAMW_CONFIG } from '../../../server/training/adamw';
import { generate } from '../../../server/inference/generate';
import { useTestBackend } from '../../helpers/backend';
import { randomBatch, tinyModel, liveTensors, TINY_VOCAB } from '../../helpers/tinyModel';

before(useTestBackend);

const t5Inputs = (batch: ReturnType<typeof randomBatch>) => ({ ...batch.inputs, decoderInputIds: tf.tensor2d([[0, 5, 6], [0, 7, 8], [0, 9, 9], [0, 4, 4]].slice(0, batch.size), [batch.size, 3], 'int32') });

const EXPECTED_LOGITS: [Family, HeadKind, (B: number, T: number) => number[]][] = [
  ['bert', 'masked-lm', (B, T) => [B, T, TINY_VOCAB]],
  ['bert', 'sequence-classification', (B) => [B, 3]],
  ['roberta', 'masked-lm', (B, T) => [B, T, TINY_VOCAB]],
  ['roberta', 'sequence-classification', (B) => [B, 3]],
  ['distilbert', 'masked-lm', (B, T) => [B, T, TINY_VOCAB]],
  ['distilbert', 'token-classification', (B, T) => [B, T, 3]],
  ['albert', 'masked-lm', (B, T) => [B, T, TINY_VOCAB]],
  ['albert', 'sequence-classification', (B) => [B, 3]],
  ['gpt2', 'causal-lm', (B, T) => [B, T, TINY_VOCAB]],
  ['gpt2', 'sequence-classification', (B) => [B, 3]],
  ['t5', 'seq2seq-lm', (B) => [B, 3, TINY_VOCAB]],
];

test('logits have the head\'s shape and attention rows sum to 1, for every family', () => {
  for (const [family, head, shape] of EXPECTED_LOGITS) {
    const model = tinyModel(family, head);
    const batch = randomBatch(4, 9);
    tf.tidy(() => {
      const out = model.forward(family === 't5' ? t5Inputs(batch) : batch.inputs, { ...INFERENCE, outputAttentions: true });
      assert.deepEqual(out.logits?.shape, shape(4, batch.seqLength), `${family}/${head}`);
      assert.equal(out.attentions.length, 2, `${family}: one attention map per layer`);
      for (const s of tf.sum(out.attentions[1] as Tensor, -1).dataSync()) assert.ok(Math.abs(s - 1) < 1e-5, `${family}: row sum ${s}`);
    });
    disposeBatch(batch);
    model.dispose();
  }
});

test('padding changes neither a sequence\'s logits nor its attention to real tokens', () => {
  for (const family of ['bert', 'roberta', 'distilbert', 'albert', 'gpt2'] as const) {
    const model = tinyModel(family, 'sequence-classification');
    const ids = [2, 7, 9, 11, 3];
    tf.tidy(() => {
      const alone = makeBatch([{ ids, label: 0 }], family === 'roberta' ? 1 : 0);
      const padded = makeBatch([{ ids, label: 0 }, { ids: [2, 5, 6, 7, 8, 9, 10, 3], label: 1 }], family === 'roberta' ? 1 : 0);
      const a = model.forward(alone.inputs, INFERENCE).logits?.dataSync() ?? [];
      const b = model.forward(padded.inputs, INFERENCE).logits?.dataSync().slice(0, 3) ?? [];
      for (let i = 0; i < 3; i++) assert.ok(Math.abs((a[i] ?? 0) - (b[i] ?? 0)) < 1e-4, `${family} logit ${i}: ${a[i]} vs ${b[i]}`);
    });
    model.dispose();
  }
});

test('every trainable variable gets a non-zero gradient (each family, its main head)', () => {
  const cases: [Family, HeadKind][] = [['bert', 'sequence-classification'], ['roberta', 'sequence-classification'], ['distilbert', 'sequence-classification'], ['albert', 'sequence-classification'], ['gpt2', 'causal-lm'], ['t5', 'seq2seq-lm']];
  for (const [family, head] of cases) {
    const model = tinyModel(family, head);
    const batch = randomBatch(4, 8);
    const labels = head === 'sequence-classification' ? batch.labels : null;
    const { value, grads } = tf.variableGrads(() => {
      const out = model.forward(family === 't5' ? t5Inputs(batch) : batch.inputs, INFERENCE);
      const logits = out.logits as Tensor;
      if (labels !== null) return crossEntropy(logits, labels) as tf.Scalar;
      const flat = tf.reshape(logits, [-1, TINY_VOCAB]);
      return crossEntropy(flat, tf.cast(tf.mod(tf.range(0, flat.shape[0] as number), TINY_VOCAB), 'int32')) as tf.Scalar;
    }, model.params.variables());
    for (const name of model.params.names()) {
      const g = grads[model.params.get(name).name];
      assert.ok(g !== undefined, `${family}: no gradient for ${name}`);
      assert.ok((tf.max(tf.abs(g)).dataSync()[0] ?? 0) > 0, `${family}: zero gradient for ${name}`);
    }
    tf.dispose([value, ...Object.values(grads)]);
    disposeBatch(batch);
    model.dispose();
  }
});

test('loss falls when over-fitting one batch, and the live tensor count stays flat', async () => {
  const model = tinyModel('bert', 'sequence-classification', 5);
  const batch = randomBatch(8, 10, 11);
  const trainer = new Trainer(
    model.params.names().map((name) => ({ name, variable: model.params.get(name) })),
    { learningRate: 3e-3, warmupSteps: 0, totalSteps: 1000, maxGradNorm: 1, adamw: DEFAULT_ADAMW_CONFIG },
  );
  let seed = 0;
  const step = () => trainer.trainStep(() => crossEntropy(model.forward(batch.inputs, { training: true, nextSeed: () => ++seed }).logits as Tensor, batch.labels));
  const first = await step();
  const afterFirst = liveTensors();
  for (let i = 0; i < 3; i++) await step();
  assert.equal(liveTensors(), afterFirst, 'live tensors grew across 3 training steps');
  let last = first;
  for (let i = 0; i < 60; i++) last = await step();
  assert.ok(last.loss < first.loss * 0.5, `loss ${first.loss} -> ${last.loss}`);
  trainer.dispose();
  disposeBatch(batch);
  model.dispose();
});

test('KV-cache generation equals full recomputation (GPT-2 and T5), and leaks nothing', async () => {
  for (const [family, head] of [['gpt2', 'causal-lm'], ['t5', 'seq2seq-lm']] as const) {
    const model = tinyModel(family, head, 3);
    const before = liveTensors();
    const opts = { maxNewTokens: 12, seed: 1, temperature: 0, topK: 0, topP: 1, eosTokenId: null };
    const cached = await generate(model, [2, 8, 9, 10], opts);
    const full = await generate(model, [2, 8, 9, 10], { ...opts, useCache: false });
    assert.deepEqual(cached.ids, full.ids, family);
    assert.equal(cached.ids.length, 12);
    assert.equal(liveTensors(), before, `${family}: generation leaked tensors`);
    model.dispose();
  }
});

test('every family builds for each of its heads', () => {
  for (const family of FAMILIES) {
    const model = tinyModel(family, 'base');
    assert.ok(model.params.parameterCount() > 0);
    model.dispose();
  }
});

test('outputHiddenStates returns the embeddings and every layer, the last equal to the output', () => {
  for (const [family, head] of [['bert', 'masked-lm'], ['albert', 'base'], ['gpt2', 'causal-lm'], ['t5', 'seq2seq-lm']] as const) {
    const model = tinyModel(family, head);
    const batch = randomBatch(2, 6);
    tf.tidy(() => {
      const out = model.forward(family === 't5' ? t5Inputs(batch) : batch.inputs, { ...INFERENCE, outputHiddenStates: true });
      const states = out.hiddenStates ?? [];
      assert.equal(states.length, 3, `${family}: embeddings + 2 layers`);
      const last = states[2] as Tensor;
      assert.equal(tf.max(tf.abs(tf.sub(last, out.hidden))).dataSync()[0], 0, `${family}: last state is the output`);
      if (family === 't5') assert.equal(out.encoderHiddenStates?.length, 3);
    });
    disposeBatch(batch);
    model.dispose();
  }
});

test('generation stops at the end of a causal LM\'s position table, and refuses a prompt longer than it', async () => {
  const model = tinyModel('gpt2', 'causal-lm', 4); // n_positions 32
  const r = await generate(model, Array.from({ length: 30 }, (_, i) => 5 + (i % 30)), { maxNewTokens: 10, seed: 1, temperature: 0, topK: 0, topP: 1, eosTokenId: null });
  assert.equal(r.ids.length, 2);
  await assert.rejects(generate(model, Array.from({ length: 32 }, () => 5), { maxNewTokens: 1, seed: 1, temperature: 0, topK: 0, topP: 1 }), /reads at most 32/);
  model.dispose();
});
