/**
 * The server's pretraining jobs: each resolved configuration trains in its own worker thread
 * (dist/pretrainWorker.js), reports steps and held-out losses, and ends completed, failed or
 * cancelled. A worker that dies without reporting leaves its job failed with the reason.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { TransferLabErrorCode, type BackendPreference, type PretrainJob, type PretrainState } from '../protocol';
import { UserError } from '../errors';
import { resolvePretrainConfig } from './pretrainConfig';
import type { PretrainEvent } from './pretrainLoop';
import { isFromPretrainWorker, type ToPretrainWorker } from './pretrainWorkerMessages';

/** How long a cancelled job may take to reach a step boundary before its worker is terminated. */
export const PRETRAIN_CANCEL_GRACE_MS = 1500;

export interface PretrainJobsListener {
  onEvent(job: PretrainJob, event: PretrainEvent): void;
  /** The job started, or ended (completed, failed, cancelled). */
  onState(job: PretrainJob): void;
  onLog(line: string): void;
}

interface ActiveJob {
  job: PretrainJob;
  readonly worker: Worker;
  cancelRequested: boolean;
  readonly finished: Promise<PretrainJob>;
}

/** A folder the output would replace: refused unless absent, empty or a model folder (config.json). */
function checkOut(out: string): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new UserError(`The output ${out} is a file. Choose a folder name for the pretrained model.`);
  if (readdirSync(out).length > 0 && !existsSync(join(out, 'config.json'))) {
    throw new UserError(`The output folder ${out} already holds files that are not a model; pretraining would replace them. Choose a new or empty folder.`);
  }
}

export class PretrainJobs {
  private readonly jobs = new Map<string, ActiveJob>();

  constructor(private readonly workerPath: string, private readonly backend: () => BackendPreference, private readonly listener: PretrainJobsListener) {}

  /** Validates the settings and starts the worker; returns the running job at once. */
  start(settings: Record<string, unknown>): PretrainJob {
    const config = resolvePretrainConfig(settings);
    checkOut(config.out);
    if (!existsSync(config.corpus)) throw new UserError(`The corpus ${config.corpus} does not exist. Choose a text file, a folder of .txt/.md/.raw files or a dataset file.`);
    const jobId = `pretrain-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
    const job: PretrainJob = {
      jobId, state: 'running', corpus: config.corpus, out: config.out, family: config.model !== '' ? 'folder' : config.family,
      size: config.model !== '' ? 'folder' : config.size, steps: config.steps, step: 0, lastLoss: null, heldOutLoss: null, message: null,
    };
    const worker = new Worker(this.workerPath);
    let settle: (job: PretrainJob) => void = () => undefined;
    const active: ActiveJob = { job, worker, cancelRequested: false, finished: new Promise((r) => (settle = r)) };
    this.jobs.set(jobId, active);
    let outcome: Pick<PretrainJob, 'state' | 'message'> | null = null;
    worker.on('message', (m: unknown) => {
      if (!isFromPretrainWorker(m)) return;
      if (m.type === 'event') {
        const e = m.event;
        active.job = e.type === 'step' ? { ...active.job, step: e.step, lastLoss: e.loss } : { ...active.job, heldOutLoss: e.heldOutLoss };
        this.listener.onEvent(active.job, e);
      } else if (m.type === 'log') this.listener.onLog(`[${jobId}] ${m.line}`);
      else if (m.type === 'completed') outcome = { state: 'completed', message: null };
      else if (m.type === 'cancelled') outcome = { state: 'cancelled', message: 'Cancelled by the user; nothing was written.' };
      else outcome = { state: 'failed', message: m.message };
    });
    worker.on('error', (err) => this.listener.onLog(`[${jobId}] worker error: ${err.stack ?? err.message}`));
    worker.on('exit', () => {
      const end = outcome ?? (active.cancelRequested
        ? { state: 'cancelled' as const, message: 'Cancelled by the user; nothing was written.' }
        : { state: 'failed' as const, message: 'The pretraining worker stopped unexpectedly (see the server log).' });
      active.job = { ...active.job, ...end };
      this.jobs.delete(jobId);
      this.listener.onState(active.job);
      settle(active.job);
    });
    worker.postMessage({ type: 'start', config, backend: this.backend() } satisfies ToPretrainWorker);
    this.listener.onState(job);
    return job;
  }

  /** Resolves with the job's final state once its worker has stopped. */
  async cancel(jobId: string): Promise<PretrainState> {
    const active = this.jobs.get(jobId);
    if (active === undefined) throw new UserError(`No running pretraining job has the id ${jobId}. It may have finished already.`, TransferLabErrorCode.InvalidState);
    active.cancelRequested = true;
    active.worker.postMessage({ type: 'cancel' } satisfies ToPretrainWorker);
    const timer = setTimeout(() => void active.worker.terminate(), PRETRAIN_CANCEL_GRACE_MS);
    const final = await active.finished;
    clearTimeout(timer);
    return final.state;
  }

  /** Stops every worker (server shutdown). */
  async dispose(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((j) => j.worker.terminate()));
  }
}
