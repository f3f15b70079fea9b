// Enforces the architecture invariants that TypeScript projects alone cannot express:
// extension/ imports only server/protocol.ts from server/, and never TensorFlow.js;
// server/ never imports vscode or the language client; webview/ never imports Node, tfjs,
// server/ or extension/; sources never import test/.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const importRe = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
const nodeBuiltins = /^(node:|fs$|path$|os$|child_process$|worker_threads$|crypto$|http$|https$|net$|url$|util$|stream$|events$)/;

function* tsFiles(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* tsFiles(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

const rules = {
  server: (spec, target) =>
    /^(vscode|vscode-languageclient)(\/|$)/.test(spec) ? 'imports vscode or the language client'
    : target && /^(extension|webview|test)\//.test(target) ? `imports ${target}` : null,
  extension: (spec, target) =>
    spec.startsWith('@tensorflow/') ? 'imports TensorFlow.js'
    : target && target.startsWith('server/') && target !== 'server/protocol' ? `imports server internals (${target})`
    : target && target.startsWith('test/') ? 'imports test/' : null,
  webview: (spec, target) =>
    nodeBuiltins.test(spec) || spec.startsWith('@tensorflow/') ? `imports ${spec}`
    : target && /^(server|extension|test)\//.test(target) ? `imports ${target}` : null,
};

const problems = [];
for (const [folder, rule] of Object.entries(rules)) {
  for (const file of tsFiles(join(root, folder))) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3];
      const target = spec.startsWith('.')
        ? relative(root, resolve(dirname(file), spec)).replace(/\.ts$/, '')
        : null;
      const why = rule(spec, target);
      if (why) problems.push(`${relative(root, file)}: ${why}`);
    }
  }
}
if (problems.length > 0) {
  console.error('Architecture invariants broken:\n' + problems.map((p) => '  ' + p).join('\n'));
  process.exit(1);
}
console.log('import invariants hold');
