// Bundles every process of the extension with esbuild and copies the runtime assets
// (tfjs WebAssembly binaries, panel styles, the native BLAS addon when it built) into dist/.
// `--production` minifies.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addonName, addonPath, buildNativeBlas } from './buildNative.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'webview'), { recursive: true });

// Native tfjs packages are optional: required at run time when installed, never bundled.
const nativeTfjs = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'];

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  external: ['vscode', ...nativeTfjs],
  // @huggingface/tokenizers resolves to its CommonJS build under the "node"+"require" conditions.
  conditions: ['node', 'require'],
  mainFields: ['module', 'main'], // tfjs marks only its ESM files as having side effects (kernel registration)
};

const nodeEntries = [
  { in: 'extension/main.ts', out: 'extension' },
  { in: 'server/main.ts', out: 'server' },
  { in: 'server/runs/runWorker.ts', out: 'runWorker' },
  { in: 'server/pretrain/pretrainWorker.ts', out: 'pretrainWorker' },
  { in: 'server/cli.ts', out: 'cli' },
].filter((e) => existsSync(join(root, e.in)));

await esbuild.build({
  ...node,
  entryPoints: nodeEntries.map((e) => ({ in: join(root, e.in), out: e.out })),
  outdir: dist,

});

// webview/renderer/ is the notebook renderer: VS Code imports it as an ES module (built below).
const RENDERER = 'renderer';

// One browser bundle per panel: webview/<panel>/main.ts -> dist/webview/<panel>.js
const panels = existsSync(join(root, 'webview'))
  ? readdirSync(join(root, 'webview'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(root, 'webview', d.name, 'main.ts')) && d.name !== RENDERER)
      .map((d) => d.name)
  : [];
if (panels.length > 0) {
  await esbuild.build({
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    entryPoints: panels.map((p) => ({ in: join(root, 'webview', p, 'main.ts'), out: p })),
    outdir: join(dist, 'webview'),
    loader: { '.css': 'css' },
  });
}

const rendererEntry = join(root, 'webview', RENDERER, 'main.ts');
if (existsSync(rendererEntry)) {
  await esbuild.build({
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'esm', // the notebook renderer host import()s it and calls its exported activate()
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    entryPoints: [{ in: rendererEntry, out: RENDERER }],
    outdir: join(dist, 'webview'),
  });
}

// The WebAssembly kernels of @tensorflow/tfjs-backend-wasm, loaded from beside the bundles.
const wasmDir = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
mkdirSync(join(dist, 'wasm'), { recursive: true });
for (const f of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) {
  copyFileSync(join(wasmDir, f), join(dist, 'wasm', f));
}
// The optional native BLAS addon (scripts/buildNative.mjs; rebuilt here if the source changed
// since npm ci), loaded from dist/native/ by server/backend/nativeBlas.ts.
const nativeLine = buildNativeBlas();
if (nativeLine !== null) console.log(nativeLine);
if (existsSync(addonPath)) {
  mkdirSync(join(dist, 'native'), { recursive: true });
  copyFileSync(addonPath, join(dist, 'native', addonName));
}
console.log(`built ${nodeEntries.length} node bundles and ${panels.length} panel bundles into dist/`);
