// The transfer-lab CLI (dist/cli.js, built by `npm run package`) for fixtures a scenario needs
// that a user would have made beforehand: a finished fine-tuning run, a model's tokens.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './constants';

function cli(args: readonly string[]): string {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `transfer-lab ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** The `{"type":"summary",…}` line of a `--json` run. */
function summary(stdout: string): Record<string, unknown> {
  const line = stdout.trim().split('\n').pop() ?? '';
  const parsed: unknown = JSON.parse(line);
  assert.ok(typeof parsed === 'object' && parsed !== null && (parsed as Record<string, unknown>)['type'] === 'summary', `no summary line: ${line}`);
  return parsed as Record<string, unknown>;
}

/** Fine-tunes `model` on `dataset` into `runsDir` with `transfer-lab finetune`; returns the run id and folder. */
export function fineTune(dataset: string, model: string, runsDir: string, extra: readonly string[] = []): { runId: string; runDir: string } {
  const s = summary(cli(['finetune', dataset, '--model', model, '--runs-dir', runsDir, '--json', ...extra]));
  assert.equal(s['state'], 'completed', `the fixture run did not complete: ${JSON.stringify(s)}`);
  return { runId: String(s['runId']), runDir: String(s['runDir']) };
}

/** The tokens the engine's tokenizer makes of `text` (independent of any panel). */
export function tokensOf(model: string, text: string): string[] {
  const line = cli(['tokenize', '--model', model, '--text', text, '--json']).split('\n').find((l) => l.includes('"tokens"')) ?? '';
  return (JSON.parse(line) as { tokens: string[] }).tokens;
}
