/**
 * The tied LM head: its custom gradient against tfjs's own (through an explicit transpose), and
 * the transposed table that ParameterStore keeps during a hold — reused while the weight is
 * unchanged, remade after an assignment, freed when the hold ends.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor } from '../../../server/backend/tf';
import { tiedLogits } from '../../../server/models/headOps';
import { generate } from '../../../server/inference/generate';
import { useTestBackend } from '../../helpers/backend';
import { liveTensors, tinyModel } from '../../helpers/tinyModel';

before(useTestBackend);

function maxDiff(a: Tensor, b: Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  assert.equal(x.length, y.length);
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs((x[i] ?? 0) - (y[i] ?? 0)));
  return d;
}

test('tied logits and their gradients equal h·tableᵀ + bias with tfjs gradients, given or making the transpose', () => {
  const h = tf.randomNormal([2, 3, 8], 0, 1, 'float32', 1);
  const table = tf.randomNormal([11, 8], 0, 1, 'float32', 2);
  const bias = tf.randomNormal([11], 0, 1, 'float32', 3);
  const w = tf.randomNormal([2, 3, 11], 0, 1, 'float32', 4);
  const kept = tf.transpose(table);
  const reference = (x: Tensor, t: Tensor, b: Tensor): Tensor =>
    tf.add(tf.reshape(tf.matMul(tf.reshape(x, [6, 8]), tf.transpose(t)), [2, 3, 11]), b);
  const loss = (f: (x: Tensor, t: Tensor, b: Tensor) => Tensor) => (x: Tensor, t: Tensor, b: Tensor) => tf.sum(tf.mul(f(x, t, b), w));
  const ref = tf.grads(loss(reference))([h, table, bias]);
  for (const ours of [(x: Tensor, t: Tensor, b: Tensor) => tiedLogits(x, t, b), (x: Tensor, t: Tensor, b: Tensor) => tiedLogits(x, t, b, kept)]) {
    const value = tf.tidy(() => maxDiff(ours(h, table, bias), reference(h, table, bias)));
    assert.ok(value < 1e-5, `logits differ by ${value}`);
    const grads = tf.grads(loss(ours))([h, table, bias]);
    ['dh', 'dtable', 'dbias'].forEach((what, i) => {
      const d = maxDiff(grads[i] as Tensor, ref[i] as Tensor);
      assert.ok(d < 1e-5, `${what} differs by ${d}`);
    });
    tf.dispose(grads);
  }
  tf.dispose([h, table, bias, w, kept, ...ref]);
});

test('a held transpose is made once, remade after the weight changes, and freed with the hold', () => {
  const model = tinyModel('gpt2', 'causal-lm', 3);
  const name = 'transformer.wte.weight';
  const start = liveTensors();
  const release = model.params.holdTransposes();
  const first = model.params.transposeOf(name);
  assert.equal(model.params.transposeOf(name), first, 'reused while the weight is unchanged');
  assert.equal(liveTensors(), start + 1);
  const v = model.params.get(name);
  tf.tidy(() => v.assign(tf.add(v, 1)));
  const second = model.params.transposeOf(name);
  assert.notEqual(second, first, 'remade after an assignment');
  assert.ok(first.isDisposed, 'the stale transpose is freed');
  const expected = tf.transpose(v);
  assert.equal(maxDiff(second, expected), 0);
  expected.dispose();
  assert.equal(liveTensors(), start + 1);
  release();
  release(); // a second call is harmless
  assert.ok(second.isDisposed);
  assert.equal(liveTensors(), start);
  // Without a hold the transpose is the caller's, freed by its tidy.
  tf.tidy(() => void model.params.transposeOf(name));
  assert.equal(liveTensors(), start);
  model.dispose();
});

test('generation keeps the transposed table only while it runs, and gives the same tokens as without the hold', async () => {
  const model = tinyModel('gpt2', 'causal-lm', 3);
  const before = liveTensors();
  const opts = { maxNewTokens: 10, seed: 1, temperature: 0, topK: 0, topP: 1, eosTokenId: null };
  const a = await generate(model, [2, 8, 9, 10], opts);
  assert.equal(liveTensors(), before, 'generation leaked tensors');
  // The reference: the same greedy decoding by full forward passes, transposing every time.
  const ids = [2, 8, 9, 10];
  for (let n = 0; n < 10; n++) {
    const next = tf.tidy(() => {
      const input = tf.tensor2d([ids], [1, ids.length], 'int32');
      const logits = model.forward({ inputIds: input, attentionMask: tf.onesLike(input) }, { training: false, nextSeed: () => 0 }).logits as Tensor;
      return tf.argMax(tf.reshape(tf.slice(logits, [0, ids.length - 1, 0], [1, 1, -1]), [-1])).dataSync()[0] as number;
    });
    ids.push(next);
  }
  assert.deepEqual(a.ids, ids.slice(4));
  model.dispose();
});

test('last-position logits equal the last row of the full logits (GPT-2, T5)', () => {
  for (const [family, head] of [['gpt2', 'causal-lm'], ['t5', 'seq2seq-lm']] as const) {
    const model = tinyModel(family, head, 4);
    const before = liveTensors();
    const d = tf.tidy(() => {
      const ids = tf.tensor2d([[2, 8, 9, 10, 11], [2, 5, 6, 7, 12]], [2, 5], 'int32');
      const inputs = { inputIds: ids, attentionMask: tf.onesLike(ids), ...(family === 't5' ? { decoderInputIds: ids } : {}) };
      const full = model.forward(inputs, { training: false, nextSeed: () => 0 }).logits as Tensor;
      const last = model.forward(inputs, { training: false, nextSeed: () => 0, lastPositionLogits: true }).logits as Tensor;
      assert.deepEqual(last.shape, [2, 1, full.shape[2]]);
      return maxDiff(last, tf.slice(full, [0, 4, 0], [2, 1, -1]));
    });
    assert.ok(d < 1e-6, `${family}: ${d}`);
    assert.equal(liveTensors(), before);
    model.dispose();
  }
});
