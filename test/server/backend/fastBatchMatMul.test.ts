/**
 * The re-registered wasm BatchMatMul (SIMD kernel for batches, two threads for big products,
 * explicit transposes, XNNPACK for small single products) against a float64 reference: batch shapes, broadcasting, transposes, sizes
 * that are not multiples of the 4 × 8 block, and no tensor or heap growth across calls.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../server/backend/tf';
import { installWasmKernels } from '../../../server/backend/wasmKernels/installWasmKernels';
import { useTestBackend } from '../../helpers/backend';

before(useTestBackend);

/** Row-major a [...batch, M, K] · b [...batch, K, N] in float64, one operand's batch possibly 1. */
function reference(a: Float32Array, b: Float32Array, batchA: number, batchB: number, m: number, k: number, n: number): Float64Array {
  const batch = Math.max(batchA, batchB);
  const out = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const ao = batchA === 1 ? 0 : t * m * k;
    const bo = batchB === 1 ? 0 : t * k * n;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += (a[ao + i * k + q] as number) * (b[bo + q * n + j] as number);
      out[t * m * n + i * n + j] = s;
    }
  }
  return out;
}

function swapLast(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [r - 1, r - 2];
  return tf.transpose(x, perm);
}

test('our kernels are installed on the wasm backend', () => {
  assert.equal(tf.getBackend(), 'wasm');
  assert.deepEqual(installWasmKernels(), ['BatchMatMul', 'Identity']);
});

test('batched products equal a float64 reference for every shape, broadcast and transpose', () => {
  const cases: { outerA: number[]; outerB: number[]; m: number; k: number; n: number }[] = [
    { outerA: [3], outerB: [3], m: 5, k: 7, n: 11 }, // every remainder path
    { outerA: [2, 4], outerB: [2, 4], m: 16, k: 9, n: 24 }, // whole 4 × 8 blocks, rank 4
    { outerA: [2, 3], outerB: [2, 3], m: 1, k: 64, n: 37 }, // one query row (decoding)
    { outerA: [4], outerB: [1], m: 6, k: 5, n: 9 }, // B broadcast
    { outerA: [1], outerB: [5], m: 3, k: 4, n: 17 }, // A broadcast
    { outerA: [], outerB: [], m: 13, k: 10, n: 21 }, // one 2-D product (XNNPACK)
    { outerA: [2], outerB: [2], m: 9, k: 600, n: 270 }, // several blocks of k and panels of columns, partial ones
    { outerA: [], outerB: [], m: 97, k: 200, n: 110 }, // one product big enough for two threads
    { outerA: [3], outerB: [3], m: 65, k: 100, n: 123 }, // a batch on two threads
    { outerA: [3], outerB: [1], m: 64, k: 100, n: 120 }, // … with B broadcast
    { outerA: [2], outerB: [2], m: 4, k: 0, n: 8 }, // empty inner dimension
  ];
  let seed = 1;
  for (const c of cases) {
    const a = tf.randomNormal([...c.outerA, c.m, c.k], 0, 1, 'float32', seed++);
    const b = tf.randomNormal([...c.outerB, c.k, c.n], 0, 1, 'float32', seed++);
    const batchA = c.outerA.reduce((x, y) => x * y, 1);
    const batchB = c.outerB.reduce((x, y) => x * y, 1);
    const want = reference(a.dataSync() as Float32Array, b.dataSync() as Float32Array, batchA, batchB, c.m, c.k, c.n);
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const got = tf.tidy(() => tf.matMul(ta ? swapLast(a) : a, tb ? swapLast(b) : b, ta, tb));
      const what = `${JSON.stringify(c)} transposeA=${ta} transposeB=${tb}`;
      assert.deepEqual(got.shape, [...(batchA >= batchB ? c.outerA : c.outerB), c.m, c.n], what);
      const values = got.dataSync();
      assert.equal(values.length, want.length, what);
      for (let i = 0; i < want.length; i++) {
        const w = want[i] as number;
        assert.ok(Math.abs((values[i] as number) - w) <= 1e-5 * Math.max(1, Math.abs(w)) * Math.sqrt(c.k + 1), `${what} [${i}]: ${values[i]} vs ${w}`);
      }
      got.dispose();
    }
    tf.dispose([a, b]);
  }
});

test('many products in a row on two threads stay exact (chunks taken by either thread, or taken back)', () => {
  let seed = 100;
  for (let i = 0; i < 40; i++) {
    const [batch, m, k, n] = [1 + (i % 3), 64 + ((i * 37) % 70), 32 + ((i * 11) % 40), 40 + ((i * 29) % 60)];
    const a = tf.randomNormal([batch, m, k], 0, 1, 'float32', seed++);
    const b = tf.randomNormal([batch, k, n], 0, 1, 'float32', seed++);
    const want = reference(a.dataSync() as Float32Array, b.dataSync() as Float32Array, batch, batch, m, k, n);
    const got = tf.matMul(a, b);
    const values = got.dataSync();
    for (let j = 0; j < want.length; j++) assert.ok(Math.abs((values[j] as number) - (want[j] as number)) < 1e-4, `product ${i} [${j}]`);
    tf.dispose([a, b, got]);
  }
});

test('repeated products leave no tensors and no backend storage behind', () => {
  const a = tf.randomNormal([8, 4, 33, 64]);
  const b = tf.randomNormal([8, 4, 64, 33]);
  const run = (): void => tf.tidy(() => void tf.matMul(a, b, false, true).dataSync());
  run();
  const tensors = tf.memory().numTensors;
  const buffers = tf.memory().numDataBuffers;
  for (let i = 0; i < 5; i++) run();
  assert.equal(tf.memory().numTensors, tensors);
  assert.equal(tf.memory().numDataBuffers, buffers);
  tf.dispose([a, b]);
});
