/**
 * The native BLAS path for BatchMatMul (nativeBlas.ts, nativeBatchMatMul.ts, native/blas/gemm.c)
 * against the WebAssembly kernels it replaces, in one process: the backend starts with
 * TRANSFER_LAB_NATIVE_BLAS=0 (so the WebAssembly kernel is installed and the switch is checked),
 * then each comparison swaps the native kernel in. Skipped where the addon or a BLAS is missing
 * (another platform, no compiler at npm ci): the engine then never uses it either.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { tf, type Tensor } from '../../../server/backend/tf';
import { initBackend } from '../../../server/backend/selectBackend';
import { loadNativeBlas, nativeBlasAddonFile, openNativeBlas, type NativeBlas } from '../../../server/backend/nativeBlas';
import { nativeBatchMatMul, type WasmHeapBackend } from '../../../server/backend/wasmKernels/nativeBatchMatMul';
import { matMul } from '../../../server/models/ops/matMul';

const switchBefore = process.env['TRANSFER_LAB_NATIVE_BLAS'];
process.env['TRANSFER_LAB_NATIVE_BLAS'] = '0';
const opened = openNativeBlas();
const skip = opened.blas === null ? `no native BLAS here: ${opened.reason}` : false;
let device = '';
let wasmKernel: tf.KernelFunc;
let nativeKernel: tf.KernelFunc;

before(async () => {
  device = (await initBackend('wasm')).device;
  const config = tf.getKernel('BatchMatMul', 'wasm');
  assert.ok(config !== undefined);
  wasmKernel = config.kernelFunc;
  if (opened.blas !== null) nativeKernel = nativeBatchMatMul(tf.backend() as unknown as WasmHeapBackend, opened.blas, wasmKernel);
});

after(() => {
  if (switchBefore === undefined) delete process.env['TRANSFER_LAB_NATIVE_BLAS'];
  else process.env['TRANSFER_LAB_NATIVE_BLAS'] = switchBefore;
});

/** fn with `kernel` registered as the wasm BatchMatMul, the WebAssembly kernel again afterwards. */
function withKernel<T>(kernel: tf.KernelFunc, fn: () => T): T {
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: kernel });
  try {
    return fn();
  } finally {
    tf.unregisterKernel('BatchMatMul', 'wasm');
    tf.registerKernel({ kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: wasmKernel });
  }
}

/** The same computation on both kernels: shapes and values (tolerance scaled by √k). */
function agree(what: string, k: number, compute: () => Tensor[]): void {
  const run = (kernel: tf.KernelFunc): { shape: number[]; values: Float32Array }[] =>
    withKernel(kernel, () => {
      const outs = compute();
      const r = outs.map((t) => ({ shape: t.shape, values: t.dataSync() as Float32Array }));
      tf.dispose(outs);
      return r;
    });
  const [want, got] = [run(wasmKernel), run(nativeKernel)];
  assert.equal(got.length, want.length, what);
  got.forEach((g, o) => {
    const w = want[o]!;
    assert.deepEqual(g.shape, w.shape, `${what} #${o} shape`);
    for (let i = 0; i < w.values.length; i++) {
      const [x, y] = [g.values[i] as number, w.values[i] as number];
      assert.ok(Math.abs(x - y) <= 2e-5 * Math.max(1, Math.abs(y)) * Math.sqrt(k + 1), `${what} #${o} [${i}]: ${x} vs ${y}`);
    }
  });
}

test('TRANSFER_LAB_NATIVE_BLAS=0 keeps the WebAssembly kernels, and the device says so', () => {
  assert.match(loadNativeBlas().reason ?? '', /switched off/);
  assert.doesNotMatch(device, /OpenBLAS|BLIS|MKL/);
});

test('the addon opens an optimised BLAS and names it', { skip }, () => {
  const blas = opened.blas as NativeBlas;
  assert.match(blas.vendor, /^(OpenBLAS|BLIS|MKL)$/);
  assert.ok(blas.threads >= 0);
});

test('every transpose combination, batch shape and broadcast agrees with the WebAssembly kernel', { skip }, () => {
  const cases: { outerA: number[]; outerB: number[]; m: number; k: number; n: number }[] = [
    { outerA: [], outerB: [], m: 13, k: 10, n: 21 }, // one 2-D product
    { outerA: [], outerB: [], m: 97, k: 200, n: 110 },
    { outerA: [], outerB: [], m: 1, k: 768, n: 515 }, // a decoding step's row
    { outerA: [3], outerB: [3], m: 5, k: 7, n: 11 },
    { outerA: [2, 4], outerB: [2, 4], m: 16, k: 9, n: 24 }, // rank 4 (attention)
    { outerA: [2, 3], outerB: [2, 3], m: 1, k: 64, n: 37 },
    { outerA: [4], outerB: [1], m: 6, k: 5, n: 9 }, // B broadcast (one product of 4·6 rows when A is plain)
    { outerA: [1], outerB: [5], m: 3, k: 4, n: 17 }, // A broadcast
    { outerA: [3], outerB: [1], m: 64, k: 100, n: 120 },
    { outerA: [2, 1], outerB: [1, 3], m: 4, k: 6, n: 5 }, // general broadcasting: left to the WebAssembly kernel
    { outerA: [1], outerB: [1], m: 1, k: 1, n: 1 },
    { outerA: [], outerB: [], m: 23, k: 17, n: 1 }, // one column: sgemv
    { outerA: [3], outerB: [3], m: 40, k: 9, n: 1 },
    { outerA: [3], outerB: [1], m: 1, k: 33, n: 70 }, // one row, B broadcast: sgemv per batch entry
  ];
  let seed = 1;
  for (const c of cases) {
    const a = tf.randomNormal([...c.outerA, c.m, c.k], 0, 1, 'float32', seed++);
    const b = tf.randomNormal([...c.outerB, c.k, c.n], 0, 1, 'float32', seed++);
    const swap = (x: Tensor): Tensor => {
      const perm = x.shape.map((_, i) => i);
      const r = perm.length;
      [perm[r - 2], perm[r - 1]] = [r - 1, r - 2];
      return tf.transpose(x, perm);
    };
    const [aT, bT] = [swap(a), swap(b)];
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      agree(`${JSON.stringify(c)} transposeA=${ta} transposeB=${tb}`, c.k, () => [tf.matMul(ta ? aT : a, tb ? bT : b, ta, tb)]);
    }
    tf.dispose([a, b, aT, bT]);
  }
});

test('empty operands: an empty output, or zeros for an empty inner dimension', { skip }, () => {
  const cases = [
    [[4, 0], [0, 8], [4, 8]], [[2, 3, 0], [2, 0, 5], [2, 3, 5]], // k = 0: zeros
    [[0, 5], [5, 3], [0, 3]], [[2, 3, 4], [2, 4, 0], [2, 3, 0]], [[0, 3, 4], [0, 4, 2], [0, 3, 2]], // nothing to compute
  ] as const;
  withKernel(nativeKernel, () => {
    for (const [sa, sb, want] of cases) {
      // Ones of the transposed shapes stand in for transposed operands (tf.transpose of an empty tensor throws).
      const swapped = (s: readonly number[]): number[] => [...s.slice(0, -2), s[s.length - 1] as number, s[s.length - 2] as number];
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const got = tf.tidy(() => tf.matMul(tf.ones(ta ? swapped(sa) : [...sa]), tf.ones(tb ? swapped(sb) : [...sb]), ta, tb));
        const what = `${JSON.stringify(sa)}·${JSON.stringify(sb)} transposeA=${ta} transposeB=${tb}`;
        assert.deepEqual(got.shape, [...want], what);
        assert.ok(got.dataSync().every((v) => v === 0), `${what}: zeros`);
        got.dispose();
      }
    }
  });
});

test("the matMul op's gradients (a small two-layer product) agree", { skip }, () => {
  const x = tf.randomNormal([2, 3, 7, 16], 0, 1, 'float32', 11);
  const w1 = tf.randomNormal([2, 3, 16, 9], 0, 1, 'float32', 12);
  const w2 = tf.randomNormal([2, 3, 9, 5], 0, 1, 'float32', 13);
  const f = (a: Tensor, b: Tensor, c: Tensor): Tensor => tf.sum(tf.square(matMul(tf.tanh(matMul(a, b)), c)));
  agree('d/dx, d/dw1, d/dw2', 16, () => tf.grads(f)([x, w1, w2]));
  tf.dispose([x, w1, w2]);
});

test('repeated native products leave no tensors and no backend storage behind', { skip }, () => {
  const a = tf.randomNormal([8, 4, 33, 64]);
  const b = tf.randomNormal([8, 4, 64, 33]);
  withKernel(nativeKernel, () => {
    const run = (): void => tf.tidy(() => void tf.matMul(a, b, false, true).dataSync());
    run();
    const { numTensors, numDataBuffers } = tf.memory();
    for (let i = 0; i < 20; i++) run();
    assert.equal(tf.memory().numTensors, numTensors);
    assert.equal(tf.memory().numDataBuffers, numDataBuffers);
  });
  tf.dispose([a, b]);
});

test('sgemm refuses operands that reach past their arrays, and wrong argument types', { skip }, () => {
  const blas = opened.blas as NativeBlas;
  const [a, b, c] = [new Float32Array(6), new Float32Array(6), new Float32Array(4)];
  assert.throws(() => blas.sgemm(a, 1, b, 0, c, 0, 1, 2, 2, 3, false, false, 0, 0), /past the end/);
  assert.throws(() => blas.sgemm(a, 0, b, 0, c, 0, 2, 2, 2, 3, false, false, 6, 6), /past the end/);
  assert.throws(() => blas.sgemm(a, 0, b, 0, c, 0, 1, -2, 2, 3, false, false, 0, 0), /negative/);
  assert.throws(() => blas.sgemm(new Float64Array(6) as unknown as Float32Array, 0, b, 0, c, 0, 1, 2, 2, 3, false, false, 0, 0), /Float32Array/);
  a.set([1, 2, 3, 4, 5, 6]);
  b.set([1, 0, 0, 1, 1, 1]);
  blas.sgemm(a, 0, b, 0, c, 0, 1, 2, 2, 3, false, false, 0, 0);
  assert.deepEqual(Array.from(c), [4, 5, 10, 11]);
});

test('a missing library is refused with a reason, and the reference BLAS too', { skip }, () => {
  const file = nativeBlasAddonFile() as string;
  const code = `const r = require(${JSON.stringify(file)}).open(['libno-such-blas.so.7', '/usr/lib/x86_64-linux-gnu/blas/libblas.so.3']); console.log(JSON.stringify(r));`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const reason = JSON.parse(r.stdout) as unknown;
  assert.equal(typeof reason, 'string');
  assert.match(reason as string, /libno-such-blas\.so\.7: not found/);
  if (existsSync('/usr/lib/x86_64-linux-gnu/blas/libblas.so.3')) assert.match(reason as string, /reference BLAS/); // Debian's libblas3
});

test('worker threads load the addon and multiply at the same time as the main thread', { skip }, async () => {
  const file = nativeBlasAddonFile() as string;
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const blas = require(workerData.file);
    const opened = blas.open(['libopenblas.so.0', 'libblas.so.3', 'libcblas.so.3']);
    if (typeof opened === 'string') throw new Error(opened);
    const n = 96, a = new Float32Array(n * n), b = new Float32Array(n * n), c = new Float32Array(n * n);
    for (let i = 0; i < n * n; i++) { a[i] = (i % 7) - 3; b[i] = (i % 5) - 2; }
    let bad = 0;
    for (let r = 0; r < 50; r++) {
      blas.sgemm(a, 0, b, 0, c, 0, 1, n, n, n, r % 2 === 1, false, 0, 0);
      if (r === 0 || r === 1) {
        for (let i = 0; i < n; i += 17) for (let j = 0; j < n; j += 13) {
          let s = 0;
          for (let q = 0; q < n; q++) s += (r === 1 ? a[q * n + i] : a[i * n + q]) * b[q * n + j];
          if (s !== c[i * n + j]) bad++;
        }
      }
    }
    parentPort.postMessage(bad);`;
  const workers = [0, 1, 2].map(() => new Worker(source, { eval: true, workerData: { file } }));
  const done = workers.map((w) => new Promise<number>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  }));
  const a = tf.randomNormal([4, 64, 80], 0, 1, 'float32', 5);
  const b = tf.randomNormal([4, 80, 48], 0, 1, 'float32', 6);
  for (let i = 0; i < 5; i++) agree('main thread meanwhile', 80, () => [tf.matMul(a, b)]);
  tf.dispose([a, b]);
  assert.deepEqual(await Promise.all(done), [0, 0, 0]); // small integers: exact in float32
  await Promise.all(workers.map((w) => w.terminate()));
});
