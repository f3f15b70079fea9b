/**
 * BatchMatMul on the machine's BLAS (nativeBlas.ts): every transpose combination, batched or
 * 2-D, is one call of the addon's sgemm on the wasm heap itself — the transpose flags go to
 * BLAS, so no explicit transposes and no copies. OpenBLAS runs its own threads, so the helper
 * thread of matMulThreads.ts is not started. Integer dtypes and general broadcasting of the
 * batch dimensions go to `fallback`. An empty inner dimension gives zeros (sgemm clears the
 * output; tfjs's wasm kernel leaves whatever the heap held there).
 */
import { tf } from '../tf';
import type { NativeBlas } from '../nativeBlas';

type TensorInfo = tf.TensorInfo;

/** The parts of tfjs-backend-wasm's BackendWasm used here. */
export interface WasmHeapBackend {
  readonly wasm: { readonly HEAPF32: Float32Array };
  getMemoryOffset(dataId: object): number;
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export function nativeBatchMatMul(backend: WasmHeapBackend, blas: NativeBlas, fallback: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return fallback(args);
    const outerA = a.shape.slice(0, -2);
    const outerB = b.shape.slice(0, -2);
    const [batchA, batchB] = [size(outerA), size(outerB)];
    const sameOuter = outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i]);
    if (!sameOuter && batchA !== 1 && batchB !== 1) return fallback(args); // general broadcasting
    const [rowsA, colsA] = a.shape.slice(-2) as [number, number];
    const [rowsB, colsB] = b.shape.slice(-2) as [number, number];
    const [m, k] = transposeA ? [colsA, rowsA] : [rowsA, colsA];
    const n = transposeB ? rowsB : colsB;
    const outer = tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
    const out = backend.makeOutput([...outer, m, n], 'float32');
    if (size(out.shape) === 0) return out;
    const heap = backend.wasm.HEAPF32; // read after makeOutput, which may have grown the heap
    const at = (t: TensorInfo): number => backend.getMemoryOffset(t.dataId) / 4;
    blas.sgemm(heap, at(a), heap, at(b), heap, at(out), Math.max(batchA, batchB), m, n, k, transposeA, transposeB,
      batchA === 1 ? 0 : m * k, batchB === 1 ? 0 : k * n);
    return out;
  };
}
