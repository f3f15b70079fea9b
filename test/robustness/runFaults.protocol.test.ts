/**
 * Training faults through the real server: a run's worker killed mid-step leaves the server up
 * and the run `interrupted`, and RunResume finishes it; the server process killed with SIGKILL
 * leaves finished runs intact, the next server marks the running one `interrupted`, and RunResume
 * finishes it; a cancel lands within 2 seconds even in the middle of a step that takes far longer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DatasetInspect, RunCancel, RunHistory, RunList, RunMetricsNotification, RunResume, RunStart, RunStateNotification, TransferLabErrorCode,
  type MetricEvent, type RunState, type RunSummary,
} from '../../server/protocol';
import { ResponseError } from 'vscode-languageserver-protocol/node';
import { startServer, waitFor, type ServerHandle } from '../helpers/serverProcess';

const ROOT = join(__dirname, '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'datasets', 'tiny-sentiment.csv');
/** A tiny run takes seconds; the budget covers a slow, busy CI machine. */
const RUN_TIMEOUT_MS = 180_000;
/** The promise: a cancel takes effect within this. */
const CANCEL_WITHIN_MS = 2000;
/** 7 steps an epoch on the fixture, a checkpoint every 2 steps. */
const CHECKPOINTED = { dataset: FIXTURE, epochs: 3, batchSize: 8, evalEvery: 2 };

/** Resolves when `runId` reaches one of `states` (from notifications, or already). */
function stateOf(server: ServerHandle, runId: string, states: readonly RunState[]): Promise<RunSummary> {
  return waitFor<RunSummary>((cb) => server.connection.onNotification(RunStateNotification.type, ({ run }) => {
    if (run.runId === runId && states.includes(run.state)) cb(run);
  }), RUN_TIMEOUT_MS, `run ${runId} to be ${states.join(' or ')}`);
}

/** Resolves with the first metric event of `runId` that `pick` accepts. */
function metric(server: ServerHandle, runId: string, pick: (e: MetricEvent) => boolean, what: string): Promise<MetricEvent> {
  return waitFor<MetricEvent>((cb) => server.connection.onNotification(RunMetricsNotification.type, (p) => {
    const hit = p.runId === runId ? p.events.find(pick) : undefined;
    if (hit !== undefined) cb(hit);
  }), RUN_TIMEOUT_MS, what);
}

async function assertServerUp(server: ServerHandle): Promise<void> {
  assert.equal(server.process.exitCode, null, 'the server exited');
  assert.equal((await server.connection.sendRequest(DatasetInspect.type, { path: FIXTURE })).rows, 60);
}

/** Token positions of one step of the long-text run: 128 sequences, each cut at 256 tokens. */
const LONG_STEP_TOKENS = 128 * 256;

/** A CSV of 300 texts of 300 words each (two labels), written into `dir`. */
function longTexts(dir: string): string {
  const words = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}`);
  const rows = Array.from({ length: 300 }, (_, r) => `${Array.from({ length: 300 }, (_, k) => words[(r * 7 + k * 13) % words.length]).join(' ')},${r % 2 === 0 ? 'even' : 'odd'}`);
  const path = join(dir, 'long-texts.csv');
  writeFileSync(path, `text,label\n${rows.join('\n')}\n`);
  return path;
}

const runJson = (runDir: string): { state: RunState; message: string | null; pid: number } => JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Resumes `runDir` and waits for it to complete; its history then has every step once, in order. */
async function resumeToCompletion(server: ServerHandle, runDir: string, runId: string): Promise<void> {
  const done = stateOf(server, runId, ['completed', 'failed', 'cancelled', 'interrupted']);
  const { run } = await server.connection.sendRequest(RunResume.type, { runDir });
  assert.equal(run.runId, runId, 'a resumed run keeps its id');
  assert.equal(run.state, 'queued');
  const final = await done;
  assert.equal(final.state, 'completed', final.message ?? '');
  assert.ok(existsSync(join(runDir, 'final', 'model.safetensors')));
  const { events } = await server.connection.sendRequest(RunHistory.type, { runDir });
  const steps = events.filter((e) => e.type === 'step').map((e) => e.step);
  assert.deepEqual(steps, Array.from({ length: final.totalSteps }, (_, i) => i + 1), 'each step once, none lost after the checkpoint');
  assert.equal(runJson(runDir).state, 'completed');
}

test('a run worker killed mid-step: the server stays up, the run is interrupted, RunResume finishes it', async () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'tl-workerkill-'));
  const server = await startServer('auto', { nodeArgs: ['--require', join(__dirname, 'workerKiller.cjs')], env: { KILL_WORKER_AFTER_STEP: '3' } });
  try {
    const { run } = await server.connection.sendRequest(RunStart.type, { config: CHECKPOINTED, runsDir });
    const stopped = await stateOf(server, run.runId, ['interrupted', 'completed', 'failed', 'cancelled']);
    assert.equal(stopped.state, 'interrupted', stopped.message ?? '');
    assert.match(stopped.message ?? '', /worker stopped unexpectedly.*Resume is possible from the last checkpoint/);
    assert.ok(stopped.lastStep >= 3, `the summary knows the last step reached (${stopped.lastStep})`);
    assert.match(server.stderr(), /workerKiller: terminating the run worker after step 3/);
    await assertServerUp(server);
    assert.equal(runJson(run.runDir).state, 'interrupted');
    assert.ok(existsSync(join(run.runDir, 'checkpoints', '2', 'trainer_state.json')), 'the checkpoint of step 2 survived');

    await resumeToCompletion(server, run.runDir, run.runId);
    // A completed run cannot be resumed again: an error response, not a crash.
    await assert.rejects(server.connection.sendRequest(RunResume.type, { runDir: run.runDir }), (err: unknown) =>
      err instanceof ResponseError && err.code === TransferLabErrorCode.InvalidState && /has completed; there is nothing to resume/.test(err.message));
    await assertServerUp(server);
  } finally {
    await server.stop();
  }
});

test('the server killed with SIGKILL mid-run: finished runs intact, the next server shows it interrupted, RunResume finishes it', async () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'tl-serverkill-'));
  const first = await startServer();
  let finishedDir = '';
  let killed: RunSummary;
  let finalHash = '';
  try {
    const { run: done } = await first.connection.sendRequest(RunStart.type, { config: { dataset: FIXTURE, epochs: 1, batchSize: 8 }, runsDir });
    assert.equal((await stateOf(first, done.runId, ['completed', 'failed'])).state, 'completed');
    finishedDir = done.runDir;
    finalHash = sha256(join(finishedDir, 'final', 'model.safetensors'));

    ({ run: killed } = await first.connection.sendRequest(RunStart.type, { config: CHECKPOINTED, runsDir }));
    // Killed after the checkpoint of step 4, while it trains on.
    await metric(first, killed.runId, (e) => e.type === 'step' && e.step >= 5, 'step 5');
    assert.equal(runJson(killed.runDir).state, 'running');
    const exited = new Promise((r) => first.process.once('exit', r));
    first.process.kill('SIGKILL');
    await exited;
  } finally {
    await first.stop();
  }

  const second = await startServer();
  try {
    const announced = stateOf(second, killed.runId, ['interrupted']);
    const { runs } = await second.connection.sendRequest(RunList.type, { runsDir });
    assert.match((await announced).message ?? '', /stopped before it finished\. Resume continues it from its last checkpoint/);
    const listed = runs.find((r) => r.runId === killed.runId);
    assert.equal(listed?.state, 'interrupted');
    assert.ok((listed?.lastStep ?? 0) >= 5, `the summary knows the last step reached (${listed?.lastStep})`);
    assert.equal(runs.find((r) => r.runDir === finishedDir)?.state, 'completed');
    assert.equal(runJson(killed.runDir).state, 'interrupted', 'listing recorded the interruption in run.json');
    assert.equal(sha256(join(finishedDir, 'final', 'model.safetensors')), finalHash, 'the finished run is untouched');
    await resumeToCompletion(second, killed.runDir, killed.runId);
    await assertServerUp(second);
  } finally {
    await second.stop();
  }
});

test('cancel takes effect within 2 seconds in the middle of a step that takes far longer', async () => {
  const runsDir = mkdtempSync(join(tmpdir(), 'tl-cancel-'));
  const server = await startServer();
  try {
    // 128 sequences × 256 tokens a step (every text is longer): seconds per step on any CPU, far beyond the cancel budget.
    const { run } = await server.connection.sendRequest(RunStart.type, { config: { dataset: longTexts(runsDir), epochs: 1, batchSize: 128, maxLength: 256 }, runsDir });
    const first = await metric(server, run.runId, (e) => e.type === 'step', 'the first step');
    const stepMs = first.type === 'step' ? (LONG_STEP_TOKENS / first.tokensPerSec) * 1000 : 0;
    assert.ok(stepMs > 2 * CANCEL_WITHIN_MS, `a step takes ${Math.round(stepMs)} ms: too short to test a cancel in the middle of one`);
    await new Promise((r) => setTimeout(r, 300)); // inside step 2
    const t0 = Date.now();
    const { state } = await server.connection.sendRequest(RunCancel.type, { runId: run.runId });
    const took = Date.now() - t0;
    assert.equal(state, 'cancelled');
    assert.ok(took < CANCEL_WITHIN_MS, `cancel took ${took} ms`);
    // Step 2 never finished: the cancel stopped the worker in the middle of it, not at a step boundary.
    const { events } = await server.connection.sendRequest(RunHistory.type, { runDir: run.runDir });
    assert.deepEqual(events.filter((e) => e.type === 'step').map((e) => e.step), [1]);
    assert.equal(runJson(run.runDir).state, 'cancelled');
    await assertServerUp(server);
  } finally {
    await server.stop();
  }
});
