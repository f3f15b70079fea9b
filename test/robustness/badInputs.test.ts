/**
 * The bad-input corpus (test/fixtures/bad/cases.json) through the CLI as users run it: each case
 * ends with one line on stderr that names the file and the fix, a non-zero exit code and no stack
 * trace; inputs that must work exit 0. The 2,000,000-row case also bounds the CLI's peak memory.
 */
import { after, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseOptions, CLI, GOOD_DATASET, loadCases, materialize, STACK_FRAME, stderrLines, type BadCase } from './badCases';

/** One CLI call; the 10 MB line's run (~30 s on 2 cores) is the slowest. */
const CLI_TIMEOUT_MS = 180_000;
/** Cases run two at a time: the machines that run the tests have two cores. */
const CONCURRENCY = 2;
/** Runs that must work train one short epoch. */
const RUN_ARGS = ['--epochs', '1', '--batch-size', '8'];
/** Peak resident memory the CLI may reach on the 2,000,000-row file (it stops after 1,000,000 rows). */
const MAX_PEAK_RSS_MB = 1024;
/** Token ids for `forward` (BERT fixture: [CLS] w w [SEP]). */
const FORWARD_IDS = '2,7,12,3';
/** Writes the process's peak RSS (KiB) to $TL_MAXRSS_FILE on exit: a preload, so the CLI is unchanged. */
const MAXRSS_PRELOAD = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(process.env.TL_MAXRSS_FILE, String(process.resourceUsage().maxRSS)));",
)}`;

const tmp = mkdtempSync(join(tmpdir(), 'tl-bad-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[], nodeArgs: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, CLI, ...args], { env: { ...process.env, ...env }, timeout: CLI_TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The contract of a refusal: exit 1, exactly one stderr line matching `expect`, no stack trace anywhere. */
function assertRefused(r: CliResult, expect: string, what: string): void {
  const lines = stderrLines(r.stderr);
  assert.equal(lines.length, 1, `${what}: expected one line on stderr, got ${lines.length}:\n${r.stderr}`);
  assert.match(lines[0] ?? '', new RegExp(expect), what);
  assert.equal(r.code, 1, `${what}: exit code ${String(r.code)}`);
  assert.doesNotMatch(r.stderr + r.stdout, STACK_FRAME, `${what}: a stack trace was printed`);
}

function assertWorked(r: CliResult, what: string): void {
  assert.equal(r.code, 0, `${what}: exit code ${String(r.code)}, stderr:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr + r.stdout, STACK_FRAME, `${what}: a stack trace was printed`);
}

async function finetuneCase(c: BadCase, dir: string, t: TestContext): Promise<void> {
  const made = materialize(c, dir);
  const dataset = made.path ?? GOOD_DATASET;
  const runsDir = made.runsDir ?? join(dir, 'runs');
  const args = ['finetune', dataset, ...RUN_ARGS, ...c.args, '--runs-dir', runsDir];
  const rssFile = join(dir, 'maxrss');
  const measure = c.generator === 'twoMillionRows';
  const r = await cli(args, measure ? ['--import', MAXRSS_PRELOAD] : [], { TL_MAXRSS_FILE: rssFile });
  if (c.expect === null) {
    assertWorked(r, c.id);
    // The run folder is a plain name inside the runs folder, whatever the dataset was called.
    const made = readdirSync(runsDir);
    assert.equal(made.length, 1, `expected one run folder in ${runsDir}, got: ${made.join(', ')}`);
    assert.match(made[0] ?? '', /^[A-Za-z0-9_-]+$/);
  } else assertRefused(r, c.expect, c.id);
  if (c.expect !== null) t.diagnostic(stderrLines(r.stderr)[0] ?? '');
  if (measure) {
    const peakMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
    t.diagnostic(`peak RSS ${peakMb.toFixed(0)} MB`);
    assert.ok(peakMb < MAX_PEAK_RSS_MB, `peak RSS ${peakMb.toFixed(0)} MB ≥ ${MAX_PEAK_RSS_MB} MB: the reader is not bounded`);
  }
}

async function checkpointCase(c: BadCase, dir: string, t: TestContext): Promise<void> {
  const { path } = materialize(c, dir);
  assert.ok(path !== undefined, 'a checkpoint case needs a folder');
  const expect = c.expect ?? '';
  const info = await cli(['info', '--model', path, ...c.args]);
  assertRefused(info, expect, `${c.id} (info)`);
  const forward = await cli(['forward', '--model', path, '--ids', FORWARD_IDS, ...c.args]);
  assertRefused(forward, expect, `${c.id} (forward)`);
  t.diagnostic(stderrLines(info.stderr)[0] ?? '');
}

describe('bad inputs through the CLI', { concurrency: CONCURRENCY }, () => {
  for (const c of loadCases().filter((x) => x.cli !== false)) {
    test(c.id, caseOptions(c, 'cli'), async (t) => {
      const dir = join(tmp, c.id);
      mkdirSync(dir);
      if (c.kind === 'checkpoint') await checkpointCase(c, dir, t);
      else await finetuneCase(c, dir, t);
    });
  }
});
