// Runs the test layers in order with node's test runner (TypeScript through tsx):
// unit tests (*.test.ts), then protocol tests (*.protocol.test.ts) that start dist/server.js.
// `node test/run.mjs unit|protocol` runs one layer; extra args filter files by substring.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [layerArg, ...filters] = process.argv.slice(2);

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'fixtures' || name === 'e2e') continue;
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}
const all = [...walk(join(root, 'test'))].map((p) => relative(root, p)).sort();
const layers = {
  unit: all.filter((f) => f.endsWith('.test.ts') && !f.endsWith('.protocol.test.ts')),
  protocol: all.filter((f) => f.endsWith('.protocol.test.ts')),
};
const chosen = layerArg && layerArg in layers ? [layerArg] : Object.keys(layers);
const extra = layerArg && !(layerArg in layers) ? [layerArg, ...filters] : filters;

let failed = false;
for (const layer of chosen) {
  const files = layers[layer].filter((f) => extra.length === 0 || extra.some((x) => f.includes(x)));
  if (files.length === 0) continue;
  console.log(`\n# ${layer} tests (${files.length} files)`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TRANSFER_LAB_TEST: '1' },
  });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
