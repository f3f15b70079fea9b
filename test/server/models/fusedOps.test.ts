/**
 * The fused ops (one loop forward, one backward, few saved tensors) against the same maths
 * written with plain tensor ops and differentiated by tfjs: values and gradients to 1e-5, and
 * nothing left behind.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor } from '../../../server/backend/tf';
import { layerNorm } from '../../../server/models/ops/layerNorm';
import { linear } from '../../../server/models/ops/matMul';
import { dropoutMask } from '../../../server/models/ops/dropout';
import { activation } from '../../../server/models/ops/activations';
import { useTestBackend } from '../../helpers/backend';

before(useTestBackend);

function maxDiff(a: Tensor, b: Tensor): number {
  assert.deepEqual(a.shape, b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs((x[i] as number) - (y[i] as number)));
  return d;
}

/** f and reference agree on the value and on the gradient of Σ f(·)·w for every input. */
function sameAsReference(what: string, inputs: Tensor[], f: (...xs: Tensor[]) => Tensor, reference: (...xs: Tensor[]) => Tensor, tol = 1e-5): void {
  const tensors = tf.memory().numTensors;
  const weight = tf.tidy(() => tf.randomNormal(reference(...inputs).shape, 0, 1, 'float32', 99));
  const loss = (fn: (...xs: Tensor[]) => Tensor) => (...xs: Tensor[]) => tf.sum(tf.mul(fn(...xs), weight));
  const d = tf.tidy(() => maxDiff(f(...inputs), reference(...inputs)));
  assert.ok(d < tol, `${what}: values differ by ${d}`);
  const ours = tf.grads(loss(f))(inputs);
  const ref = tf.grads(loss(reference))(inputs);
  ours.forEach((g, i) => {
    const dg = maxDiff(g, ref[i] as Tensor);
    assert.ok(dg < tol, `${what}: gradient of input ${i} differs by ${dg}`);
  });
  tf.dispose([weight, ...ours, ...ref]);
  assert.equal(tf.memory().numTensors, tensors, `${what}: tensors left behind`);
}

function layerNormReference(x: Tensor, gamma: Tensor, beta: Tensor, eps: number): Tensor {
  const { mean, variance } = tf.moments(x, x.shape.length - 1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}

test('layer norm: values and gradients (x, γ, β) equal the tensor-op version', () => {
  for (const [shape, eps] of [[[2, 5, 16], 1e-12], [[7, 33], 1e-5]] as const) {
    const H = shape[shape.length - 1] as number;
    const x = tf.randomNormal([...shape], 0.3, 2, 'float32', 1);
    const gamma = tf.randomNormal([H], 1, 0.5, 'float32', 2);
    const beta = tf.randomNormal([H], 0, 0.5, 'float32', 3);
    sameAsReference(`layerNorm ${shape}`, [x, gamma, beta], (a, g, b) => layerNorm(a as Tensor, g as Tensor, b as Tensor, eps), (a, g, b) => layerNormReference(a as Tensor, g as Tensor, b as Tensor, eps));
    tf.dispose([x, gamma, beta]);
  }
});

test('dense layer with bias: values and gradients (x, W, b) equal x·W + b differentiated by tfjs', () => {
  const x = tf.randomNormal([3, 5, 12], 0, 1, 'float32', 4);
  const w = tf.randomNormal([12, 9], 0, 1, 'float32', 5);
  const b = tf.randomNormal([9], 0, 1, 'float32', 6);
  sameAsReference('linear', [x, w, b], (a, ww, bb) => linear(a as Tensor, ww as Tensor, bb as Tensor), (a, ww, bb) => tf.reshape(tf.add(tf.matMul(tf.reshape(a as Tensor, [15, 12]), ww as Tensor), bb as Tensor), [3, 5, 9]));
  tf.dispose([x, w, b]);
});

test('dropout: the very values of tf.dropout with the same seed, and the mask as gradient', () => {
  const tensors = tf.memory().numTensors;
  const x = tf.randomNormal([64, 250], 0, 1, 'float32', 7);
  for (const rate of [0.1, 0.37]) {
    const ours = dropoutMask(x, rate, 42);
    const theirs = tf.dropout(x, rate, undefined, 42);
    assert.deepEqual(Array.from(ours.dataSync()), Array.from(theirs.dataSync()), `rate ${rate}`);
    const w = tf.randomNormal(x.shape, 0, 1, 'float32', 8);
    const g = tf.grad((t: Tensor) => tf.sum(tf.mul(dropoutMask(t, rate, 42), w)))(x);
    const ref = tf.grad((t: Tensor) => tf.sum(tf.mul(tf.dropout(t, rate, undefined, 42), w)))(x);
    assert.deepEqual(Array.from(g.dataSync()), Array.from(ref.dataSync()), `gradient, rate ${rate}`);
    tf.dispose([ours, theirs, w, g, ref]);
  }
  const other = tf.tidy(() => maxDiff(dropoutMask(x, 0.1, 42), dropoutMask(x, 0.1, 43)));
  assert.ok(other > 0, 'another seed, another mask');
  x.dispose();
  assert.equal(tf.memory().numTensors, tensors);
});

test('gelu (exact and tanh): values and gradients equal the tensor-op formulas', () => {
  const x = tf.mul(tf.randomNormal([6, 257], 0, 1, 'float32', 9), 3); // tails included
  const exact = (t: Tensor) => tf.mul(tf.mul(t, 0.5), tf.add(tf.erf(tf.mul(t, Math.SQRT1_2)), 1));
  const tanh = (t: Tensor) => tf.mul(tf.mul(t, 0.5), tf.add(tf.tanh(tf.mul(tf.add(t, tf.mul(tf.mul(tf.mul(t, t), t), 0.044715)), Math.sqrt(2 / Math.PI))), 1));
  sameAsReference('gelu', [x], (t) => activation('gelu')(t as Tensor), (t) => exact(t as Tensor));
  sameAsReference('gelu_new', [x], (t) => activation('gelu_new')(t as Tensor), (t) => tanh(t as Tensor));
  x.dispose();
});
