/**
 * The training server's entry point (dist/server.js): wires protocol requests to feature
 * functions over vscode-languageserver. It never imports vscode; runs train in worker threads.
 */
import { join } from 'node:path';
import { createConnection, ProposedFeatures, type InitializeResult } from 'vscode-languageserver/node';
import {
  DatasetInspect, DatasetTokenLengths, GeneratedTextNotification, ModelAttention, ModelClassify, ModelFillMask, ModelGenerate, ModelList,
  PretrainCancel, PretrainStart, PretrainStateNotification, PROTOCOL_VERSION, RunCancel, RunHistory, RunList, RunResolveConfig, RunResume, RunStart,
  RunStateNotification, type BackendPreference, type RunSummary, type TransferLabInitializeResult,
} from './protocol';
import { discoverModels } from './checkpoints/discoverModels';
import { InferenceRequests } from './inference/inferenceRequests';
import { ModelCache } from './inference/modelCache';
import { PRESET_NAMES } from './models/presets';
import { initBackend, isBackendName } from './backend/selectBackend';
import { inspectDataset } from './datasets/labelledDataset';
import { measureTokenLengths } from './datasets/tokenLengths';
import { resolveFineTuneConfig } from './finetune/fineTuneConfig';
import { PretrainJobs } from './pretrain/pretrainJobs';
import { PretrainProgress } from './pretrain/pretrainProgress';
import { RunManager } from './runs/runManager';
import { RunProgress } from './runs/runProgress';
import { handled } from './requestErrors';
import { validated } from './requestParams';

const connection = createConnection(ProposedFeatures.all);
let backendPreference: BackendPreference = 'auto';
const latest = new Map<string, RunSummary>();

const manager = new RunManager(join(__dirname, 'runWorker.js'), () => backendPreference, {
  onEvents: (runId, events) => progress.events(latest.get(runId), runId, events),
  onState: (run) => {
    latest.set(run.runId, run);
    progress.flush();
    void connection.sendNotification(RunStateNotification.type, { run });
    if (run.state !== 'queued' && run.state !== 'running') {
      progress.end(run.runId);
      latest.delete(run.runId);
    }
  },
  onLog: (line) => connection.console.log(line),
});
const progress = new RunProgress(connection, (runId) => void manager.cancel(runId).catch(() => undefined));

connection.onInitialize(async (params): Promise<InitializeResult> => {
  const opts = params.initializationOptions as { backend?: unknown } | undefined;
  if (isBackendName(opts?.backend)) backendPreference = opts.backend;
  const backend = await initBackend(backendPreference).catch(async (err: unknown) => {
    connection.console.error(String(err instanceof Error ? err.message : err));
    backendPreference = 'auto';
    return initBackend('auto');
  });
  const transferLab: TransferLabInitializeResult = { protocolVersion: PROTOCOL_VERSION, backend };
  return { capabilities: {}, serverInfo: { name: 'transfer-lab-server', version: PROTOCOL_VERSION.toString() }, transferLab } as InitializeResult;
});

connection.onRequest(DatasetInspect.type, handled(validated(DatasetInspect.method, { path: 'string' }, (p: DatasetInspect.Params) => inspectDataset(p.path, p.labelColumn))));

connection.onRequest(DatasetTokenLengths.type, handled(validated(DatasetTokenLengths.method, { path: 'string', model: 'string', textColumn: 'string' }, measureTokenLengths)));

/** A config with relative paths taken from `baseDir` (a *.tlab.json file's folder); resolving twice changes nothing. */
const withBase = <C extends { readonly dataset: string }>(config: C, baseDir: string | undefined): C =>
  (typeof baseDir === 'string' ? resolveFineTuneConfig(config as Record<string, unknown>, baseDir) : config) as C;

connection.onRequest(RunResolveConfig.type, handled(validated(RunResolveConfig.method, { config: 'object' }, async (p: RunResolveConfig.Params) => ({
  config: resolveFineTuneConfig(p.config as Record<string, unknown>, p.baseDir),
}))));

connection.onRequest(RunStart.type, handled(validated(RunStart.method, { config: 'object', runsDir: 'string' }, async (p: RunStart.Params) => {
  const run = await manager.start(withBase(p.config, p.baseDir), p.runsDir);
  latest.set(run.runId, run);
  await progress.begin(run);
  return { run };
})));

connection.onRequest(RunResume.type, handled(validated(RunResume.method, { runDir: 'string' }, async (p: RunResume.Params) => {
  const run = await manager.resume(p.runDir);
  latest.set(run.runId, run);
  await progress.begin(run);
  return { run };
})));

connection.onRequest(RunCancel.type, handled(validated(RunCancel.method, { runId: 'string' }, async (p: RunCancel.Params) => ({ state: await manager.cancel(p.runId) }))));
connection.onRequest(RunList.type, handled(validated(RunList.method, { runsDir: 'string' }, async (p: RunList.Params) => ({ runs: await manager.list(p.runsDir) }))));
connection.onRequest(RunHistory.type, handled(validated(RunHistory.method, { runDir: 'string' }, (p: RunHistory.Params) => manager.history(p.runDir))));

const pretrainJobs = new PretrainJobs(join(__dirname, 'pretrainWorker.js'), () => backendPreference, {
  onEvent: (job, event) => pretrainProgress.event(job, event),
  onState: (job) => {
    if (job.state === 'running') return;
    pretrainProgress.end(job.jobId);
    void connection.sendNotification(PretrainStateNotification.type, { job });
  },
  onLog: (line) => connection.console.log(line),
});
const pretrainProgress = new PretrainProgress(connection, (jobId) => void pretrainJobs.cancel(jobId).catch(() => undefined));
connection.onRequest(PretrainStart.type, handled(validated(PretrainStart.method, { config: 'object' }, async (p: PretrainStart.Params) => {
  const job = pretrainJobs.start(p.config as Record<string, unknown>);
  await pretrainProgress.begin(job);
  return { job };
})));
connection.onRequest(PretrainCancel.type, handled(validated(PretrainCancel.method, { jobId: 'string' }, async (p: PretrainCancel.Params) => ({ state: await pretrainJobs.cancel(p.jobId) }))));

const models = new ModelCache();
const inference = new InferenceRequests(models);
connection.onRequest(ModelList.type, handled(validated(ModelList.method, { workspaceRoots: 'string[]', modelPaths: 'string[]', runsDir: 'string' }, async (p: ModelList.Params) => ({
  models: await discoverModels(p.workspaceRoots, p.modelPaths, p.runsDir), presets: PRESET_NAMES,
}))));
connection.onRequest(ModelAttention.type, handled(validated(ModelAttention.method, { model: 'string', text: 'string' }, (p: ModelAttention.Params) => inference.attention(p))));
connection.onRequest(ModelClassify.type, handled(validated(ModelClassify.method, { model: 'string', text: 'string', labels: 'string[]', calibrate: 'boolean' }, (p: ModelClassify.Params) => inference.classify(p))));
connection.onRequest(ModelFillMask.type, handled(validated(ModelFillMask.method, { model: 'string', text: 'string', topK: 'number' }, (p: ModelFillMask.Params) => inference.fillMask(p))));
const GENERATE_FIELDS = { model: 'string', prompt: 'string', requestId: 'string', maxTokens: 'number', temperature: 'number', topK: 'number', topP: 'number', seed: 'number', stop: 'string[]' } as const;
connection.onRequest(ModelGenerate.type, (p: ModelGenerate.Params, token) => handled(validated(ModelGenerate.method, GENERATE_FIELDS, (q: ModelGenerate.Params) =>
  inference.generate(q, token, (piece) => void connection.sendNotification(GeneratedTextNotification.type, { requestId: q.requestId, piece }))))(p));

connection.onShutdown(async () => {
  models.dispose();
  await Promise.all([manager.dispose(), pretrainJobs.dispose()]);
});
process.on('uncaughtException', (err) => connection.console.error(`uncaught: ${err.stack ?? err.message}`));
process.on('unhandledRejection', (err) => connection.console.error(`unhandled rejection: ${String(err)}`));

connection.listen();
