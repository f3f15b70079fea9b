/**
 * The bad-input corpus (test/fixtures/bad/cases.json) through the real server over JSON-RPC: each
 * case is a UserInput error response or a failed run carrying the CLI's message, the server keeps
 * answering after every one, and run ids and folders from the client cannot reach outside a run.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { ResponseError } from 'vscode-languageserver-protocol/node';
import {
  DatasetInspect, RunCancel, RunHistory, RunList, RunStart, RunStateNotification, TransferLabErrorCode, type RunSummary,
} from '../../server/protocol';
import { startServer, waitFor, type ServerHandle } from '../helpers/serverProcess';
import { caseOptions, GOOD_DATASET, loadCases, materialize, type BadCase } from './badCases';

/** A run of a bad input fails within seconds; a must-work run trains one short epoch. */
const RUN_TIMEOUT_MS = 120_000;
/** Runs that must work train one short epoch. */
const RUN_CONFIG = { epochs: 1, batchSize: 8 };

let server: ServerHandle;
let tmp: string;
const finished = new Map<string, RunSummary>();
const waiters = new Map<string, (run: RunSummary) => void>();

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'tl-bad-protocol-'));
  server = await startServer();
  server.connection.onNotification(RunStateNotification.type, ({ run }) => {
    if (run.state === 'queued' || run.state === 'running') return;
    finished.set(run.runId, run);
    waiters.get(run.runId)?.(run);
  });
});
after(async () => {
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
});

function finalState(runId: string): Promise<RunSummary> {
  const seen = finished.get(runId);
  if (seen !== undefined) return Promise.resolve(seen);
  return waitFor<RunSummary>((cb) => waiters.set(runId, cb), RUN_TIMEOUT_MS, `run ${runId} to finish`);
}

/** A rejected request's ResponseError (asserting that it is one). */
async function responseError(request: Promise<unknown>, what: string): Promise<ResponseError<unknown>> {
  try {
    await request;
  } catch (err) {
    assert.ok(err instanceof ResponseError, `${what}: expected a ResponseError, got ${String(err)}`);
    return err;
  }
  return assert.fail(`${what}: the request succeeded`);
}

function assertUserError(err: ResponseError<unknown>, expect: string, what: string): void {
  assert.equal(err.code, TransferLabErrorCode.UserInput, `${what}: code ${err.code} (${err.message})`);
  assert.match(err.message, new RegExp(expect), what);
  assert.doesNotMatch(err.message, /\n/, `${what}: the message spans lines`);
}

/** After every case: the server is alive and answers a good request. */
async function assertServerUp(): Promise<void> {
  assert.equal(server.process.exitCode, null, 'the server exited');
  const s = await server.connection.sendRequest(DatasetInspect.type, { path: GOOD_DATASET });
  assert.equal(s.rows, 60);
}

/** RunStart, then either its error response or the run's final state. */
async function startRun(config: Record<string, unknown>, runsDir: string): Promise<{ refused: ResponseError<unknown> } | { run: RunSummary }> {
  let started: RunStart.Result;
  try {
    started = await server.connection.sendRequest(RunStart.type, { config: { ...RUN_CONFIG, ...config } as RunStart.Params['config'], runsDir });
  } catch (err) {
    assert.ok(err instanceof ResponseError, `RunStart failed without a ResponseError: ${String(err)}`);
    return { refused: err };
  }
  return { run: await finalState(started.run.runId) };
}

async function runCase(c: BadCase, config: Record<string, unknown>, runsDir: string): Promise<void> {
  const outcome = await startRun(config, runsDir);
  if (c.expect === null) {
    assert.ok('run' in outcome, `${c.id}: RunStart was refused: ${'refused' in outcome ? outcome.refused.message : ''}`);
    assert.equal(outcome.run.state, 'completed', `${c.id}: ${outcome.run.message ?? ''}`);
    assert.match(outcome.run.runId, /^[A-Za-z0-9_-]+$/, `${c.id}: run id`);
    assert.ok(outcome.run.runDir.startsWith(runsDir + sep), `${c.id}: run folder ${outcome.run.runDir} is outside ${runsDir}`);
  } else if ('refused' in outcome) {
    assertUserError(outcome.refused, c.expect, `${c.id} (RunStart)`);
  } else {
    assert.equal(outcome.run.state, 'failed', `${c.id}: the run ended ${outcome.run.state}`);
    assert.match(outcome.run.message ?? '', new RegExp(c.expect), `${c.id} (run)`);
  }
}

async function datasetCase(c: BadCase, dir: string): Promise<void> {
  const { path } = materialize(c, dir);
  assert.ok(path !== undefined, 'a dataset case needs a file');
  const labelColumn = typeof c.config?.['labelColumn'] === 'string' ? c.config['labelColumn'] : undefined;
  const inspect = server.connection.sendRequest(DatasetInspect.type, { path, ...(labelColumn === undefined ? {} : { labelColumn }) });
  if (c.inspect === 'error') assertUserError(await responseError(inspect, c.id), c.expect ?? '', `${c.id} (DatasetInspect)`);
  else await inspect;
  if (c.protocolRun !== false) await runCase(c, { ...c.config, dataset: path }, join(dir, 'runs'));
}

async function checkpointCase(c: BadCase, dir: string): Promise<void> {
  const { path } = materialize(c, dir);
  assert.ok(path !== undefined, 'a checkpoint case needs a folder');
  await runCase(c, { ...c.config, dataset: GOOD_DATASET, model: path }, join(dir, 'runs'));
}

async function configCase(c: BadCase, dir: string): Promise<void> {
  const made = materialize(c, dir);
  await runCase(c, { dataset: made.path ?? GOOD_DATASET, ...c.config }, made.runsDir ?? join(dir, 'runs'));
}

describe('bad inputs through the protocol', () => {
  for (const c of loadCases().filter((x) => x.protocol !== false)) {
    test(c.id, caseOptions(c, 'protocol'), async () => {
      const dir = join(tmp, c.id);
      mkdirSync(dir);
      if (c.kind === 'dataset') await datasetCase(c, dir);
      else if (c.kind === 'checkpoint') await checkpointCase(c, dir);
      else await configCase(c, dir);
      await assertServerUp();
    });
  }
});

/** Requests whose params are the wrong shape, as a buggy or hostile client might send (cast past the types on purpose). */
function malformedRequests(): [string, () => Promise<unknown>][] {
  const c = server.connection;
  return [
    ['RunStart without config', () => c.sendRequest(RunStart.type, { runsDir: tmp } as unknown as RunStart.Params)],
    ['RunStart with a numeric runsDir', () => c.sendRequest(RunStart.type, { config: { dataset: GOOD_DATASET }, runsDir: 5 } as unknown as RunStart.Params)],
    ['DatasetInspect with a numeric path', () => c.sendRequest(DatasetInspect.type, { path: 7 } as unknown as DatasetInspect.Params)],
  ];
}

describe('run ids and folders from the client', () => {
  test('RunHistory of a folder outside any runs folder, or a path with "..", is NotFound and reads nothing else', async () => {
    for (const runDir of ['/etc', join(tmp, '..', '..'), join(tmp, 'runs', '..', '..', 'etc'), '']) {
      const err = await responseError(server.connection.sendRequest(RunHistory.type, { runDir }), `RunHistory ${runDir}`);
      assert.equal(err.code, TransferLabErrorCode.NotFound, `${runDir}: ${err.message}`);
      assert.match(err.message, /is not a run folder \(no run\.json\)/);
    }
    await assertServerUp();
  });

  test('RunHistory of a damaged run.json is a UserInput error naming it', async () => {
    const damaged = join(tmp, 'damaged-run');
    mkdirSync(damaged);
    writeFileSync(join(damaged, 'run.json'), '{"formatVersion": 1, "runId": ');
    assertUserError(await responseError(server.connection.sendRequest(RunHistory.type, { runDir: damaged }), 'damaged'), 'damaged-run/run\\.json is not valid JSON .* Delete the run folder or restore run\\.json\\.', 'damaged run.json');
    const hollow = join(tmp, 'hollow-run');
    mkdirSync(hollow);
    writeFileSync(join(hollow, 'run.json'), '{"formatVersion": 1}');
    assertUserError(await responseError(server.connection.sendRequest(RunHistory.type, { runDir: hollow }), 'hollow'), 'hollow-run/run\\.json lacks a run id', 'run.json without fields');
    await assertServerUp();
  });

  test('malformed params are error responses, and the server keeps answering', async () => {
    for (const [what, request] of malformedRequests()) await responseError(request(), what);
    await assertServerUp();
  });

  test('malformed params are UserInput errors that name the parameter', async () => {
    for (const [what, request] of malformedRequests()) {
      const err = await responseError(request(), what);
      assert.equal(err.code, TransferLabErrorCode.UserInput, `${what}: ${err.message}`);
    }
  });

  test('RunCancel with a bogus or path-like id is refused, and RunList of a missing folder is empty', async () => {
    for (const runId of ['no-such-run', '../../etc/passwd', '']) {
      const err = await responseError(server.connection.sendRequest(RunCancel.type, { runId }), `RunCancel ${runId}`);
      assert.equal(err.code, TransferLabErrorCode.InvalidState, err.message);
      assert.match(err.message, /No queued or running run has the id/);
    }
    const { runs } = await server.connection.sendRequest(RunList.type, { runsDir: join(tmp, 'no-such-runs-folder') });
    assert.deepEqual(runs, []);
    await assertServerUp();
  });
});
