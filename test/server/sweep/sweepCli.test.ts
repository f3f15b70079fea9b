/**
 * `transfer-lab sweep` as a user runs it (dist/cli.js, built by `npm test`): --json prints one
 * object per cell with the documented keys and a summary last; bad options end in one line on
 * stderr and exit code 1.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir, testBackend, tinyModelFolder } from '../finetune/finetuneFixtures';
import { splitFixture, type SplitFiles } from './sweepFixtures';

const CLI = join(ROOT, 'dist', 'cli.js');
let files: SplitFiles;
let model = '';

before(async () => {
  await testBackend();
  files = await splitFixture();
  model = await tinyModelFolder('bert');
});

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'sweep', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

type Line = Record<string, unknown>;

test('--json: a line per cell with its budget, strategy, init, scores, time and run folder; a summary last', () => {
  const runsDir = tempDir('tl-sweep-cli-');
  const r = cli(files.train, '--val', files.val, '--model', model, '--budgets', '20', '--strategies', 'features', '--epochs', '1', '--batch-size', '8', '--runs-dir', runsDir, '--json');
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Line);
  const cells = lines.filter((l) => l['type'] === 'cell');
  assert.deepEqual(cells.map((c) => [c['budget'], c['strategy'], c['init']]), [[20, 'tfidf-logreg', 'baseline'], [20, 'features', 'pretrained'], [20, 'features', 'scratch']]);
  for (const c of cells) {
    for (const key of ['valAccuracy', 'valMacroF1', 'trainSeconds']) assert.equal(typeof c[key], 'number', `${String(c['init'])}: ${key}`);
    assert.equal(c['runDir'] === null, c['init'] === 'baseline');
  }
  const summary = lines.at(-1) as Line;
  assert.equal(summary['type'], 'summary');
  assert.deepEqual(summary['cells'], cells.map(({ type: _, ...rest }) => rest));
  assert.ok(Array.isArray(summary['negativeTransfer']));
  assert.ok(existsSync(join(String(summary['sweepDir']), 'sweep.html')));
  assert.match(r.stderr, /\[1\/3\] budget 20 · tfidf-logreg · baseline/, 'progress goes to stderr with --json');
});

test('bad options: one line on stderr, exit code 1', () => {
  for (const [args, re] of [
    [[files.train, '--model', model], /required option '--val <file>'/],
    [[files.train, '--val', files.val, '--model', model, '--budgets', '10,lots'], /"lots" is not a positive whole number/],
    [[files.train, '--val', files.val, '--model', model, '--strategies', 'features,magic'], /"magic" is not one of/],
    [[files.train, '--val', files.val, '--model', 'tiny'], /fresh preset/],
  ] as const) {
    const r = cli(...args);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr.trim().split('\n')[0] ?? '', re);
  }
});
