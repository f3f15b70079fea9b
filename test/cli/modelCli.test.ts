/**
 * The model verbs of the CLI as processes, on tiny HF checkpoints: `forward --json` matches the
 * independent reference, `info`/`tokenize` describe the model, and `generate`/`classify`/
 * `fill-mask --json` end with their summary objects.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleInput, writeHfCheckpoint, type Family, type Head } from '../helpers/hfCheckpoints';
import { compareOutputs, referenceForward } from '../reference';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function checkpoint(family: Family, head: Head): { dir: string; fixture: ReturnType<typeof writeHfCheckpoint> } {
  const dir = mkdtempSync(join(tmpdir(), `tl-cli-${family}-`));
  return { dir, fixture: writeHfCheckpoint(dir, { family, head, seed: 5 }) };
}

function lastJson(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '{}') as Record<string, unknown>;
}

test('forward --json prints the contract and matches the reference (BERT MLM and T5)', () => {
  for (const [family, head] of [['bert', 'masked-lm'], ['t5', 'seq2seq-lm']] as const) {
    const { dir, fixture } = checkpoint(family, head);
    const { ids, decoderIds } = exampleInput(family);
    const args = ['forward', '--model', dir, '--ids', ids.join(','), '--json'];
    if (decoderIds !== undefined) args.push('--decoder-ids', decoderIds.join(','));
    const r = cli(...args);
    assert.equal(r.code, 0, r.stderr);
    const cmp = compareOutputs(JSON.parse(r.stdout) as unknown, referenceForward(fixture.config, fixture.weights, ids, decoderIds), 1e-4);
    assert.ok(cmp.ok, cmp.problems.join('; '));
  }
});

test('info and tokenize describe the model', () => {
  const { dir } = checkpoint('roberta', 'sequence-classification');
  const info = cli('info', '--model', dir, '--json');
  assert.equal(info.code, 0, info.stderr);
  const parsed = JSON.parse(info.stdout) as { family: string; head: string; parameters: number; tokenizer: { kind: string } };
  assert.equal(parsed.family, 'roberta');
  assert.equal(parsed.head, 'sequence-classification');
  assert.ok(parsed.parameters > 0);
  const tok = cli('tokenize', '--model', dir, '--text', 'hello world', '--json');
  assert.equal(tok.code, 0, tok.stderr);
  const t = JSON.parse(tok.stdout) as { tokens: string[]; ids: number[] };
  assert.equal(t.tokens.length, t.ids.length);
});

test('generate, classify and fill-mask --json end with their summaries', () => {
  const gpt2 = checkpoint('gpt2', 'causal-lm').dir;
  const g = lastJson(cli('generate', '--model', gpt2, '--prompt', 'hello', '--max-tokens', '5', '--seed', '1', '--json').stdout);
  assert.equal(g['type'], 'summary');
  assert.equal(typeof g['text'], 'string');
  assert.ok(typeof g['tokensPerSec'] === 'number');
  const bert = checkpoint('bert', 'masked-lm').dir;
  const c = lastJson(cli('classify', '--model', bert, '--text', 'a fine day', '--labels', 'good,bad', '--json').stdout);
  const probs = c['probabilities'] as Record<string, number>;
  assert.ok(Math.abs((probs['good'] ?? 0) + (probs['bad'] ?? 0) - 1) < 1e-6);
  assert.ok(typeof (c['raw'] as Record<string, number>)['good'] === 'number');
  const f = cli('fill-mask', '--model', bert, '--text', 'a [MASK] day', '--top-k', '3', '--json');
  assert.equal(f.code, 0, f.stderr);
  const preds = lastJson(f.stdout)['predictions'] as { token: string; probability: number }[][];
  assert.equal(preds.length, 1);
  assert.equal(preds[0]?.length, 3);
});

test('a folder with only a pickle checkpoint is refused in one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tl-cli-pickle-'));
  writeHfCheckpoint(dir, { family: 'bert', head: 'base', seed: 1 });
  spawnSync('sh', ['-c', `mv "${dir}/model.safetensors" "${dir}/pytorch_model.bin"`]);
  const r = cli('info', '--model', dir);
  assert.equal(r.code, 1);
  assert.match(r.stderr.trim(), /^transfer-lab: .*pytorch_model\.bin is a pickle checkpoint/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});
