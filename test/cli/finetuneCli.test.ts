/**
 * The CLI as a user runs it (dist/cli.js): --json prints events then a summary; bad datasets
 * give a one-line error naming the file, a non-zero exit code and no stack trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'datasets', 'tiny-sentiment.csv');
const tmp = mkdtempSync(join(tmpdir(), 'tl-cli-'));

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('finetune --json: one JSON object per line, a summary last, a run folder on disk', () => {
  const r = cli('finetune', FIXTURE, '--epochs', '2', '--batch-size', '8', '--runs-dir', join(tmp, 'runs'), '--json');
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
  const summary = lines[lines.length - 1];
  assert.equal(summary?.type, 'summary');
  for (const key of ['valAccuracy', 'valMacroF1', 'valLoss', 'runDir']) assert.ok(key in (summary ?? {}), `summary lacks ${key}`);
  assert.equal(lines.filter((l) => l.type === 'eval').length, 2);
  assert.ok(lines.some((l) => l.type === 'step'));
});

test('bad datasets: one line naming the file, exit code 1, no stack trace', () => {
  const single = join(tmp, 'single.csv');
  writeFileSync(single, 'text,label\nhello there friend,ham\nanother message here,ham\n');
  const notext = join(tmp, 'numbers.csv');
  writeFileSync(notext, 'a,b\n1,2\n3,4\n');
  const cases: [string, RegExp][] = [
    [join(tmp, 'missing.csv'), /missing\.csv/],
    [single, /single\.csv.*single label/],
    [notext, /numbers\.csv/],
  ];
  for (const [file, re] of cases) {
    const r = cli('finetune', file, '--runs-dir', join(tmp, 'runs'));
    assert.equal(r.code, 1, `${file}: exit ${r.code}`);
    const errLines = r.stderr.trim().split('\n');
    assert.equal(errLines.length, 1, `expected one line, got:\n${r.stderr}`);
    assert.match(errLines[0] ?? '', re);
    assert.doesNotMatch(r.stderr, /\s+at\s.+:\d+:\d+/);
  }
});

test('wrong column names the columns that exist', () => {
  const r = cli('finetune', FIXTURE, '--text-col', 'body', '--runs-dir', join(tmp, 'runs'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /tiny-sentiment\.csv has no column "body"/);
});
