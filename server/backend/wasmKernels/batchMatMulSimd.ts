/**
 * Batched float32 matrix product C[b] = A[b]·B[b] (row-major, no transposes) as a WebAssembly
 * SIMD kernel that runs on the wasm backend's own heap. tfjs-backend-wasm hands every product
 * with a batch dimension > 1 (attention's [B, heads, T, D] products) to a scalar C++ loop of
 * about 1 GFLOP/s; XNNPACK serves only single 2-D products. This kernel computes 4 rows × 8
 * columns of C per pass over k (eight 4-lane accumulators), each C element summed in k order.
 */
import { FunctionWriter, moduleBytes, webAssembly, type ValueType, type WasmMemory } from './wasmBinary';

/** Byte addresses into the shared heap; strides in bytes (0 broadcasts one matrix over the batch). */
export type BatchMatMulFn = (a: number, b: number, c: number, batch: number, m: number, k: number, n: number, strideA: number, strideB: number) => void;

const PARAMS: readonly ValueType[] = ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'];
const [A, B, C, BATCH, M, K, N, STRIDE_A, STRIDE_B] = PARAMS.map((_, i) => i) as [number, number, number, number, number, number, number, number, number];

function kernel(): FunctionWriter {
  const f = new FunctionWriter(PARAMS);
  const int = (): number => f.local('i32');
  const bi = int(), i = int(), j = int(), k = int(); // batch, row, column, inner counters
  const aB = int(), bB = int(), cB = int(); // this batch's A, B, C
  const pa = int(), pb = int(), pc = int(); // moving pointers
  const m4 = int(), n8 = int(), kb = int(), nb = int(); // M rounded to 4, N rounded to 8, row bytes of A and of B/C
  const s = f.local('f32');
  const splat = f.local('v128');
  const b0 = f.local('v128');
  const b1 = f.local('v128');
  const acc = Array.from({ length: 8 }, () => f.local('v128'));
  const rowOffsetA = [null, f.local('i32'), f.local('i32'), f.local('i32')] as const; // r·K·4
  const rowOffsetC = [null, f.local('i32'), f.local('i32'), f.local('i32')] as const; // r·N·4

  // Per call: byte strides of a row, row offsets within a 4-row block, block-aligned extents.
  f.get(K).i32(4).mul().set(kb);
  f.get(N).i32(4).mul().set(nb);
  for (const r of [1, 2, 3] as const) {
    f.get(kb).i32(r).mul().set(rowOffsetA[r]);
    f.get(nb).i32(r).mul().set(rowOffsetC[r]);
  }
  f.get(M).i32(-4).emit(0x71).set(m4); // i32.and: M rounded down to 4
  f.get(N).i32(-8).emit(0x71).set(n8);

  /** Address of row r: base + r·stride (base for r = 0). */
  const row = (base: number, offsets: typeof rowOffsetA, r: number): void => {
    f.get(base);
    const off = offsets[r as 0 | 1 | 2 | 3];
    if (off !== null) f.get(off).add();
  };

  /** C[i .. i+rows, j .. j+8] for the current i, j: rows × 2 accumulators over all k. */
  const block = (rows: 1 | 4): void => {
    for (let r = 0; r < 2 * rows; r++) f.v128Zero().set(acc[r] as number);
    f.get(aB).get(i).get(kb).mul().add().set(pa); // &A[b, i, 0]
    f.get(bB).get(j).i32(4).mul().add().set(pb); // &B[b, 0, j]
    f.forLoop(k, 0, K, 1, () => {
      f.get(pb).v128Load(0).set(b0);
      f.get(pb).v128Load(16).set(b1);
      for (let r = 0; r < rows; r++) {
        row(pa, rowOffsetA, r);
        f.v128LoadSplat().tee(splat).get(b0).f32x4Mul().get(acc[2 * r] as number).f32x4Add().set(acc[2 * r] as number);
        f.get(splat).get(b1).f32x4Mul().get(acc[2 * r + 1] as number).f32x4Add().set(acc[2 * r + 1] as number);
      }
      f.increment(pa, 4);
      f.increment(pb, { local: nb });
    });
    f.get(cB).get(i).get(nb).mul().add().get(j).i32(4).mul().add().set(pc); // &C[b, i, j]
    for (let r = 0; r < rows; r++) {
      row(pc, rowOffsetC, r);
      f.get(acc[2 * r] as number).v128Store(0);
      row(pc, rowOffsetC, r);
      f.get(acc[2 * r + 1] as number).v128Store(16);
    }
  };

  f.forLoop(bi, 0, BATCH, 1, () => {
    f.get(A).get(bi).get(STRIDE_A).mul().add().set(aB);
    f.get(B).get(bi).get(STRIDE_B).mul().add().set(bB);
    f.get(C).get(bi).get(M).mul().get(nb).mul().add().set(cB);
    f.forLoop(i, 0, m4, 4, () => f.forLoop(j, 0, n8, 8, () => block(4)));
    f.forLoop(i, { local: m4 }, M, 1, () => f.forLoop(j, 0, n8, 8, () => block(1)));
    // Columns past the last multiple of 8: one dot product per element.
    f.forLoop(i, 0, M, 1, () => f.forLoop(j, { local: n8 }, N, 1, () => {
      f.f32(0).set(s);
      f.get(aB).get(i).get(kb).mul().add().set(pa);
      f.get(bB).get(j).i32(4).mul().add().set(pb);
      f.forLoop(k, 0, K, 1, () => {
        f.get(s).get(pa).f32Load().get(pb).f32Load().f32Mul().f32Add().set(s);
        f.increment(pa, 4);
        f.increment(pb, { local: nb });
      });
      f.get(cB).get(i).get(nb).mul().add().get(j).i32(4).mul().add().get(s).f32Store();
    }));
  });
  return f;
}

const compiled = new Map<string, object>();

/** The compiled kernel for a memory imported plain (the wasm backend's) or shared (at most `sharedMaxPages`). */
export function batchMatMulModule(sharedMaxPages: number | null = null): object | null {
  const key = String(sharedMaxPages);
  let module = compiled.get(key);
  if (module === undefined) {
    const bytes = moduleBytes('bmm', PARAMS, kernel(), sharedMaxPages);
    if (!webAssembly.validate(bytes)) return null;
    module = new webAssembly.Module(bytes);
    compiled.set(key, module);
  }
  return module;
}

/** The kernel bound to `memory` (the wasm backend's heap), or null where WebAssembly SIMD is missing. */
export function batchMatMulSimd(memory: WasmMemory, sharedMaxPages: number | null = null): BatchMatMulFn | null {
  const module = batchMatMulModule(sharedMaxPages);
  if (module === null) return null;
  const instance = new webAssembly.Instance(module, { env: { memory } });
  return instance.exports['bmm'] as BatchMatMulFn;
}
