/**
 * Picks the TensorFlow.js backend: tfjs-node-gpu → tfjs-node → WebAssembly (SIMD) → pure JS,
 * or the one the user forces. The native packages are optional dependencies that cannot install
 * everywhere; they register into the same global tfjs engine the bundled tfjs-core uses.
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { tf } from './tf';
import { installWasmKernels } from './wasmKernels/installWasmKernels';
import { installMallocGuard } from './wasmKernels/mallocGuard';
import { matMulDescription } from './wasmKernels/fastBatchMatMul';
import { BACKEND_CHAIN, type BackendInfo, type BackendName, type BackendPreference } from '../protocol';
import { UserError } from '../errors';

const NATIVE_PACKAGE: Partial<Record<BackendName, string>> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

/** Where the .wasm binaries are: beside the bundle (dist/wasm) or in node_modules (tests). */
function wasmDirectory(): string {
  const besideBundle = join(__dirname, 'wasm');
  if (existsSync(join(besideBundle, 'tfjs-backend-wasm-simd.wasm'))) return besideBundle;
  const pkg = '@tensorflow/tfjs-backend-wasm'; // a variable keeps the bundler from inlining it
  return join(dirname(require.resolve(`${pkg}/package.json`)), 'dist');
}

/**
 * The wasm backend's Emscripten glue installs process-wide uncaughtException/unhandledRejection
 * handlers that rethrow, which would turn any stray rejection into a crash of the whole server.
 */
function withoutNewProcessHandlers<T>(fn: () => Promise<T>): Promise<T> {
  const exceptions = new Set(process.listeners('uncaughtException'));
  const rejections = new Set(process.listeners('unhandledRejection'));
  return fn().finally(() => {
    for (const l of process.listeners('uncaughtException')) if (!exceptions.has(l)) process.removeListener('uncaughtException', l);
    for (const l of process.listeners('unhandledRejection')) if (!rejections.has(l)) process.removeListener('unhandledRejection', l);
  });
}

async function tryBackend(name: BackendName): Promise<string | null> {
  return withoutNewProcessHandlers(() => tryBackendInner(name));
}

async function tryBackendInner(name: BackendName): Promise<string | null> {
  try {
    const pkg = NATIVE_PACKAGE[name];
    if (pkg !== undefined) {
      // A plain require kept out of the bundle (see scripts/build.mjs externals).
      require(pkg);
    }
    if (name === 'wasm') setWasmPaths(wasmDirectory() + '/');
    const tfName = name === 'tensorflow-gpu' ? 'tensorflow' : name;
    if (!(await tf.setBackend(tfName))) return `${name}: the backend did not initialise`;
    await tf.ready();
    if (name === 'wasm') {
      installMallocGuard(tf.findBackend('wasm'));
      installWasmKernels();
    }
    return null;
  } catch (err) {
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
    return `${name}: ${first}`;
  }
}

function describeDevice(name: BackendName): string {
  switch (name) {
    case 'tensorflow-gpu':
      return 'GPU (libtensorflow with CUDA)';
    case 'tensorflow':
      return `CPU (libtensorflow, ${cpus().length} cores)`;
    case 'wasm': {
      const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD';
      return `CPU (WebAssembly, ${simd}, ${matMulDescription()})`;
    }
    case 'cpu':
      return 'CPU (pure JavaScript, slow)';
  }
}

let current: BackendInfo | null = null;

/**
 * Initialises the backend once per thread. `preference` 'auto' walks BACKEND_CHAIN; a forced
 * backend that fails is an error naming the setting to change.
 */
export async function initBackend(preference: BackendPreference = 'auto'): Promise<BackendInfo> {
  if (current !== null && (preference === 'auto' || preference === current.backend)) return current;
  const candidates: readonly BackendName[] = preference === 'auto' ? BACKEND_CHAIN : [preference];
  const reasons: string[] = [];
  for (const name of candidates) {
    const failure = await tryBackend(name);
    if (failure === null) {
      current = { backend: name, device: describeDevice(name), tfjsVersion: tf.version_core, fallbackReasons: reasons };
      return current;
    }
    reasons.push(failure);
  }
  throw new UserError(
    `The backend "${preference}" could not start (${reasons.join('; ')}). ` +
      'Set transferLab.backend (or --backend) to "auto" to fall back to WebAssembly.',
  );
}

export function isBackendName(value: unknown): value is BackendName {
  return typeof value === 'string' && (BACKEND_CHAIN as readonly string[]).includes(value);
}
