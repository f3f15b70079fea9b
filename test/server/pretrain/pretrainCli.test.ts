/**
 * `transfer-lab pretrain` as a user runs it (dist/cli.js, built by `npm test` or
 * `node scripts/build.mjs`): --json events then a summary, a model folder with probe.txt, and
 * user errors as one line on stderr with exit code 1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticCorpus } from './corpusFixture';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'tl-pretrain-cli-'));
const corpus = writeSyntheticCorpus(60);
const SMALL = ['--size', 'tiny', '--steps', '3', '--seq-len', '16', '--batch', '4', '--vocab-size', '150'];

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('pretrain --json: step and eval events, then the summary; the folder holds the model and probe.txt', () => {
  const out = join(tmp, 'bert');
  const r = cli('pretrain', corpus, '--family', 'bert', ...SMALL, '--out', out, '--json');
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
  const summary = lines.at(-1) ?? { type: '' };
  assert.equal(summary.type, 'summary');
  for (const key of ['out', 'steps', 'heldOutLoss', 'trainSeconds', 'family', 'size']) assert.ok(key in summary, `summary lacks ${key}`);
  assert.deepEqual([summary['out'], summary['steps'], summary['family'], summary['size']], [out, 3, 'bert', 'tiny']);
  assert.equal(lines.filter((l) => l.type === 'step').length, 3);
  assert.ok(lines.filter((l) => l.type === 'eval').length >= 2);
  for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'probe.txt', 'pretrain.json']) assert.ok(existsSync(join(out, f)), `${f} missing`);
});

test('pretrain, human output: progress lines and the held-out loss at the end', () => {
  const r = cli('pretrain', corpus, '--family', 'gpt2', ...SMALL, '--out', join(tmp, 'gpt2'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /step 3\/3/);
  assert.match(r.stdout, /held-out loss\s+\d+\.\d+ → \d+\.\d+ \(nats per predicted token, causal-lm\)/);
});

test('user errors: one line naming the problem, exit code 1, no stack trace', () => {
  const noText = join(tmp, 'no-text');
  mkdirSync(noText);
  writeFileSync(join(noText, 'data.bin'), 'x');
  const cases: [string[], RegExp][] = [
    [['pretrain', join(tmp, 'missing.txt'), '--out', join(tmp, 'o')], /Corpus not found: .*missing\.txt/],
    [['pretrain', noText, '--out', join(tmp, 'o')], /no-text holds no/],
    [['pretrain', corpus, '--family', 'gpt2', '--whole-word', ...SMALL, '--out', join(tmp, 'o')], /wholeWord must be false for gpt2/],
    [['pretrain', corpus, '--steps', '0', '--out', join(tmp, 'o')], /steps must be/],
  ];
  for (const [args, re] of cases) {
    const r = cli(...args);
    assert.equal(r.code, 1, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
    const errLines = r.stderr.trim().split('\n');
    assert.equal(errLines.length, 1, `expected one line, got:\n${r.stderr}`);
    assert.match(errLines[0] ?? '', re);
    assert.doesNotMatch(r.stderr, /\s+at\s.+:\d+:\d+/);
  }
});
