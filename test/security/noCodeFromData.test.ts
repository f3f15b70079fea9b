/**
 * Nothing runs from data: no source file evaluates strings as code (eval, new Function, vm),
 * and model loading never opens pickle files (refused by name before any read).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

test('no eval, new Function or vm in server/, extension/ or webview/', () => {
  const offenders: string[] = [];
  for (const folder of ['server', 'extension', 'webview']) {
    for (const file of sources(join(ROOT, folder))) {
      const text = readFileSync(file, 'utf8');
      if (/\beval\s*\(|new\s+Function\s*\(|from\s+['"](node:)?vm['"]|require\(\s*['"](node:)?vm['"]\s*\)/.test(text)) offenders.push(relative(ROOT, file));
    }
  }
  assert.deepEqual(offenders, []);
});

test('checkpoint loading refuses pickle files without reading them', () => {
  const loader = readFileSync(join(ROOT, 'server', 'checkpoints', 'modelFolder.ts'), 'utf8');
  assert.match(loader, /pytorch_model\.bin/);
  // The only reads of checkpoint bytes go through the safetensors reader.
  assert.doesNotMatch(loader, /readFile\([^)]*(\.bin|\.pt|\.ckpt)/);
});
