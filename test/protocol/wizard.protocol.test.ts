/**
 * The requests behind the fine-tune wizard, "Edit as JSON" and "Pretrain…", over JSON-RPC to the
 * real server: token lengths for the max-length suggestion, resolving a partial configuration,
 * starting a run from a *.tlab.json-style config with relative paths, and a pretraining job that
 * writes a model folder (and one that is cancelled).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResponseError } from 'vscode-languageserver-protocol/node';
import {
  DatasetTokenLengths, PretrainCancel, PretrainStart, PretrainStateNotification, RunCancel, RunResolveConfig, RunStart,
  TransferLabErrorCode, type PretrainJob,
} from '../../server/protocol';
import { startServer, waitFor, type ServerHandle } from '../helpers/serverProcess';
import { syntheticCorpusText } from '../server/pretrain/corpusFixture';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'datasets');
/** A few pretraining steps of a tiny model take seconds; the budget covers a slow, busy machine. */
const PRETRAIN_TIMEOUT_MS = 120_000;

let server: ServerHandle;
let tmp: string;
const ended: PretrainJob[] = [];

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'tl-wizard-protocol-'));
  server = await startServer();
  server.connection.onNotification(PretrainStateNotification.type, (p) => {
    ended.push(p.job);
  });
});
after(async () => server.stop());

function jobEnd(jobId: string): Promise<PretrainJob> {
  const seen = ended.find((j) => j.jobId === jobId);
  if (seen !== undefined) return Promise.resolve(seen);
  return waitFor<PretrainJob>((cb) => server.connection.onNotification(PretrainStateNotification.type, (p) => {
    if (p.job.jobId === jobId) cb(p.job);
  }), PRETRAIN_TIMEOUT_MS, `pretraining job ${jobId} to end`);
}

test('token lengths of a dataset in a preset’s trained vocabulary, with the model’s limit', async () => {
  const r = await server.connection.sendRequest(DatasetTokenLengths.type, { path: join(FIXTURES, 'tiny-sentiment.csv'), model: 'tiny', textColumn: '' });
  assert.equal(r.textColumn, 'text');
  assert.equal(r.lengths.rows, 60);
  assert.equal(r.lengths.sampled, 60);
  assert.ok(r.lengths.p50 >= 3 && r.lengths.p50 <= r.lengths.p95 && r.lengths.p95 <= r.lengths.max, JSON.stringify(r.lengths));
  assert.equal(r.modelMaxLength, 512);
  assert.match(r.tokenizer, /WordPiece/);
});

test('pairs are measured together and are longer than either text', async () => {
  const path = join(FIXTURES, 'tiny-pairs.csv');
  const one = await server.connection.sendRequest(DatasetTokenLengths.type, { path, model: 'tiny', textColumn: 'premise' });
  const both = await server.connection.sendRequest(DatasetTokenLengths.type, { path, model: 'tiny', textColumn: 'premise', textPairColumn: 'hypothesis' });
  assert.ok(both.lengths.p50 > one.lengths.p50, `${both.lengths.p50} > ${one.lengths.p50}`);
  await assert.rejects(
    server.connection.sendRequest(DatasetTokenLengths.type, { path, model: 'tiny', textColumn: 'nope' }),
    (err: unknown) => err instanceof ResponseError && err.code === TransferLabErrorCode.UserInput && /no column "nope"/.test(err.message),
  );
});

test('resolveConfig fills every default and names a bad key with the known ones', async () => {
  const { config } = await server.connection.sendRequest(RunResolveConfig.type, { config: { dataset: 'tiny-sentiment.csv', strategy: 'lora' }, baseDir: FIXTURES });
  assert.equal(config.dataset, join(FIXTURES, 'tiny-sentiment.csv'));
  assert.equal(config.learningRate, 5e-4, 'LoRA’s default learning rate');
  assert.equal(config.lora.rank, 8);
  assert.equal(config.mitigations.l2sp, 0);
  await assert.rejects(
    server.connection.sendRequest(RunResolveConfig.type, { config: { dataset: 'x.csv', epoch: 3 } as never }),
    (err: unknown) => err instanceof ResponseError && err.code === TransferLabErrorCode.UserInput && /unknown key "epoch".*epochs/.test(err.message),
  );
});

test('a run starts from a configuration whose paths are relative to baseDir', async () => {
  const folder = join(tmp, 'project');
  mkdirSync(folder);
  copyFileSync(join(FIXTURES, 'tiny-sentiment.csv'), join(folder, 'reviews.csv'));
  const { run } = await server.connection.sendRequest(RunStart.type, { config: { dataset: 'reviews.csv', epochs: 1 }, runsDir: join(tmp, 'runs'), baseDir: folder });
  assert.equal(run.config.dataset, join(folder, 'reviews.csv'));
  await server.connection.sendRequest(RunCancel.type, { runId: run.runId });
});

test('a pretraining job writes a model folder and reports its end', async () => {
  const corpus = join(tmp, 'corpus.txt');
  writeFileSync(corpus, syntheticCorpusText(60));
  const out = join(tmp, 'models', 'bert-tiny');
  const { job } = await server.connection.sendRequest(PretrainStart.type, {
    config: { corpus, out, family: 'bert', size: 'tiny', steps: 3, batchSize: 4, seqLength: 16, vocabSize: 200 },
  });
  assert.equal(job.state, 'running');
  assert.equal(job.steps, 3);
  const final = await jobEnd(job.jobId);
  assert.equal(final.state, 'completed', final.message ?? '');
  assert.equal(final.step, 3);
  assert.ok(final.heldOutLoss !== null && Number.isFinite(final.heldOutLoss));
  for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'probe.txt']) assert.ok(existsSync(join(out, f)), `${f} missing`);
  assert.ok(server.progressTokens.length >= 1, 'no work-done progress was created');
});

test('a pretraining job is cancelled, and bad settings or a non-model output folder are refused', async () => {
  const corpus = join(tmp, 'corpus-long.txt');
  writeFileSync(corpus, syntheticCorpusText(200));
  const out = join(tmp, 'models', 'cancelled');
  const { job } = await server.connection.sendRequest(PretrainStart.type, { config: { corpus, out, steps: 100000, batchSize: 4, seqLength: 16, vocabSize: 200 } });
  const { state } = await server.connection.sendRequest(PretrainCancel.type, { jobId: job.jobId });
  assert.equal(state, 'cancelled');
  assert.ok(!existsSync(join(out, 'config.json')), 'a cancelled job writes nothing');

  await assert.rejects(server.connection.sendRequest(PretrainStart.type, { config: { corpus, out, family: 'bart' } }), /family must be bert, roberta/);
  const notes = join(tmp, 'notes');
  mkdirSync(notes);
  writeFileSync(join(notes, 'todo.md'), 'keep me');
  await assert.rejects(server.connection.sendRequest(PretrainStart.type, { config: { corpus, out: notes } }), /already holds files that are not a model/);
  assert.ok(existsSync(join(notes, 'todo.md')));
});
