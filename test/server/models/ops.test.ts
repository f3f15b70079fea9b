/**
 * The custom-gradient ops against tfjs's own gradients and finite differences: the fast
 * matMul gradient, and the embedding lookup whose gradient uses ScatterNd (duplicates summed).
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor } from '../../../server/backend/tf';
import { matMul, linear } from '../../../server/models/ops/matMul';
import { embeddingLookup } from '../../../server/models/ops/embeddingLookup';
import { layerNorm } from '../../../server/models/ops/layerNorm';
import { activation } from '../../../server/models/ops/activations';
import { useTestBackend } from '../../helpers/backend';

before(useTestBackend);

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: lengths`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs((a[i] ?? 0) - (b[i] ?? 0)) <= tol, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

test('matMul gradient equals tf.matMul gradient (rank 2 and rank 4)', () => {
  for (const [sa, sb] of [[[3, 4], [4, 5]], [[2, 3, 4, 6], [2, 3, 6, 5]]] as const) {
    const a = tf.randomNormal([...sa], 0, 1, 'float32', 1);
    const b = tf.randomNormal([...sb], 0, 1, 'float32', 2);
    const w = tf.randomNormal([...sa.slice(0, -1), sb[sb.length - 1] as number], 0, 1, 'float32', 3);
    const f = (mm: (x: Tensor, y: Tensor) => Tensor) => (x: Tensor, y: Tensor) => tf.sum(tf.mul(mm(x, y), w));
    const ours = tf.grads(f(matMul))([a, b]);
    const ref = tf.grads(f((x, y) => tf.matMul(x, y)))([a, b]);
    close(ours[0]!.dataSync(), ref[0]!.dataSync(), 1e-4, 'da');
    close(ours[1]!.dataSync(), ref[1]!.dataSync(), 1e-4, 'db');
    tf.dispose([a, b, w, ...ours, ...ref]);
  }
});

test('embedding lookup: rows gathered, gradient sums repeated ids', () => {
  const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
  const ids = tf.tensor2d([[2, 0], [2, 2]], [2, 2], 'int32');
  const out = embeddingLookup(table, ids);
  assert.deepEqual(out.shape, [2, 2, 2]);
  assert.deepEqual(Array.from(out.dataSync()), [5, 6, 1, 2, 5, 6, 5, 6]);
  const g = tf.grad((t: Tensor) => tf.sum(tf.mul(embeddingLookup(t, ids), tf.tensor3d([[[1, 10], [2, 20]], [[3, 30], [4, 40]]]))))(table);
  // row 0 once (2, 20); row 1 never; row 2 three times (1+3+4, 10+30+40)
  assert.deepEqual(Array.from(g.dataSync()), [2, 20, 0, 0, 8, 80]);
  tf.dispose([table, ids, out, g]);
});

test('linear: x·W + b with W held [in, out]', () => {
  const x = tf.tensor3d([[[1, 2]]]);
  const w = tf.tensor2d([[1, 0, 2], [0, 1, 3]]);
  const b = tf.tensor1d([0.5, 0, -1]);
  assert.deepEqual(Array.from(linear(x, w, b).dataSync()), [1.5, 2, 7]);
});

test('layer norm matches a hand computation', () => {
  const x = tf.tensor2d([[1, 2, 3, 4]]);
  const y = layerNorm(x, tf.ones([4]), tf.zeros([4]), 1e-12).dataSync();
  const mean = 2.5;
  const sd = Math.sqrt(((1.5 ** 2) * 2 + (0.5 ** 2) * 2) / 4);
  close(y, [1, 2, 3, 4].map((v) => (v - mean) / sd), 1e-5, 'ln');
});

test('exact gelu and tanh gelu match their definitions', () => {
  const xs = [-3, -1, -0.5, 0, 0.5, 1, 3];
  const erf = (z: number): number => {
    // Abramowitz–Stegun 7.1.26 is too coarse; integrate numerically instead.
    let s = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const t = ((i + 0.5) / n) * z;
      s += Math.exp(-t * t);
    }
    return (2 / Math.sqrt(Math.PI)) * s * (z / n);
  };
  const exact = activation('gelu')(tf.tensor1d(xs)).dataSync();
  close(exact, xs.map((x) => 0.5 * x * (1 + erf(x / Math.SQRT2))), 1e-5, 'gelu');
  const approx = activation('gelu_new')(tf.tensor1d(xs)).dataSync();
  close(approx, xs.map((x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)))), 1e-5, 'gelu_new');
});
