/**
 * Matrix products on two threads: the wasm backend runs on one core (its threaded build does
 * not load in Node), so a product is also handed to one worker thread running the same SIMD
 * kernel (batchMatMulSimd.ts). The operands are copied into a shared memory, both threads take
 * chunks of rows (or of batch entries) from a shared counter until none are left — a busy or
 * descheduled helper only means the calling thread does more chunks — and the result is copied
 * back into the backend's heap. The call is synchronous, as a kernel must be.
 */
import { Worker } from 'node:worker_threads';
import { batchMatMulModule, batchMatMulSimd, type BatchMatMulFn } from './batchMatMulSimd';
import { webAssembly, type WasmMemory } from './wasmBinary';

const PAGE = 65536;
const MAX_PAGES = 16384; // 1 GiB of shared operands at most
/** The control block (first page): job number, next chunk, chunks done, the job's parameters. */
const SEQ = 0;
const NEXT = 1;
const DONE = 2;
const PARAMS = 3; // a, b, c, batch, m, k, n, strideA, strideB, rowsPerChunk, chunksPerEntry, chunks

/**
 * Worker and caller run this same loop (the worker gets its source text, so it names no outer
 * binding: indices 1, 2 and 3 are NEXT, DONE and PARAMS).
 */
function claimChunks(ctl: Int32Array, bmm: BatchMatMulFn): void {
  const [a, b, c, , m, k, n, strideA, strideB, rows, perEntry, chunks] = Array.from(ctl.subarray(3, 15)) as number[] as [number, number, number, number, number, number, number, number, number, number, number, number];
  let done = 0;
  for (let chunk = Atomics.add(ctl, 1, 1); chunk < chunks; chunk = Atomics.add(ctl, 1, 1)) {
    const entry = Math.floor(chunk / perEntry);
    const r0 = (chunk % perEntry) * rows;
    bmm(a + entry * strideA + r0 * k * 4, b + entry * strideB, c + (entry * m + r0) * n * 4, 1, Math.min(rows, m - r0), k, n, 0, 0);
    done += 1;
  }
  if (done > 0) {
    Atomics.add(ctl, 2, done);
    Atomics.notify(ctl, 2);
  }
}

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory } = workerData;
const bmm = new WebAssembly.Instance(module, { env: { memory } }).exports.bmm;
const ctl = new Int32Array(memory.buffer, 0, 64);
const claimChunks = ${claimChunks.toString()};
let seen = 0;
for (;;) {
  Atomics.wait(ctl, ${SEQ}, seen);
  seen = Atomics.load(ctl, ${SEQ});
  if (seen < 0) break;
  claimChunks(ctl, bmm);
}
`;

export interface ThreadedMatMul {
  /**
   * C[b] = A[b]·B[b] for row-major float32 operands given as views of the caller's heap
   * (strides in floats; 0 broadcasts B or A), written into `c`.
   */
  run(a: Float32Array, b: Float32Array, c: Float32Array, batch: number, m: number, k: number, n: number, strideA: number, strideB: number): void;
  close(): void;
}

/** A helper thread and its shared memory; null where shared WebAssembly memory or SIMD is missing. */
export function startThreadedMatMul(): ThreadedMatMul | null {
  const module = batchMatMulModule(MAX_PAGES);
  if (module === null || typeof SharedArrayBuffer === 'undefined') return null;
  const memory: WasmMemory = new webAssembly.Memory({ initial: 64, maximum: MAX_PAGES, shared: true });
  const bmm = batchMatMulSimd(memory, MAX_PAGES);
  if (bmm === null) return null;
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory } });
  worker.unref(); // never keeps the process alive
  const ctl = new Int32Array(memory.buffer, 0, 64);
  return {
    run(a, b, c, batch, m, k, n, strideA, strideB) {
      const batchA = strideA === 0 ? 1 : batch;
      const batchB = strideB === 0 ? 1 : batch;
      const aOff = PAGE;
      const bOff = aOff + batchA * m * k * 4;
      const cOff = bOff + batchB * k * n * 4;
      const end = cOff + batch * m * n * 4;
      if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
      const heap = memory.buffer;
      new Float32Array(heap, aOff, a.length).set(a);
      new Float32Array(heap, bOff, b.length).set(b);
      // ~32 chunks for one product, whole entries (or halves) for a batch: enough to balance two threads.
      const rows = batch >= 16 ? m : Math.max(4, Math.ceil(m / Math.ceil(32 / batch) / 4) * 4);
      const perEntry = Math.ceil(m / rows);
      ctl.set([aOff, bOff, cOff, batch, m, k, n, strideA * 4, strideB * 4, rows, perEntry, batch * perEntry], PARAMS);
      Atomics.store(ctl, NEXT, 0);
      Atomics.store(ctl, DONE, 0);
      Atomics.add(ctl, SEQ, 1);
      Atomics.notify(ctl, SEQ);
      claimChunks(ctl, bmm);
      const chunks = batch * perEntry;
      for (let d = Atomics.load(ctl, DONE); d < chunks; d = Atomics.load(ctl, DONE)) Atomics.wait(ctl, DONE, d);
      c.set(new Float32Array(heap, cOff, c.length));
    },
    close() {
      Atomics.store(ctl, SEQ, -1);
      Atomics.notify(ctl, SEQ);
      void worker.terminate();
    },
  };
}
