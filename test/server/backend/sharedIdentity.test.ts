/**
 * tf.clone on the wasm backend shares storage (reference-counted) instead of copying: values
 * equal, each copy outlives the other, the in-place writers see the storage as shared, and a
 * taped forward pass still gives the same gradients.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../server/backend/tf';
import { rawFloat32 } from '../../../server/backend/rawTensorAccess';
import { useTestBackend } from '../../helpers/backend';

before(useTestBackend);

test('a clone shares storage, survives the original and is not exclusive while both live', () => {
  const buffers = tf.memory().numDataBuffers;
  const x = tf.tensor2d([[1, 2], [3, 4]]);
  const y = tf.clone(x);
  assert.equal(tf.memory().numDataBuffers, buffers + 1, 'no second buffer');
  assert.equal(rawFloat32(x)?.exclusive, false);
  x.dispose();
  assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3, 4]);
  assert.equal(rawFloat32(y)?.exclusive, true);
  y.dispose();
  assert.equal(tf.memory().numDataBuffers, buffers);
});

test('gradients through tensors the tape saved are unchanged, and nothing is left behind', () => {
  const w = tf.variable(tf.tensor2d([[0.5, -1], [2, 0.25]]));
  const x = tf.tensor2d([[1, 2], [3, 4]]);
  const buffers = tf.memory().numDataBuffers;
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(tf.matMul(x, w))) as tf.Scalar, [w]);
  // d/dw Σ (xw)² = 2 xᵀ(xw)
  const expected = tf.tidy(() => tf.mul(2, tf.matMul(tf.transpose(x), tf.matMul(x, w))));
  assert.deepEqual(Array.from(grads[w.name]?.dataSync() ?? []), Array.from(expected.dataSync()));
  assert.equal(tf.memory().numDataBuffers, buffers + 3, 'the loss, the gradient and the expected value only');
  tf.dispose([value, expected, ...Object.values(grads), w, x]);
});
