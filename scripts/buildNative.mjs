// Compiles the optional native BLAS addon (native/blas/gemm.c) into native/build/ with the
// system C compiler and the N-API headers of the Node that runs this script. Run by `npm ci` /
// `npm install` (postinstall) and by scripts/build.mjs. It never fails: without a compiler,
// headers or a usable BLAS it prints one line and the engine keeps its own WebAssembly kernels.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'native', 'blas', 'gemm.c');
/** Named by platform and architecture, so a .vsix built here is never loaded elsewhere. */
export const addonName = `tlab_blas-${process.platform}-${process.arch}.node`;
export const addonPath = join(root, 'native', 'build', addonName);

/** The folder holding node_api.h: beside this Node's binary (official, NodeSource and nvm builds), or the usual system places. */
function headerDirectory() {
  const candidates = [
    join(dirname(dirname(process.execPath)), 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ];
  return candidates.find((d) => existsSync(join(d, 'node_api.h'))) ?? null;
}

function upToDate() {
  if (!existsSync(addonPath)) return false;
  const built = statSync(addonPath).mtimeMs;
  return built >= statSync(source).mtimeMs && built >= statSync(fileURLToPath(import.meta.url)).mtimeMs;
}

/** Loads the addon in a child Node (a broken build must not take this process down) and asks it for a BLAS. */
function probe() {
  const code = `const r = require(${JSON.stringify(addonPath)}).open(['libopenblas.so.0', 'libblas.so.3', 'libcblas.so.3']);` +
    `console.log(typeof r === 'string' ? 'no optimised BLAS (' + r + ')' : r.config + ' at ' + r.path)`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 ? r.stdout.trim() : `does not load (${(r.stderr || r.error?.message || '').trim().split('\n')[0]})`;
}

/** Builds when needed; returns the one line to print, or null when the addon was already up to date. */
export function buildNativeBlas({ force = false } = {}) {
  const skip = (why) => `native BLAS: ${why}; matrix products stay on the WebAssembly kernels`;
  try {
    if (process.platform !== 'linux') return skip(`not built on ${process.platform} (Linux only)`);
    if (!force && upToDate()) return null;
    const include = headerDirectory();
    if (include === null) return skip(`no N-API headers (node_api.h) beside ${process.execPath} or in /usr/include/node`);
    mkdirSync(dirname(addonPath), { recursive: true });
    const partial = `${addonPath}.tmp`;
    const cc = process.env['CC'] || 'cc';
    const args = ['-O2', '-std=c11', '-D_GNU_SOURCE', '-fPIC', '-shared', '-fvisibility=hidden', '-Wall', `-I${include}`, source, '-o', partial, '-ldl', '-lpthread'];
    const r = spawnSync(cc, args, { encoding: 'utf8', timeout: 120_000 });
    if (r.error !== undefined || r.status !== 0) {
      rmSync(partial, { force: true });
      const why = r.error !== undefined ? `${cc}: ${r.error.code === 'ENOENT' ? 'no C compiler' : r.error.message}` : `${cc} failed: ${r.stderr.trim().split('\n')[0]}`;
      return skip(why);
    }
    renameSync(partial, addonPath);
    return `native BLAS: built native/build/${addonName}; ${probe()}`;
  } catch (err) {
    return skip(`not built (${err instanceof Error ? err.message : String(err)})`);
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const line = buildNativeBlas({ force: process.argv.includes('--force') });
  console.log(line ?? `native BLAS: native/build/${addonName} is up to date`);
}
