/**
 * Re-registers the wasm backend's BatchMatMul so that no product takes its slow paths
 * (ENGINE-NOTES trap 2 and the batched-attention finding):
 * - transposed operands are transposed explicitly first (the Transpose kernel, then a plain
 *   product: 10–40× faster than the transposed loops);
 * - one 2-D product goes to the original kernel (XNNPACK);
 * - a batch of products goes to the SIMD kernel of batchMatMulSimd.ts instead of the scalar loop;
 * - products big enough run that kernel on two threads (matMulThreads.ts): the wasm backend uses
 *   one core. TRANSFER_LAB_MATMUL_THREADS=1 keeps them on one.
 * Where the native BLAS loaded (nativeBlas.ts; TRANSFER_LAB_NATIVE_BLAS=0 switches it off), every
 * product goes to it instead (nativeBatchMatMul.ts), with the kernel above for what it leaves.
 */
import { tf } from '../tf';
import { loadNativeBlas } from '../nativeBlas';
import { batchMatMulSimd, type BatchMatMulFn } from './batchMatMulSimd';
import { startThreadedMatMul, type ThreadedMatMul } from './matMulThreads';
import { nativeBatchMatMul, type WasmHeapBackend } from './nativeBatchMatMul';
import { webAssembly, type WasmMemory } from './wasmBinary';

type TensorInfo = tf.TensorInfo;

/** The parts of tfjs-backend-wasm's BackendWasm used here. */
interface WasmBackend extends WasmHeapBackend {
  readonly wasm: { readonly asm?: { readonly memory?: unknown }; readonly HEAPF32: Float32Array };
  disposeData(dataId: object): boolean;
}

function isWasmBackend(b: unknown): b is WasmBackend {
  const w = b as Partial<WasmBackend> | undefined;
  return typeof w?.getMemoryOffset === 'function' && typeof w.makeOutput === 'function' && typeof w.disposeData === 'function';
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

let description = '1 thread';
let installed = false;

/**
 * True once our BatchMatMul is installed: it takes transposed operands at no extra cost (the
 * native BLAS reads them in place; the WebAssembly kernel transposes explicitly, as a caller
 * would), so callers may pass transpose flags instead of transposing first.
 */
export function matMulTakesTransposes(): boolean {
  return installed;
}

/** Where the matrix products run, for the backend's description: "1 thread; matrix products on OpenBLAS, 2 threads". */
export function matMulDescription(): string {
  return description;
}

/** Replaces the kernel (call once); false (tfjs's kernel stays) where the backend, or both SIMD and the native BLAS, are missing. */
export function installFastBatchMatMul(): boolean {
  const backend: unknown = tf.findBackend('wasm');
  const original = tf.getKernel('BatchMatMul', 'wasm');
  const transposeKernel = tf.getKernel('Transpose', 'wasm');
  if (!isWasmBackend(backend) || original === undefined || transposeKernel === undefined) return false;
  const memory = backend.wasm.asm?.memory;
  const simd = memory instanceof webAssembly.Memory ? batchMatMulSimd(memory) : null;
  const { blas } = loadNativeBlas();
  let kernelFunc = memory instanceof webAssembly.Memory && simd !== null ? simdKernel(backend, memory, simd, original, transposeKernel, blas === null) : null;
  if (blas !== null) {
    kernelFunc = nativeBatchMatMul(backend, blas, kernelFunc ?? original.kernelFunc);
    description = `1 thread; matrix products on ${blas.vendor}${blas.threads > 0 ? `, ${blas.threads} thread${blas.threads > 1 ? 's' : ''}` : ''}`;
  }
  if (kernelFunc === null) return false;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc });
  installed = true;
  return true;
}

/** The WebAssembly kernel: explicit transposes, the SIMD batch kernel, two threads when `helper` allows. */
function simdKernel(backend: WasmBackend, memory: WasmMemory, simd: BatchMatMulFn, original: tf.KernelConfig, transposeKernel: tf.KernelConfig, helper: boolean): tf.KernelFunc {
  const threads = !helper || process.env['TRANSFER_LAB_MATMUL_THREADS'] === '1' ? null : startThreadedMatMul();
  if (threads !== null) description = '1 thread; matrix products on 2';
  const kernelFunc = (args: Parameters<tf.KernelFunc>[0]): TensorInfo => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || size(a.shape) === 0 || size(b.shape) === 0) return original.kernelFunc(args) as TensorInfo;
    const swapped = (x: TensorInfo): TensorInfo => {
      const perm = x.shape.map((_, i) => i);
      const n = perm.length;
      [perm[n - 2], perm[n - 1]] = [n - 1, n - 2];
      return transposeKernel.kernelFunc({ inputs: { x }, backend: args.backend, attrs: { perm } }) as TensorInfo;
    };
    const a2 = transposeA ? swapped(a) : a;
    const b2 = transposeB ? swapped(b) : b;
    try {
      const plain = { inputs: { a: a2, b: b2 }, backend: args.backend, attrs: { ...args.attrs, transposeA: false, transposeB: false } };
      return product(backend, memory, simd, threads, a2, b2) ?? (original.kernelFunc(plain) as TensorInfo);
    } finally {
      if (a2 !== a) backend.disposeData(a2.dataId);
      if (b2 !== b) backend.disposeData(b2.dataId);
    }
  };
  return kernelFunc as tf.KernelFunc;
}

/**
 * Two threads pay off when each product is big enough to amortise the hand-off (~tens of µs) and
 * the copies: at least 64 rows per matrix (so copying B is cheap next to using it 64 times —
 * a decoding step's [1 × 768]·[768 × 50257] LM head stays on XNNPACK, which keeps its packed
 * weights) and 4 MFLOP in all; operands beyond 512 MiB stay on one thread.
 */
function worthTwoThreads(batch: number, m: number, k: number, n: number, bytes: number): boolean {
  return m >= 64 && 2 * batch * m * k * n >= 4e6 && bytes <= 512 * 2 ** 20;
}

/**
 * A[b]·B[b] for untransposed operands: on two threads when worthwhile, a batch on the SIMD
 * kernel; null for a single product on one thread (XNNPACK) and batch shapes it does not take.
 */
function product(backend: WasmBackend, heapMemory: WasmMemory, simd: BatchMatMulFn, threads: ThreadedMatMul | null, a: TensorInfo, b: TensorInfo): TensorInfo | null {
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = size(outerA);
  const batchB = size(outerB);
  const sameOuter = outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i]);
  if (!sameOuter && batchA !== 1 && batchB !== 1) return null; // general broadcasting: tfjs's loop
  const [m, k] = a.shape.slice(-2) as [number, number];
  const n = b.shape[b.shape.length - 1] as number;
  const batch = Math.max(batchA, batchB);
  const twoThreads = threads !== null && worthTwoThreads(batch, m, k, n, 4 * (size(a.shape) + size(b.shape) + batch * m * n));
  if (batch === 1 && !twoThreads) return null; // one 2-D product: XNNPACK
  const out = backend.makeOutput([...(batchA >= batchB ? outerA : outerB), m, n], 'float32');
  const [aAt, bAt, outAt] = [backend.getMemoryOffset(a.dataId), backend.getMemoryOffset(b.dataId), backend.getMemoryOffset(out.dataId)];
  const [strideA, strideB] = [batchA === 1 ? 0 : m * k, batchB === 1 ? 0 : k * n];
  if (twoThreads) {
    // The heap's buffer is read after makeOutput, which may have grown it.
    threads.run(heapMemory.buffer, simd, { a: aAt, b: bAt, c: outAt, batch, m, k, n, strideA: strideA * 4, strideB: strideB * 4 });
  } else {
    simd(aAt, bAt, outAt, batch, m, k, n, strideA * 4, strideB * 4);
  }
  return out;
}
