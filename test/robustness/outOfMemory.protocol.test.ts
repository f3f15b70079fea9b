/**
 * A fine-tune that really runs out of memory, through the real server on the WebAssembly backend
 * (a heap of 4 GB at most): bert-small (hidden 512, 8 heads) at max length 512 with a batch of 384
 * long texts needs attention-score tensors of 384·8·512·512 floats (3 GiB each), past the heap
 * within the first training step. The run fails with the message naming what to lower, the server
 * keeps answering and trains the next run, and a finished run's checkpoint is untouched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetInspect, RunList, RunStart, RunStateNotification, type RunState, type RunSummary } from '../../server/protocol';
import { startServer, waitFor, type ServerHandle } from '../helpers/serverProcess';

const ROOT = join(__dirname, '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'datasets', 'tiny-sentiment.csv');
/** A tiny run takes seconds; the budget covers a slow, busy CI machine. */
const RUN_TIMEOUT_MS = 180_000;
/**
 * One batch of 384 (396 training rows): its attention scores alone are 384·8·512·512 floats (3 GiB)
 * on top of the layer's activations. Measured: out of memory 20–29 s after the start on a busy
 * 2-core machine; a batch of 256 took ~30 s (it gets further before the heap runs out), 512 longer
 * still (its larger embedding gathers cost more than they save).
 */
const OOM_CONFIG = { model: 'bert-small', maxLength: 512, batchSize: 384, epochs: 1 } as const;

/** A CSV of 440 texts of 530 words each (two labels; each word is one token, so every batch is padded to the full 512), written into `dir`. */
function longTexts(dir: string): string {
  const words = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}`);
  const rows = Array.from({ length: 440 }, (_, r) => `${Array.from({ length: 530 }, (_, k) => words[(r * 7 + k * 13) % words.length]).join(' ')},${r % 2 === 0 ? 'even' : 'odd'}`);
  const path = join(dir, 'long-texts.csv');
  writeFileSync(path, `text,label\n${rows.join('\n')}\n`);
  return path;
}

const TERMINAL: readonly RunState[] = ['completed', 'failed', 'cancelled', 'interrupted'];

/** Starts a run on `config` (dataset: the tiny fixture unless given) and resolves with its terminal summary. */
async function runToEnd(server: ServerHandle, config: Record<string, unknown>, runsDir: string): Promise<RunSummary> {
  // Every terminal state is collected from before the start: a fast failure may be announced before RunStart answers.
  const ends = new Map<string, (run: RunSummary) => void>();
  const early = new Map<string, RunSummary>();
  const sub = server.connection.onNotification(RunStateNotification.type, ({ run }) => {
    if (!TERMINAL.includes(run.state)) return;
    const resolve = ends.get(run.runId);
    if (resolve !== undefined) resolve(run);
    else early.set(run.runId, run);
  });
  try {
    const { run } = await server.connection.sendRequest(RunStart.type, { config: { dataset: FIXTURE, ...config }, runsDir });
    return early.get(run.runId) ?? (await waitFor<RunSummary>((cb) => ends.set(run.runId, cb), RUN_TIMEOUT_MS, `run ${run.runId} to end`));
  } finally {
    sub.dispose();
  }
}

const runState = (runDir: string): { state: RunState; message: string | null } => JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

test('a run out of WebAssembly memory fails with what to lower; the server answers and trains on; finished runs are intact', async (t) => {
  const runsDir = mkdtempSync(join(tmpdir(), 'tl-oom-'));
  const server = await startServer('wasm');
  try {
    assert.equal(server.initializeResult.transferLab.backend.backend, 'wasm');
    const before = await runToEnd(server, { epochs: 1, batchSize: 8 }, runsDir);
    assert.equal(before.state, 'completed', before.message ?? '');
    const finalModel = join(before.runDir, 'final', 'model.safetensors');
    const finalHash = sha256(finalModel);

    const t0 = Date.now();
    const oom = await runToEnd(server, { ...OOM_CONFIG, dataset: longTexts(runsDir) }, runsDir);
    const took = Date.now() - t0;
    t.diagnostic(`the run failed out of memory ${took} ms after its start`);
    assert.equal(oom.state, 'failed', oom.message ?? '');
    assert.match(oom.message ?? '', /^Out of memory training bert-small with batch size 384 and max length 512 on wasm \(the WebAssembly heap holds at most 4 GB\)\. Lower the batch size \(.*\) or the max length, or pick a smaller model; checkpoints already written are kept\.$/);
    assert.equal(runState(oom.runDir).state, 'failed', 'run.json records the failure');
    assert.equal(runState(oom.runDir).message, oom.message);

    // The server answers at once and trains the next run on a fresh worker.
    assert.equal(server.process.exitCode, null, 'the server exited');
    const { runs } = await server.connection.sendRequest(RunList.type, { runsDir });
    assert.deepEqual(new Map(runs.map((r) => [r.runId, r.state])), new Map([[before.runId, 'completed'], [oom.runId, 'failed']]));
    assert.equal((await server.connection.sendRequest(DatasetInspect.type, { path: FIXTURE })).rows, 60);
    const after = await runToEnd(server, { epochs: 1, batchSize: 8 }, runsDir);
    assert.equal(after.state, 'completed', after.message ?? '');
    assert.equal(sha256(finalModel), finalHash, 'the finished run is untouched');
    assert.equal(runState(before.runDir).state, 'completed');
  } finally {
    await server.stop();
  }
});
