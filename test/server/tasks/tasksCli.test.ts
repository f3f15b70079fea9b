/**
 * `transfer-lab finetune --task …` as a user runs it (server/cli.ts through tsx, so no build is
 * needed): --json keeps the summary's fields and adds the task's metrics; --text-pair-col and
 * --target-col reach run.json; a bad --task is refused in one line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../finetune/finetuneFixtures';
import { NER_CONLL, PAIRS_CSV, T5_CSV } from './taskFixtures';

const runsDir = join(tempDir('tl-tasks-cli-'), 'runs');
type Line = { type: string; [k: string]: unknown };

function finetune(...args: string[]): { code: number | null; lines: Line[]; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'cli.ts'), 'finetune', ...args, '--runs-dir', runsDir, '--backend', 'wasm'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  const lines = r.stdout.trim() === '' ? [] : r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Line);
  return { code: r.status, lines, stderr: r.stderr };
}

const SUMMARY_KEYS = ['state', 'runId', 'runDir', 'backend', 'strategy', 'valAccuracy', 'valMacroF1', 'valLoss', 'bestValLoss', 'majorityRate', 'trainSeconds', 'trainableParameters', 'stoppedEarly', 'probeLoss', 'baseProbeLoss', 'message'];

test('--task token-classification --json: the summary keeps its fields and adds task and entityF1', () => {
  const r = finetune(NER_CONLL, '--task', 'token-classification', '--epochs', '1', '--batch-size', '16', '--json');
  assert.equal(r.code, 0, r.stderr);
  const summary = r.lines.at(-1) as Line;
  assert.equal(summary.type, 'summary');
  for (const key of [...SUMMARY_KEYS, 'task', 'entityF1', 'perplexity', 'tokenF1']) assert.ok(key in summary, `summary lacks ${key}`);
  assert.equal(summary['task'], 'token-classification');
  assert.equal(typeof summary['entityF1'], 'number');
  assert.equal(summary['perplexity'], null);
  assert.ok(r.lines.some((l) => l.type === 'eval' && typeof l['entityF1'] === 'number'));
});

test('--text-pair-col and --target-col reach run.json; a bad --task or a misplaced column is refused in one line', () => {
  const pairs = finetune(PAIRS_CSV, '--text-col', 'premise', '--text-pair-col', 'hypothesis', '--epochs', '1', '--json');
  assert.equal(pairs.code, 0, pairs.stderr);
  const run = JSON.parse(readFileSync(join(String((pairs.lines.at(-1) as Line)['runDir']), 'run.json'), 'utf8')) as { config: { task: string; textPairColumn: string } };
  assert.deepEqual([run.config.task, run.config.textPairColumn], ['sequence-classification', 'hypothesis']);
  const bad = finetune(PAIRS_CSV, '--task', 'ner');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--task must be one of sequence-classification, token-classification, causal-lm, text-to-text/);
  const misplaced = finetune(T5_CSV, '--target-col', 'target');
  assert.equal(misplaced.code, 1);
  assert.equal(misplaced.stderr.trim().split('\n').length, 1, misplaced.stderr);
  assert.match(misplaced.stderr, /targetColumn \(--target-col\) applies to text-to-text/);
});
