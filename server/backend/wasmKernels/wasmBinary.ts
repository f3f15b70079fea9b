/**
 * Just enough of the WebAssembly binary format (core spec + fixed-width SIMD) to write small
 * numeric kernels as code: LEB128 numbers, the opcodes the kernels use, structured loops, and a
 * module that imports its memory and exports one function. Kernels written with it run on the
 * WebAssembly backend's own heap (see batchMatMulSimd.ts).
 */

/** The engine's WebAssembly API, typed here: the server compiles against ES2022 + Node types, which do not declare it. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
  readonly Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}
export const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

export type ValueType = 'i32' | 'f32' | 'v128';
const TYPE_CODE: Record<ValueType, number> = { i32: 0x7f, f32: 0x7d, v128: 0x7b };

function unsignedLeb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function signedLeb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const utf8 = (s: string): number[] => [...unsignedLeb(s.length), ...Buffer.from(s, 'utf8')];
const vector = (items: number[][]): number[] => [...unsignedLeb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...unsignedLeb(body.length), ...body];

const SIMD = 0xfd;
/** Byte alignment hint of 4 (log2 = 2): operands are float32 arrays, not always 16-byte aligned. */
const ALIGN4 = 2;

/** A function body being written; locals are numbered after the parameters, in declaration order. */
export class FunctionWriter {
  readonly bytes: number[] = [];
  private readonly locals: ValueType[] = [];

  constructor(private readonly params: readonly ValueType[]) {}

  /** A new local of `type`; returns its index. */
  local(type: ValueType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  get(i: number): this { return this.emit(0x20, ...unsignedLeb(i)); }
  set(i: number): this { return this.emit(0x21, ...unsignedLeb(i)); }
  tee(i: number): this { return this.emit(0x22, ...unsignedLeb(i)); }
  i32(v: number): this { return this.emit(0x41, ...signedLeb(v)); }
  f32(v: number): this { return this.emit(0x43, ...new Uint8Array(new Float32Array([v]).buffer)); }
  add(): this { return this.emit(0x6a); }
  mul(): this { return this.emit(0x6c); }
  f32Load(offset = 0): this { return this.emit(0x2a, ALIGN4, ...unsignedLeb(offset)); }
  f32Store(offset = 0): this { return this.emit(0x38, ALIGN4, ...unsignedLeb(offset)); }
  f32Add(): this { return this.emit(0x92); }
  f32Mul(): this { return this.emit(0x94); }
  v128Load(offset = 0): this { return this.simd(0x00, ALIGN4, ...unsignedLeb(offset)); }
  /** Loads one float32 into all four lanes. */
  v128LoadSplat(offset = 0): this { return this.simd(0x09, ALIGN4, ...unsignedLeb(offset)); }
  v128Store(offset = 0): this { return this.simd(0x0b, ALIGN4, ...unsignedLeb(offset)); }
  v128Zero(): this { return this.simd(0x0c, ...new Array<number>(16).fill(0)); }
  f32x4Add(): this { return this.simd(0xe4, 0x01); }
  f32x4Mul(): this { return this.simd(0xe6, 0x01); }

  /** local[i] += step */
  increment(i: number, step: number | { local: number }): this {
    this.get(i);
    if (typeof step === 'number') this.i32(step);
    else this.get(step.local);
    return this.add().set(i);
  }

  /** for (local[counter] = start; local[counter] < local[end]; local[counter] += step) body() — signed compare. */
  forLoop(counter: number, start: number | { local: number }, end: number, step: number, body: () => void): this {
    if (typeof start === 'number') this.i32(start);
    else this.get(start.local);
    this.set(counter);
    this.emit(0x02, 0x40); // block
    this.emit(0x03, 0x40); // loop
    this.get(counter).get(end).emit(0x4e); // i32.ge_s
    this.emit(0x0d, 1); // br_if to the block's end
    body();
    this.increment(counter, step);
    this.emit(0x0c, 0); // br to the loop's start
    this.emit(0x0b, 0x0b); // end loop, end block
    return this;
  }

  emit(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }

  private simd(op: number, ...rest: number[]): this {
    return this.emit(SIMD, op, ...rest);
  }

  /** The code-section entry: locals (one run per local, which the format allows) and the body. */
  encode(): number[] {
    const locals = vector(this.locals.map((t) => [1, TYPE_CODE[t]]));
    const body = [...locals, ...this.bytes, 0x0b];
    return [...unsignedLeb(body.length), ...body];
  }
}

/**
 * A module importing `env.memory` and exporting `fn` under `name` (no results). `sharedMaxPages`:
 * the import is a shared memory of at most that many 64 KiB pages (for worker threads).
 */
export function moduleBytes(name: string, params: readonly ValueType[], fn: FunctionWriter, sharedMaxPages: number | null = null): Uint8Array {
  const type = [0x60, ...vector(params.map((p) => [TYPE_CODE[p]])), 0];
  const limits = sharedMaxPages === null ? [0x00, 0] : [0x03, 0, ...unsignedLeb(sharedMaxPages)]; // min 0, no max | shared, min 0, max
  const memoryImport = [...utf8('env'), ...utf8('memory'), 0x02, ...limits];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector([type])),
    ...section(2, vector([memoryImport])),
    ...section(3, vector([[0]])),
    ...section(7, vector([[...utf8(name), 0x00, 0]])),
    ...section(10, vector([fn.encode()])),
  ]);
}
