/**
 * `transfer-lab attention --json` as a process on tiny HF checkpoints: the tokens are the
 * tokenizer's, and the maps are exactly what `forward --json` computes for those ids (BERT, and
 * T5 with its decoder and cross attention).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHfCheckpoint } from '../helpers/hfCheckpoints';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

function cliJson(...args: string[]): Record<string, unknown> {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '{}') as Record<string, unknown>;
}

function assertClose(actual: unknown, expected: unknown, what: string): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) && actual.length === expected.length, `${what}: length`);
    expected.forEach((e, i) => assertClose((actual as unknown[])[i], e, `${what}[${i}]`));
    return;
  }
  assert.ok(Math.abs(Number(actual) - Number(expected)) < 1e-6, `${what}: ${String(actual)} ≠ ${String(expected)}`);
}

test('attention --json: the tokenizer’s tokens and the same maps as forward (BERT)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tl-cli-attn-'));
  writeHfCheckpoint(dir, { family: 'bert', head: 'masked-lm', seed: 4 });
  const text = 'the cat sat on the mat';
  const tok = cliJson('tokenize', '--model', dir, '--text', text, '--json') as { tokens: string[]; ids: number[] };
  const attention = cliJson('attention', '--model', dir, '--text', text, '--json');
  assert.equal(attention['type'], 'summary');
  assert.equal(attention['family'], 'bert');
  assert.deepEqual(attention['tokens'], tok.tokens);
  assert.equal(attention['truncated'], false);
  const forward = cliJson('forward', '--model', dir, '--ids', tok.ids.join(','), '--json');
  assertClose(attention['attentions'], forward['attentions'], 'attentions');
  const short = cliJson('attention', '--model', dir, '--text', text, '--max-length', '4', '--json');
  assert.equal((short['tokens'] as string[]).length, 4);
  assert.equal((short['tokens'] as string[])[3], tok.tokens[tok.tokens.length - 1], 'truncation keeps the end token');
  assert.equal(short['truncated'], true);
});

test('attention --json on T5: encoder, decoder and cross attention', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tl-cli-attn-t5-'));
  writeHfCheckpoint(dir, { family: 't5', head: 'seq2seq-lm', seed: 4 });
  const r = cliJson('attention', '--model', dir, '--text', 'hello world', '--json');
  const tokens = r['tokens'] as string[];
  const decoderTokens = r['decoderTokens'] as string[];
  assert.ok(tokens.length > 0 && decoderTokens.length === 1, 'decoder: the start token only');
  const cross = r['crossAttentions'] as number[][][][];
  assert.equal(cross[0]?.[0]?.length, decoderTokens.length);
  assert.equal(cross[0]?.[0]?.[0]?.length, tokens.length);
  const row = cross[0]![0]![0]!;
  assert.ok(Math.abs(row.reduce((s, x) => s + x, 0) - 1) < 1e-5, 'a cross-attention row sums to 1');
  assert.ok(Array.isArray(r['decoderAttentions']));
});
