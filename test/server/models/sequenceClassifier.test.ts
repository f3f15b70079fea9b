/**
 * The BERT-style classifier: output shapes, attention probabilities, padding invariance, a
 * known answer for the embedding sum, gradients reaching every variable, and over-fitting.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../server/backend/tf';
import { crossEntropy } from '../../../server/models/sequenceClassifier';
import { disposeBatch, makeBatch } from '../../../server/finetune/classificationBatches';
import { Trainer } from '../../../server/training/trainer';
import { DEFAULT_ADAMW_CONFIG } from '../../../server/training/adamw';
import { useTestBackend } from '../../helpers/backend';
import { randomBatch, tinyClassifier, TINY_CONFIG, liveTensors } from '../../helpers/tinyModel';

before(useTestBackend);
const eval0 = { training: false, nextSeed: () => 0 };

test('forward: logits [B, labels], hidden [B, T, H], attentions [B, heads, T, T] rows summing to 1', () => {
  const model = tinyClassifier();
  const batch = randomBatch(4, 9);
  const out = model.forward(batch.inputs, { ...eval0, outputAttentions: true });
  assert.deepEqual(out.logits.shape, [4, 3]);
  assert.deepEqual(out.hidden.shape, [4, batch.seqLength, 16]);
  assert.equal(out.attentions.length, TINY_CONFIG.numLayers);
  assert.deepEqual(out.attentions[0]!.shape, [4, 2, batch.seqLength, batch.seqLength]);
  const rowSums = tf.sum(out.attentions[1]!, -1).dataSync();
  for (const s of rowSums) assert.ok(Math.abs(s - 1) < 1e-5);
  tf.dispose([out.logits, out.hidden, ...out.attentions]);
  disposeBatch(batch);
  model.dispose();
});

test('padding does not change a sequence\'s logits, and padded keys get no attention', () => {
  const model = tinyClassifier();
  const ids = [2, 7, 9, 11, 3];
  const alone = makeBatch([{ ids, label: 0 }], 0);
  const padded = makeBatch([{ ids, label: 0 }, { ids: [2, 5, 6, 7, 8, 9, 10, 3], label: 1 }], 0);
  const a = model.forward(alone.inputs, eval0).logits.dataSync();
  const out = model.forward(padded.inputs, { ...eval0, outputAttentions: true });
  const b = out.logits.dataSync().slice(0, 3);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs((a[i] ?? 0) - (b[i] ?? 0)) < 1e-5, `logit ${i}: ${a[i]} vs ${b[i]}`);
  const probs = out.attentions[0]!.arraySync() as number[][][][];
  for (const row of probs[0]![0]!) for (let k = ids.length; k < 8; k++) assert.ok((row[k] ?? 1) < 1e-8);
  model.dispose();
});

test('embeddings equal word + position + type rows, layer-normalised (a 0-layer model by hand)', () => {
  const config = { ...TINY_CONFIG, numLayers: 0 };
  const model = tinyClassifier(3, config);
  const batch = makeBatch([{ ids: [2, 17, 3], label: 0 }], 0);
  const hidden = model.forward(batch.inputs, eval0).hidden.arraySync() as number[][][];
  const word = model.params.get('bert.embeddings.word_embeddings.weight').arraySync() as number[][];
  const pos = model.params.get('bert.embeddings.position_embeddings.weight').arraySync() as number[][];
  const type = model.params.get('bert.embeddings.token_type_embeddings.weight').arraySync() as number[][];
  [2, 17, 3].forEach((id, t) => {
    const sum = word[id]!.map((w, j) => w + pos[t]![j]! + type[0]![j]!);
    const mean = sum.reduce((a, b) => a + b, 0) / sum.length;
    const variance = sum.reduce((a, b) => a + (b - mean) ** 2, 0) / sum.length;
    sum.forEach((v, j) => {
      const expected = (v - mean) / Math.sqrt(variance + config.layerNormEps);
      assert.ok(Math.abs(hidden[0]![t]![j]! - expected) < 1e-4, `t=${t} j=${j}`);
    });
  });
  model.dispose();
});

test('every trainable variable gets a non-zero gradient', () => {
  const model = tinyClassifier();
  const batch = randomBatch(6, 8);
  const vars = model.params.variables();
  const { value, grads } = tf.variableGrads(() => crossEntropy(model.forward(batch.inputs, eval0).logits, batch.labels) as tf.Scalar, vars);
  for (const name of model.params.names()) {
    const g = grads[model.params.get(name).name];
    assert.ok(g !== undefined, `no gradient for ${name}`);
    assert.ok(tf.max(tf.abs(g)).dataSync()[0]! > 0, `zero gradient for ${name}`);
  }
  tf.dispose([value, ...Object.values(grads)]);
  disposeBatch(batch);
  model.dispose();
});

test('loss falls when over-fitting one batch, and the live tensor count stays flat', async () => {
  const model = tinyClassifier(5);
  const batch = randomBatch(8, 10, 11);
  const trainer = new Trainer(
    model.params.names().map((name) => ({ name, variable: model.params.get(name) })),
    { learningRate: 3e-3, warmupSteps: 0, totalSteps: 1000, maxGradNorm: 1, adamw: DEFAULT_ADAMW_CONFIG },
  );
  let seed = 0;
  const step = () => trainer.trainStep(() => crossEntropy(model.forward(batch.inputs, { training: true, nextSeed: () => ++seed }).logits, batch.labels));
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
