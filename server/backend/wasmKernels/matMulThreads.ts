/**
 * Matrix products on two threads: the wasm backend runs on one core (its threaded build does
 * not load in Node), so a product is also offered to one helper thread running the same SIMD
 * kernel (batchMatMulSimd.ts) on copies of the operands in a shared memory.
 *
 * The product is cut into chunks (rows of one matrix, or whole matrices of a batch). The caller
 * takes chunks from the front and computes them straight into the backend's heap; the helper
 * takes them from the back into its own output area and commits each one. A helper that is
 * slow, busy or descheduled (the machine is shared) never makes the caller wait: once no chunk
 * is left untaken, the caller takes back every chunk the helper has not committed and computes
 * it itself — at worst one chunk twice. Chunk states carry the job number, so a stale helper can
 * neither commit into a later job nor be read by one. The call is synchronous, as a kernel is.
 */
import { Worker } from 'node:worker_threads';
import { batchMatMulModule, batchMatMulSimd, type BatchMatMulFn } from './batchMatMulSimd';
import { webAssembly, type WasmMemory } from './wasmBinary';

const PAGE = 65536;
const MAX_PAGES = 16384; // 1 GiB of shared operands at most
const MAX_CHUNKS = 4096;
/** Control words: job number, the job's parameters, the helper's busy flag; chunk states from STATES. */
const SEQ = 0;
const PARAMS = 1; // a, b, w (byte offsets in the shared memory), m, k, n, strideA, strideB (bytes), rows, perEntry, chunks
const BUSY = 12;
const STATES = 16;
/** A chunk's state is job·4 + one of these. */
const FREE = 0;
const HELPER = 1;
const COMMITTED = 2;
const CALLER = 3;

/** Chunk `chunk`: its matrix in the batch, its first row and its row count. */
function chunkPlace(chunk: number, perEntry: number, rows: number, m: number): [number, number, number] {
  const entry = Math.floor(chunk / perEntry);
  const r0 = (chunk % perEntry) * rows;
  return [entry, r0, Math.min(rows, m - r0)];
}

/**
 * The helper's whole program (its source text is eval'd in the worker, so it names no outer
 * binding: word 0 is the job number, words 1…11 the parameters, 12 the busy flag, states from
 * word 16). Busy is raised before any chunk is taken and lowered after the last, so the caller
 * knows when a late helper might still write into the shared memory.
 */
function helperLoop(ctl: Int32Array, bmm: BatchMatMulFn): void {
  let seen = 0;
  for (;;) {
    Atomics.wait(ctl, 0, seen);
    seen = Atomics.load(ctl, 0);
    if (seen < 0) return;
    Atomics.store(ctl, 12, 1);
    const tag = (seen & 0x1fffffff) * 4;
    const [a, b, w, m, k, n, strideA, strideB, rows, perEntry, chunks] = Array.from(ctl.subarray(1, 12)) as [number, number, number, number, number, number, number, number, number, number, number];
    for (let chunk = chunks - 1; chunk >= 0; chunk--) {
      if (Atomics.compareExchange(ctl, 16 + chunk, tag, tag + 1) !== tag) break; // the caller got here first
      const entry = Math.floor(chunk / perEntry);
      const r0 = (chunk % perEntry) * rows;
      bmm(a + entry * strideA + r0 * k * 4, b + entry * strideB, w + (entry * m + r0) * n * 4, 1, Math.min(rows, m - r0), k, n, 0, 0);
      Atomics.compareExchange(ctl, 16 + chunk, tag + 1, tag + 2); // fails if the caller took it back
    }
    Atomics.store(ctl, 12, 0);
  }
}

const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory } = workerData;
const bmm = new WebAssembly.Instance(module, { env: { memory } }).exports.bmm;
(${helperLoop.toString()})(new Int32Array(memory.buffer, 0, ${STATES + MAX_CHUNKS}), bmm);
`;

/** A product in the caller's heap: byte offsets, and strides in bytes (0 broadcasts that operand). */
export interface HeapProduct {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly batch: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly strideA: number;
  readonly strideB: number;
}

export interface ThreadedMatMul {
  /** C[b] = A[b]·B[b] in `heap`, `bmm` being the kernel bound to that heap. */
  run(heap: ArrayBuffer | SharedArrayBuffer, bmm: BatchMatMulFn, p: HeapProduct): void;
  close(): void;
}

/** A helper thread and its shared memory; null where shared WebAssembly memory or SIMD is missing. */
export function startThreadedMatMul(): ThreadedMatMul | null {
  const module = batchMatMulModule(MAX_PAGES);
  if (module === null || typeof SharedArrayBuffer === 'undefined') return null;
  const memory: WasmMemory = new webAssembly.Memory({ initial: 64, maximum: MAX_PAGES, shared: true });
  if (batchMatMulSimd(memory, MAX_PAGES) === null) return null;
  const worker = new Worker(HELPER_SOURCE, { eval: true, workerData: { module, memory } });
  worker.unref(); // never keeps the process alive
  const ctl = new Int32Array(memory.buffer, 0, STATES + MAX_CHUNKS);
  let job = 0;
  return {
    run(heap, bmm, p) {
      const { batch, m, k, n } = p;
      // ~32 chunks for one product, whole matrices for a batch of 16 or more: enough to balance.
      const rows = batch >= 16 ? m : Math.max(4, Math.ceil(m / Math.ceil(32 / batch) / 4) * 4);
      const perEntry = Math.ceil(m / rows);
      const chunks = Math.min(batch * perEntry, MAX_CHUNKS);
      const [sizeA, sizeB] = [(p.strideA === 0 ? 1 : batch) * m * k * 4, (p.strideB === 0 ? 1 : batch) * k * n * 4];
      const aAt = PAGE;
      const bAt = aAt + sizeA;
      const wAt = bAt + sizeB;
      const end = wAt + batch * m * n * 4;
      // One thread when the product has too many pieces or is too big, or while a late helper
      // may still be writing into the shared memory from a job the caller finished without it.
      if (chunks < batch * perEntry || end > MAX_PAGES * PAGE || Atomics.load(ctl, BUSY) !== 0) {
        bmm(p.a, p.b, p.c, batch, m, k, n, p.strideA, p.strideB);
        return;
      }
      if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
      const shared = new Uint8Array(memory.buffer);
      shared.set(new Uint8Array(heap, p.a, sizeA), aAt);
      shared.set(new Uint8Array(heap, p.b, sizeB), bAt);
      job = (job + 1) & 0x1fffffff;
      const tag = job * 4;
      ctl.fill(tag + FREE, STATES, STATES + chunks);
      ctl.set([aAt, bAt, wAt, m, k, n, p.strideA === 0 ? 0 : m * k * 4, p.strideB === 0 ? 0 : k * n * 4, rows, perEntry, chunks], PARAMS);
      Atomics.store(ctl, SEQ, job);
      Atomics.notify(ctl, SEQ);
      const compute = (chunk: number): void => {
        const [entry, r0, r] = chunkPlace(chunk, perEntry, rows, m);
        bmm(p.a + entry * p.strideA + r0 * k * 4, p.b + entry * p.strideB, p.c + (entry * m + r0) * n * 4, 1, r, k, n, 0, 0);
      };
      let chunk = 0;
      for (; chunk < chunks && Atomics.compareExchange(ctl, STATES + chunk, tag + FREE, tag + CALLER) === tag + FREE; chunk++) compute(chunk);
      // The rest is the helper's: copy what it committed, take back and compute what it has not.
      const out = new Uint8Array(heap);
      for (; chunk < chunks; chunk++) {
        if (Atomics.compareExchange(ctl, STATES + chunk, tag + HELPER, tag + CALLER) === tag + HELPER) {
          compute(chunk);
          continue;
        }
        const state = Atomics.load(ctl, STATES + chunk) - tag;
        if (state === FREE && Atomics.compareExchange(ctl, STATES + chunk, tag + FREE, tag + CALLER) === tag + FREE) compute(chunk);
        else if (state === COMMITTED) {
          const [entry, r0, r] = chunkPlace(chunk, perEntry, rows, m);
          const from = wAt + (entry * m + r0) * n * 4;
          out.set(new Uint8Array(memory.buffer, from, r * n * 4), p.c + (entry * m + r0) * n * 4);
        }
      }
    },
    close() {
      Atomics.store(ctl, SEQ, -1);
      Atomics.notify(ctl, SEQ);
      void worker.terminate();
    },
  };
}
