/**
 * Resuming a run that stopped before it finished (interrupted, cancelled or failed): the metrics
 * recorded after its last checkpoint are dropped and the run continues from that checkpoint —
 * weights, AdamW moments, step, phase and early-stopping state — to the result an uninterrupted
 * run would have reached.
 */
import { join } from 'node:path';
import type { BackendInfo, MetricEvent, RunState } from '../protocol';
import { TransferLabErrorCode } from '../protocol';
import { UserError } from '../errors';
import { writeFileAtomic } from '../checkpoints/atomicWrite';
import { executeRun } from '../runs/executeRun';
import { isOrphaned, readMetrics, RunWriter, type RunRecord } from '../runs/runStore';
import { latestCheckpoint } from './loop/checkpoints';
import type { FineTuneHooks } from './runFineTune';

/** runStore's metrics file name. */
const METRICS_FILE = 'metrics.jsonl';

/** Keeps the events up to `step` and brings run.json's last-seen fields back to them. */
async function truncateMetrics(writer: RunWriter, step: number): Promise<void> {
  const kept = (await readMetrics(writer.runDir)).filter((e) => e.step <= step);
  await writeFileAtomic(join(writer.runDir, METRICS_FILE), kept.map((e) => JSON.stringify(e) + '\n').join(''));
  const lastStep = kept.filter((e): e is Extract<MetricEvent, { type: 'step' }> => e.type === 'step').at(-1);
  const lastEval = kept.filter((e): e is Extract<MetricEvent, { type: 'eval' }> => e.type === 'eval').at(-1);
  await writer.update({ lastStep: step, lastLoss: lastStep?.loss ?? null, lastValAccuracy: lastEval?.valAccuracy ?? null, result: null });
}

/** A stopped run made ready to continue: its writer, and the checkpoint step it continues from (null: from the start). */
export interface PreparedResume {
  readonly writer: RunWriter;
  readonly fromStep: number | null;
  /** The state it stopped in (interrupted, cancelled or failed). */
  readonly previousState: RunState;
}

/**
 * Checks that the run in `runDir` can continue (not completed, not queued or running in a live
 * process other than as one of `liveRunIds`) and drops the metrics after its last checkpoint.
 */
export async function prepareResume(runDir: string, liveRunIds: ReadonlySet<string> = new Set()): Promise<PreparedResume> {
  const writer = await RunWriter.open(runDir);
  const r = writer.record;
  if (r.state === 'completed') throw new UserError(`${runDir} has completed; there is nothing to resume.`, TransferLabErrorCode.InvalidState);
  if (liveRunIds.has(r.runId) || ((r.state === 'running' || r.state === 'queued') && !isOrphaned(r, liveRunIds))) {
    throw new UserError(`${runDir} is still ${r.state} in process ${r.pid ?? '?'}; cancel it before resuming.`, TransferLabErrorCode.InvalidState);
  }
  const checkpoint = await latestCheckpoint(runDir);
  await truncateMetrics(writer, checkpoint?.state.step ?? 0);
  return { writer, fromStep: checkpoint?.state.step ?? null, previousState: r.state };
}

/** "resuming the interrupted run from step 12" / "no checkpoint yet, starting over". */
export function describeResume(p: PreparedResume): string {
  return p.fromStep === null ? `${p.writer.runDir}: no checkpoint yet, starting over` : `${p.writer.runDir}: resuming the ${p.previousState} run from step ${p.fromStep}`;
}

/** Continues the run in `runDir` to a terminal state, as executeRun does for a new run. */
export async function resumeRun(runDir: string, backend: BackendInfo, hooks: FineTuneHooks): Promise<RunRecord> {
  const prepared = await prepareResume(runDir);
  hooks.onLog(describeResume(prepared));
  return executeRun(prepared.writer, backend, hooks);
}
