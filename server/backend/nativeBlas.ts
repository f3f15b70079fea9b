/**
 * The optional native BLAS (native/blas/gemm.c, built by scripts/buildNative.mjs when npm ci
 * finds a C compiler): an N-API addon that opens the machine's CBLAS (OpenBLAS from Debian's
 * libopenblas0) with dlopen and runs sgemm on Float32Arrays in place. Everything here may be
 * missing — another platform, no compiler at install time, no BLAS, the switch off — and then
 * loadNativeBlas() says why and the engine keeps its WebAssembly kernels. Nothing is downloaded.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

/** What the addon exports (see gemm.c for the exact contract; offsets and strides in elements). */
interface BlasAddon {
  open(names: readonly string[]): BlasLibrary | string;
  setThreads(n: number): number;
  sgemm(
    a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, c: Float32Array, cOffset: number,
    batch: number, m: number, n: number, k: number, transA: boolean, transB: boolean, strideA: number, strideB: number,
  ): void;
}

interface BlasLibrary {
  readonly vendor: string;
  readonly config: string;
  readonly path: string;
  readonly threads: number;
}

export interface NativeBlas extends BlasLibrary {
  /** C[t] = op(A[t])·op(B[t]) for t < batch (row-major; a stride of 0 broadcasts that operand). */
  readonly sgemm: BlasAddon['sgemm'];
}

export type NativeBlasLoad = { readonly blas: NativeBlas; readonly reason: null } | { readonly blas: null; readonly reason: string };

/** Debian's OpenBLAS first; libblas.so.3 / libcblas.so.3 are whatever the alternatives point at (the reference BLAS is refused). */
const LIBRARIES = ['libopenblas.so.0', 'libblas.so.3', 'libcblas.so.3'];
const ADDON = `tlab_blas-${process.platform}-${process.arch}.node`;

/** Beside the bundle (dist/native, also in the .vsix), or where buildNative.mjs put it (sources run through tsx). */
export function nativeBlasAddonFile(): string | null {
  const candidates = [join(__dirname, 'native', ADDON), join(__dirname, '..', '..', 'native', 'build', ADDON)];
  return candidates.find((f) => existsSync(f)) ?? null;
}

function isAddon(x: unknown): x is BlasAddon {
  const a = x as Partial<BlasAddon> | null;
  return typeof a?.open === 'function' && typeof a.setThreads === 'function' && typeof a.sgemm === 'function';
}

/** BLAS threads: the machine's cores, or 1 under TRANSFER_LAB_MATMUL_THREADS=1 (the A/B switch of the wasm kernels). */
function wantedThreads(): number {
  return process.env['TRANSFER_LAB_MATMUL_THREADS'] === '1' ? 1 : availableParallelism();
}

/** Loads the addon and opens the BLAS, whatever the switch says (tests compare both paths in one process). */
export function openNativeBlas(): NativeBlasLoad {
  const file = nativeBlasAddonFile();
  if (file === null) return { blas: null, reason: `no ${ADDON} (it is built by npm ci on Linux with a C compiler)` };
  let addon: unknown;
  try {
    addon = require(file); // a computed path: esbuild leaves it to Node at run time
  } catch (err) {
    return { blas: null, reason: `${ADDON} does not load: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}` };
  }
  if (!isAddon(addon)) return { blas: null, reason: `${ADDON} is not the expected addon` };
  const opened = addon.open(LIBRARIES);
  if (typeof opened === 'string') return { blas: null, reason: `no optimised BLAS: ${opened}` };
  // Process-wide in OpenBLAS: set only when it differs, so threads loading later change nothing.
  const want = wantedThreads();
  const threads = opened.threads === want || opened.threads === 0 ? opened.threads : addon.setThreads(want);
  return { blas: { vendor: opened.vendor, config: opened.config, path: opened.path, threads, sgemm: addon.sgemm }, reason: null };
}

let loaded: NativeBlasLoad | null = null;

/** The native BLAS of this thread (loaded once), or why there is none. */
export function loadNativeBlas(): NativeBlasLoad {
  loaded ??= process.env['TRANSFER_LAB_NATIVE_BLAS'] === '0' ? { blas: null, reason: 'switched off (TRANSFER_LAB_NATIVE_BLAS=0)' } : openNativeBlas();
  return loaded;
}
