/**
 * Makes a failed allocation on the wasm heap throw. When the heap cannot grow (4 GiB at most),
 * tfjs-backend-wasm's malloc returns 0 and the backend registers the tensor at offset 0 all the
 * same: the kernel then writes its output over the heap's start (the allocator's state among it),
 * and the process either traps or spins forever in the next malloc — which one depends on the
 * bytes written (a 3 GiB attention step hung with the native BLAS path and trapped without it).
 * Throwing first turns every such case into the out-of-memory error errors.ts recognises.
 */
interface EmscriptenModule {
  _malloc: (bytes: number) => number;
  readonly asm?: { readonly malloc?: unknown };
}

function isModule(m: unknown): m is EmscriptenModule {
  return typeof (m as Partial<EmscriptenModule> | null)?._malloc === 'function';
}

/** Wraps the backend's malloc (once); false where the backend does not look as expected. */
export function installMallocGuard(backend: unknown): boolean {
  const wasm = (backend as { wasm?: unknown } | null)?.wasm;
  if (!isModule(wasm)) return false;
  // The module's own _malloc replaces itself with asm.malloc on first use; call that directly.
  const raw = wasm.asm?.malloc;
  if (typeof raw !== 'function') return false;
  const malloc = raw as (bytes: number) => number;
  wasm._malloc = (bytes: number): number => {
    const at = malloc(bytes);
    if (at === 0 && bytes > 0) throw new Error(`WebAssembly heap out of memory: ${(bytes / 2 ** 20).toFixed(0)} MiB more do not fit`);
    return at;
  };
  return true;
}
