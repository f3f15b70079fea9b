/**
 * The real server over JSON-RPC: initialize reports the backend; a run on a fixture CSV streams
 * metrics and completes with a Hugging Face checkpoint; a second run is cancelled; bad input is
 * an error response and the server keeps answering.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResponseError } from 'vscode-languageserver-protocol/node';
import {
  DatasetInspect, RunCancel, RunHistory, RunList, RunMetricsNotification, RunStart, RunStateNotification, TransferLabErrorCode,
  type MetricEvent, type RunSummary,
} from '../../server/protocol';
import { startServer, waitFor, type ServerHandle } from '../helpers/serverProcess';

const ROOT = join(__dirname, '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'datasets', 'tiny-sentiment.csv');
const SMS = join(ROOT, 'data', 'sms-spam', 'sms_spam.csv');
/** A tiny run finishes in seconds; the budget covers a slow, busy CI machine. */
const RUN_TIMEOUT_MS = 120_000;

let server: ServerHandle;
let runsDir: string;
const events = new Map<string, MetricEvent[]>();
const states: RunSummary[] = [];

before(async () => {
  runsDir = mkdtempSync(join(tmpdir(), 'tl-protocol-'));
  server = await startServer();
  server.connection.onNotification(RunMetricsNotification.type, (p) => {
    events.set(p.runId, [...(events.get(p.runId) ?? []), ...p.events]);
  });
  server.connection.onNotification(RunStateNotification.type, (p) => {
    states.push(p.run);
  });
});
after(async () => server.stop());

function finalState(runId: string): Promise<RunSummary> {
  const done = (r: RunSummary) => r.runId === runId && !['queued', 'running'].includes(r.state);
  const seen = states.find(done);
  if (seen) return Promise.resolve(seen);
  return waitFor<RunSummary>((cb) => server.connection.onNotification(RunStateNotification.type, (p) => {
    if (done(p.run)) cb(p.run);
  }), RUN_TIMEOUT_MS, `run ${runId} to finish`);
}

test('initialize reports the backend and device', () => {
  const info = server.initializeResult.transferLab;
  assert.equal(info.protocolVersion, 1);
  assert.ok(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'].includes(info.backend.backend));
  assert.match(info.backend.device, /\w/);
});

test('dataset inspect detects the text and label columns', async () => {
  const s = await server.connection.sendRequest(DatasetInspect.type, { path: FIXTURE });
  assert.equal(s.textColumn, 'text');
  assert.equal(s.labelColumn, 'label');
  assert.equal(s.rows, 60);
  assert.deepEqual(s.labels.map((l) => l.count), [30, 30]);
});

test('a run streams metrics, shows progress and completes with a checkpoint on disk', async () => {
  const { run } = await server.connection.sendRequest(RunStart.type, { config: { dataset: FIXTURE, epochs: 2, batchSize: 8 }, runsDir });
  assert.equal(run.state, 'queued');
  const final = await finalState(run.runId);
  assert.equal(final.state, 'completed', final.message ?? '');
  const got = events.get(run.runId) ?? [];
  assert.ok(got.some((e) => e.type === 'step'), 'no step metrics');
  assert.equal(got.filter((e) => e.type === 'eval').length, 2);
  assert.ok(server.progressTokens.length >= 1, 'no work-done progress was created');
  for (const f of ['config.json', 'model.safetensors', 'tokenizer.json']) assert.ok(existsSync(join(final.runDir, 'final', f)), `final/${f} missing`);
  const runJson = JSON.parse(readFileSync(join(final.runDir, 'run.json'), 'utf8')) as { state: string; backend: string; config: { seed: number } };
  assert.equal(runJson.state, 'completed');
  assert.equal(runJson.config.seed, 42);
  assert.equal(runJson.backend, server.initializeResult.transferLab.backend.backend);
  const history = await server.connection.sendRequest(RunHistory.type, { runDir: final.runDir });
  assert.equal(history.events.length, got.length);
});

test('a second run is cancelled and ends in state cancelled', async () => {
  const { run } = await server.connection.sendRequest(RunStart.type, { config: { dataset: SMS, epochs: 3 }, runsDir });
  await waitFor<void>((cb) => server.connection.onNotification(RunMetricsNotification.type, (p) => {
    if (p.runId === run.runId) cb();
  }), RUN_TIMEOUT_MS, 'first metrics');
  const t0 = Date.now();
  const { state } = await server.connection.sendRequest(RunCancel.type, { runId: run.runId });
  assert.equal(state, 'cancelled');
  assert.ok(Date.now() - t0 < 2000, `cancel took ${Date.now() - t0} ms`);
  const { runs } = await server.connection.sendRequest(RunList.type, { runsDir });
  assert.equal(runs.find((r) => r.runId === run.runId)?.state, 'cancelled');
  assert.equal(runs.length, 2);
});

test('bad input is an error response naming the file, and the server keeps answering', async () => {
  const missing = join(runsDir, 'nope.csv');
  await assert.rejects(server.connection.sendRequest(DatasetInspect.type, { path: missing }), (err: unknown) => {
    assert.ok(err instanceof ResponseError);
    assert.equal(err.code, TransferLabErrorCode.UserInput);
    assert.match(err.message, /nope\.csv/);
    return true;
  });
  await assert.rejects(server.connection.sendRequest(RunStart.type, { config: { dataset: FIXTURE, epochs: 0 }, runsDir }), /epochs must be/);
  const s = await server.connection.sendRequest(DatasetInspect.type, { path: FIXTURE });
  assert.equal(s.rows, 60);
});
