/**
 * Direct, in-place access to a float32 tensor's storage on the backends that keep it in this
 * process (WebAssembly heap, JS arrays). Elementwise updates over millions of values (AdamW)
 * then run as one fused JS loop instead of a dozen kernels, each allocating a full-size output.
 * Native backends (tfjs-node, GPU) give null and callers fall back to tensor ops.
 * Caution: the wasm backend caches packed matmul weights by tensor id, so never change the values
 * of a tensor that may be a matmul operand in place — write a fresh tensor and assign it.
 */
import { tf, type Tensor } from './tf';

/** The parts of tfjs-backend-wasm's BackendWasm used here (public methods and the Emscripten heap). */
interface WasmBackendLike {
  getMemoryOffset(dataId: object): number;
  refCount(dataId: object): number;
  readonly wasm: { readonly HEAPF32: Float32Array };
}

/** The parts of tfjs-backend-cpu's MathBackendCPU used here. */
interface CpuBackendLike {
  readonly data: { get(dataId: object): { values?: unknown; refCount: number } | undefined };
}

function isWasm(b: unknown): b is WasmBackendLike {
  return typeof (b as WasmBackendLike).getMemoryOffset === 'function' && (b as WasmBackendLike).wasm?.HEAPF32 instanceof Float32Array;
}

function isCpu(b: unknown): b is CpuBackendLike {
  return typeof (b as CpuBackendLike).data?.get === 'function';
}

export interface RawFloat32 {
  /** Live view over the tensor's values; valid until the next tfjs allocation (the heap may grow). */
  readonly values: Float32Array;
  /** True when no other tensor shares the storage, so writing it changes only this tensor. */
  readonly exclusive: boolean;
}

export function rawFloat32(t: Tensor): RawFloat32 | null {
  if (t.dtype !== 'float32' || t.isDisposed) return null;
  const backend: unknown = tf.backend();
  const dataId = t.dataId as object;
  const name = tf.getBackend();
  if (name === 'wasm' && isWasm(backend)) {
    const offset = backend.getMemoryOffset(dataId);
    const heap = backend.wasm.HEAPF32;
    return { values: new Float32Array(heap.buffer, offset, t.size), exclusive: backend.refCount(dataId) === 1 };
  }
  if (name === 'cpu' && isCpu(backend)) {
    const entry = backend.data.get(dataId);
    const values = entry?.values;
    if (!(values instanceof Float32Array) || values.length !== t.size) return null;
    return { values, exclusive: entry?.refCount === 1 };
  }
  return null;
}
