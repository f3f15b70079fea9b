/**
 * Resuming a run that stopped before it finished (interrupted, cancelled or failed): the metrics
 * recorded after its last checkpoint are dropped and the run continues from that checkpoint —
 * weights, AdamW moments, step, phase and early-stopping state — to the result an uninterrupted
 * run would have reached.
 */
import { join } from 'node:path';
import type { BackendInfo, MetricEvent } from '../protocol';
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

/** Continues the run in `runDir` to a terminal state, as executeRun does for a new run. */
export async function resumeRun(runDir: string, backend: BackendInfo, hooks: FineTuneHooks): Promise<RunRecord> {
  const writer = await RunWriter.open(runDir);
  const r = writer.record;
  if (r.state === 'completed') throw new UserError(`${runDir} has completed; there is nothing to resume.`, TransferLabErrorCode.InvalidState);
  if ((r.state === 'running' || r.state === 'queued') && !isOrphaned(r, new Set())) {
    throw new UserError(`${runDir} is still ${r.state} in process ${r.pid ?? '?'}; cancel it before resuming.`, TransferLabErrorCode.InvalidState);
  }
  const checkpoint = await latestCheckpoint(runDir);
  await truncateMetrics(writer, checkpoint?.state.step ?? 0);
  hooks.onLog(checkpoint === null ? `${runDir}: no checkpoint yet, starting over` : `${runDir}: resuming the ${r.state} run from step ${checkpoint.state.step}`);
  return executeRun(writer, backend, hooks);
}
