/**
 * The on-disk run store: `<runsDir>/<runId>/run.json` (resolved config, seed, backend, state,
 * timings), `metrics.jsonl` (append-only events) and `final/` (a Hugging Face model folder).
 * run.json is rewritten atomically, so a killed process never leaves it half-written.
 */
import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile, readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { BackendInfo, FineTuneConfig, FineTuneTask, MetricEvent, RunState, RunSummary } from '../protocol';
import { TransferLabErrorCode } from '../protocol';
import { UserError } from '../errors';
import { writeFileAtomic } from '../checkpoints/atomicWrite';

export const RUN_FORMAT_VERSION = 1;
const RUN_STATES: readonly RunState[] = ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted'];

export interface RunResult {
  readonly valAccuracy: number;
  readonly valMacroF1: number;
  readonly valLoss: number;
  /** Accuracy of always predicting the most frequent validation label. */
  readonly majorityRate: number;
  readonly trainExamples: number;
  readonly valExamples: number;
  readonly labels: readonly string[];
  /** How the model was adapted (config.strategy as run), and what it trained. */
  readonly strategy?: string;
  readonly trainableParameters?: number;
  /** Lowest validation loss and its step (best/ holds that model); whether early stopping ended the run. */
  readonly bestValLoss?: number;
  readonly bestStep?: number;
  readonly stoppedEarly?: boolean;
  /** LM loss (nats/token) on the probe text of the final and the base model; null without an LM head or probe text. */
  readonly probeLoss?: number | null;
  readonly baseProbeLoss?: number | null;
  /** The run's task (absent: sequence-classification, from before tasks) and its extra metrics at the last evaluation. */
  readonly task?: FineTuneTask;
  readonly entityF1?: number;
  readonly perplexity?: number;
  readonly tokenF1?: number;
}

/** run.json: the protocol's RunSummary plus what only the store keeps. */
export interface RunRecord extends RunSummary {
  readonly formatVersion: number;
  readonly device: string | null;
  readonly startedAt: string | null;
  readonly timings: { readonly prepareMs: number; readonly trainMs: number; readonly evalMs: number };
  readonly result: RunResult | null;
  /** Process that owns the run while queued or running; a dead owner means 'interrupted'. */
  readonly pid: number | null;
}

export const FINAL_DIR = 'final';
const RUN_FILE = 'run.json';
const METRICS_FILE = 'metrics.jsonl';

function timestampId(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** A run id safe as a folder name: time, the dataset's stem (letters, digits, -_) and 4 hex. */
export function newRunId(dataset: string, now = new Date()): string {
  const stem = basename(dataset, extname(dataset)).replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'run';
  return `${timestampId(now)}-${stem}-${randomBytes(2).toString('hex')}`;
}

/** Keeps a run's record in memory and persists every change atomically. */
export class RunWriter {
  private constructor(readonly runDir: string, private rec: RunRecord) {}

  static async create(runsDir: string, config: FineTuneConfig, totalSteps = 0): Promise<RunWriter> {
    const runId = newRunId(config.dataset);
    const runDir = join(runsDir, runId);
    try {
      await mkdir(runDir, { recursive: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new UserError(`Cannot create the run folder ${runDir} (${code}). Choose a writable runs folder (transferLab.runsDirectory or --runs-dir).`);
    }
    const rec: RunRecord = {
      formatVersion: RUN_FORMAT_VERSION, runId, runDir, state: 'queued', config, backend: null, device: null,
      createdAt: new Date().toISOString(), startedAt: null, finishedAt: null, message: null, totalSteps,
      lastStep: 0, lastLoss: null, lastValAccuracy: null, timings: { prepareMs: 0, trainMs: 0, evalMs: 0 }, result: null, pid: process.pid,
    };
    const writer = new RunWriter(runDir, rec);
    await writer.persist();
    return writer;
  }

  static async open(runDir: string): Promise<RunWriter> {
    return new RunWriter(runDir, await readRun(runDir));
  }

  get record(): RunRecord {
    return this.rec;
  }

  async update(patch: Partial<Omit<RunRecord, 'runId' | 'runDir' | 'formatVersion'>>): Promise<RunRecord> {
    this.rec = { ...this.rec, ...patch };
    await this.persist();
    return this.rec;
  }

  async setState(state: RunState, message: string | null = null, backend?: BackendInfo): Promise<RunRecord> {
    const now = new Date().toISOString();
    const terminal = state === 'completed' || state === 'failed' || state === 'cancelled' || state === 'interrupted';
    return this.update({
      state,
      message,
      ...(backend ? { backend: backend.backend, device: backend.device } : {}),
      ...(state === 'running' ? { startedAt: now, pid: process.pid } : {}),
      ...(terminal ? { finishedAt: now } : {}),
    });
  }

  /** Appends events to metrics.jsonl and folds them into the summary fields. */
  async appendEvents(events: readonly MetricEvent[]): Promise<void> {
    if (events.length === 0) return;
    await appendFile(join(this.runDir, METRICS_FILE), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    this.fold(events);
  }

  /**
   * Folds metrics.jsonl into the summary fields: run.json is rewritten on state changes only, so
   * after a process died mid-run its last step is known from the metrics alone.
   */
  async foldMetrics(): Promise<void> {
    this.fold(await readMetrics(this.runDir));
  }

  private fold(events: readonly MetricEvent[]): void {
    let { lastStep, lastLoss, lastValAccuracy } = this.rec;
    for (const e of events) {
      lastStep = Math.max(lastStep, e.step);
      if (e.type === 'step') lastLoss = e.loss;
      else if (e.type === 'eval') lastValAccuracy = e.valAccuracy;
    }
    this.rec = { ...this.rec, lastStep, lastLoss, lastValAccuracy };
  }

  private async persist(): Promise<void> {
    await writeFileAtomic(join(this.runDir, RUN_FILE), JSON.stringify(this.rec, null, 2) + '\n');
  }
}

export async function readRun(runDir: string): Promise<RunRecord> {
  let text: string;
  try {
    text = await readFile(join(runDir, RUN_FILE), 'utf8');
  } catch {
    throw new UserError(`${runDir} is not a run folder (no run.json).`, TransferLabErrorCode.NotFound);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserError(`${join(runDir, RUN_FILE)} is not valid JSON (damaged or edited by hand). Delete the run folder or restore run.json.`);
  }
  if (typeof json !== 'object' || json === null || (json as { formatVersion?: unknown }).formatVersion !== RUN_FORMAT_VERSION) {
    throw new UserError(`${join(runDir, RUN_FILE)} has an unknown format. It was written by another version of Transfer Lab.`);
  }
  const r = json as Partial<Record<keyof RunRecord, unknown>>;
  if (typeof r.runId !== 'string' || typeof r.createdAt !== 'string' || !RUN_STATES.includes(r.state as RunState) || typeof r.config !== 'object' || r.config === null) {
    throw new UserError(`${join(runDir, RUN_FILE)} lacks a run id, state, creation time or configuration. Delete the run folder or restore run.json.`);
  }
  // The folder may have moved since the run was written: trust where we found it.
  return { ...(json as RunRecord), runDir };
}

export async function readMetrics(runDir: string): Promise<MetricEvent[]> {
  let text: string;
  try {
    text = await readFile(join(runDir, METRICS_FILE), 'utf8');
  } catch {
    return [];
  }
  const events: MetricEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      events.push(JSON.parse(line) as MetricEvent);
    } catch {
      // A line cut short by a killed process: everything before it is still valid.
    }
  }
  return events;
}

function isAlive(pid: number | null): boolean {
  if (pid === null) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when run.json says queued/running but its owning process is gone. */
export function isOrphaned(r: RunRecord, liveRunIds: ReadonlySet<string>): boolean {
  if (r.state !== 'running' && r.state !== 'queued') return false;
  if (liveRunIds.has(r.runId)) return false;
  return r.pid === process.pid || !isAlive(r.pid);
}

/** Every readable run under runsDir, newest first. */
export async function listRuns(runsDir: string): Promise<RunRecord[]> {
  let names: string[];
  try {
    names = await readdir(runsDir);
  } catch {
    return [];
  }
  const runs: RunRecord[] = [];
  for (const name of names) {
    try {
      runs.push(await readRun(join(runsDir, name)));
    } catch {
      // not a run folder
    }
  }
  return runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export function toSummary(r: RunRecord): RunSummary {
  return {
    runId: r.runId, runDir: r.runDir, state: r.state, config: r.config, backend: r.backend, createdAt: r.createdAt,
    finishedAt: r.finishedAt, message: r.message, totalSteps: r.totalSteps, lastStep: r.lastStep, lastLoss: r.lastLoss,
    lastValAccuracy: r.lastValAccuracy,
  };
}
