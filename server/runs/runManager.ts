/**
 * The server's run queue: one run trains at a time, each in its own worker thread; others wait
 * as 'queued'. Cancel stops a run between steps, or terminates its worker after a grace period.
 * A worker that dies without reporting leaves its run 'interrupted'.
 */
import { Worker } from 'node:worker_threads';
import type { BackendPreference, FineTuneConfig, MetricEvent, RunState, RunSummary } from '../protocol';
import { TransferLabErrorCode } from '../protocol';
import { UserError } from '../errors';
import { resolveFineTuneConfig } from '../finetune/fineTuneConfig';
import { describeResume, prepareResume } from '../finetune/resume';
import { isOrphaned, listRuns, readMetrics, readRun, RunWriter, toSummary } from './runStore';
import { isFromWorker, type ToWorker } from './workerMessages';

/** How long a cancelled run may take to reach a step boundary before its worker is terminated. */
export const CANCEL_GRACE_MS = 1500;

export interface RunManagerListener {
  onEvents(runId: string, events: readonly MetricEvent[]): void;
  onState(run: RunSummary): void;
  onLog(line: string): void;
}

interface ActiveRun {
  readonly writer: RunWriter;
  worker: Worker | null;
  cancelRequested: boolean;
  /** The newest record the worker reported (the worker writes run.json, not this thread). */
  latest: RunSummary;
  readonly finished: Promise<RunSummary>;
  resolve: (run: RunSummary) => void;
}

export class RunManager {
  private readonly runs = new Map<string, ActiveRun>();
  private readonly queue: string[] = [];
  private running: string | null = null;

  constructor(private readonly workerPath: string, private readonly backend: () => BackendPreference, private readonly listener: RunManagerListener) {}

  async start(config: Partial<FineTuneConfig> & { dataset: string }, runsDir: string): Promise<RunSummary> {
    const resolved = resolveFineTuneConfig(config as Record<string, unknown>);
    return this.enqueue(await RunWriter.create(runsDir, resolved));
  }

  /**
   * Queues a stopped run (interrupted, cancelled, failed) again under its own id; its worker
   * continues from the last checkpoint (runFineTune resumes a folder that holds one).
   */
  async resume(runDir: string): Promise<RunSummary> {
    const prepared = await prepareResume(runDir, new Set(this.runs.keys()));
    const runId = prepared.writer.record.runId;
    if (this.runs.has(runId)) throw new UserError(`${runDir} is already queued again; wait for it or cancel it.`, TransferLabErrorCode.InvalidState);
    this.listener.onLog(describeResume(prepared));
    await prepared.writer.update({ state: 'queued', message: null, finishedAt: null, pid: process.pid });
    return this.enqueue(prepared.writer);
  }

  private enqueue(writer: RunWriter): RunSummary {
    let resolve: (run: RunSummary) => void = () => undefined;
    const finished = new Promise<RunSummary>((r) => (resolve = r));
    this.runs.set(writer.record.runId, { writer, worker: null, cancelRequested: false, latest: toSummary(writer.record), finished, resolve });
    this.queue.push(writer.record.runId);
    this.pump();
    return toSummary(writer.record);
  }

  /** Resolves with the run's final state once it has stopped. */
  async cancel(runId: string): Promise<RunState> {
    const run = this.runs.get(runId);
    if (run === undefined) {
      throw new UserError(`No queued or running run has the id ${runId}. It may have finished already.`, TransferLabErrorCode.InvalidState);
    }
    run.cancelRequested = true;
    const queuedAt = this.queue.indexOf(runId);
    if (queuedAt >= 0) {
      this.queue.splice(queuedAt, 1);
      this.finish(runId, toSummary(await run.writer.setState('cancelled', 'Cancelled before it started.')));
    } else if (run.worker !== null) {
      const worker = run.worker;
      worker.postMessage({ type: 'cancel' } satisfies ToWorker);
      const timer = setTimeout(() => void worker.terminate(), CANCEL_GRACE_MS);
      void run.finished.then(() => clearTimeout(timer));
    }
    return (await run.finished).state;
  }

  /** Runs under runsDir; runs whose owner died are marked 'interrupted' on the way. */
  async list(runsDir: string): Promise<RunSummary[]> {
    const live = new Set(this.runs.keys());
    const out: RunSummary[] = [];
    for (const r of await listRuns(runsDir)) {
      if (isOrphaned(r, live)) {
        const w = await RunWriter.open(r.runDir);
        await w.foldMetrics();
        const interrupted = toSummary(await w.setState('interrupted', 'The process training this run stopped before it finished. Resume continues it from its last checkpoint.'));
        this.listener.onState(interrupted); // panels still showing it as running learn it stopped
        out.push(interrupted);
      } else out.push(this.runs.get(r.runId)?.latest ?? toSummary(r));
    }
    return out;
  }

  async history(runDir: string): Promise<{ run: RunSummary; events: MetricEvent[] }> {
    const record = await readRun(runDir);
    return { run: this.runs.get(record.runId)?.latest ?? toSummary(record), events: await readMetrics(runDir) };
  }

  /** Stops every worker (server shutdown); their runs end up 'interrupted'. */
  async dispose(): Promise<void> {
    await Promise.all([...this.runs.values()].map((r) => r.worker?.terminate()));
  }

  private pump(): void {
    if (this.running !== null) return;
    const next = this.queue.shift();
    if (next === undefined) return;
    const run = this.runs.get(next);
    if (run === undefined) return;
    this.running = next;
    const worker = new Worker(this.workerPath);
    run.worker = worker;
    let final: RunSummary | null = null;
    worker.on('message', (m: unknown) => {
      if (!isFromWorker(m)) return;
      if (m.type === 'events') this.listener.onEvents(next, m.events);
      else if (m.type === 'record') {
        run.latest = m.run;
        this.listener.onState(m.run);
      }
      else if (m.type === 'log') this.listener.onLog(`[${next}] ${m.line}`);
      else final = m.run;
    });
    worker.on('error', (err) => this.listener.onLog(`[${next}] worker error: ${err.stack ?? err.message}`));
    worker.on('exit', () => void this.onWorkerExit(next, run, final));
    worker.postMessage({ type: 'start', runDir: run.writer.runDir, backend: this.backend() } satisfies ToWorker);
  }

  private async onWorkerExit(runId: string, run: ActiveRun, final: RunSummary | null): Promise<void> {
    let summary = final;
    if (summary === null) {
      // The worker died (terminated on cancel, crashed, out of memory): record why.
      const writer = await RunWriter.open(run.writer.runDir);
      await writer.foldMetrics();
      summary = toSummary(
        run.cancelRequested
          ? await writer.setState('cancelled', 'Cancelled by the user.')
          : await writer.setState('interrupted', 'The training worker stopped unexpectedly (see the server log). Resume is possible from the last checkpoint.'),
      );
    }
    this.running = null;
    this.finish(runId, summary);
    this.pump();
  }

  private finish(runId: string, summary: RunSummary): void {
    const run = this.runs.get(runId);
    this.runs.delete(runId);
    this.listener.onState(summary);
    run?.resolve(summary);
  }
}
