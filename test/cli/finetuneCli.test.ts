/**
 * The CLI as a user runs it (dist/cli.js): --json prints events then a summary; bad datasets
 * give a one-line error naming the file, a non-zero exit code and no stack trace; strategies and
 * their options reach the run; `resume` continues an interrupted run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

type Line = { type: string; [k: string]: unknown };
const parseLines = (stdout: string): Line[] => stdout.trim().split('\n').map((l) => JSON.parse(l) as Line);

test('finetune --strategy lora: LoRA options reach the run, the summary names the strategy, adapter/ is written', () => {
  const r = cli('finetune', FIXTURE, '--strategy', 'lora', '--lora-rank', '4', '--lora-alpha', '8', '--epochs', '1', '--batch-size', '16',
    '--eval-every', '2', '--patience', '3', '--lr-decay', '0.9', '--runs-dir', join(tmp, 'runs'), '--json');
  assert.equal(r.code, 0, r.stderr);
  const summary = parseLines(r.stdout).at(-1) as Line;
  assert.equal(summary['strategy'], 'lora');
  for (const key of ['trainSeconds', 'probeLoss', 'baseProbeLoss', 'bestValLoss', 'trainableParameters']) assert.ok(key in summary, `summary lacks ${key}`);
  assert.equal(summary['probeLoss'], null, 'a preset has no LM head to probe');
  const runDir = String(summary['runDir']);
  const adapter = JSON.parse(readFileSync(join(runDir, 'adapter', 'adapter_config.json'), 'utf8')) as { r: number; lora_alpha: number };
  assert.deepEqual([adapter.r, adapter.lora_alpha], [4, 8]);
  const run = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { config: { strategy: string; evalEvery: number; mitigations: { layerwiseLrDecay: number } }; result: { strategy: string } };
  assert.equal(run.config.strategy, 'lora');
  assert.equal(run.result.strategy, 'lora');
  assert.equal(run.config.evalEvery, 2);
  assert.equal(run.config.mitigations.layerwiseLrDecay, 0.9);
  assert.ok(parseLines(r.stdout).some((l) => l.type === 'eval' && Array.isArray(l['confusion'])));
});

test('resume: an interrupted run continues from its checkpoint; a completed one is refused', () => {
  const r = cli('finetune', FIXTURE, '--strategy', 'features', '--epochs', '3', '--batch-size', '16', '--runs-dir', join(tmp, 'runs'), '--json');
  assert.equal(r.code, 0, r.stderr);
  const runDir = String((parseLines(r.stdout).at(-1) as Line)['runDir']);
  const refused = cli('resume', runDir);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /has completed/);
  const runJson = join(runDir, 'run.json');
  writeFileSync(runJson, JSON.stringify({ ...JSON.parse(readFileSync(runJson, 'utf8')), state: 'interrupted' }));
  const resumed = cli('resume', runDir, '--json');
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal((parseLines(resumed.stdout).at(-1) as Line)['state'], 'completed');
  assert.match(resumed.stderr, /resuming the interrupted run from step 12/);
  assert.ok(existsSync(join(runDir, 'final', 'feature_head.safetensors')));
});

test('a bad --strategy is refused before anything runs', () => {
  const r = cli('finetune', FIXTURE, '--strategy', 'freeze', '--runs-dir', join(tmp, 'runs'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /--strategy must be one of full, features, freeze:N/);
});
