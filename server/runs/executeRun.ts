/**
 * Runs a fine-tune to a terminal state and records it: completed, cancelled, or failed with the
 * user-facing reason. Shared by the run worker and the CLI so both leave identical run folders.
 */
import type { BackendInfo } from '../protocol';
import { describeError, isOutOfMemory, UserError } from '../errors';
import { RunCancelled, runFineTune, type FineTuneHooks } from '../finetune/runFineTune';
import type { RunRecord, RunWriter } from './runStore';
import { withRunReport } from '../report/writeRunReport';

export async function executeRun(writer: RunWriter, backend: BackendInfo, hooks: FineTuneHooks): Promise<RunRecord> {
  return withRunReport(await runToEnd(writer, backend, hooks), hooks.onLog); // report.html: failures logged, never fail the run
}

async function runToEnd(writer: RunWriter, backend: BackendInfo, hooks: FineTuneHooks): Promise<RunRecord> {
  try {
    await runFineTune(writer, backend, hooks);
    return await writer.setState('completed');
  } catch (err) {
    if (err instanceof RunCancelled) return writer.setState('cancelled', 'Cancelled by the user.');
    const c = writer.record.config;
    const message = isOutOfMemory(err)
      ? `Out of memory training ${c.model} with batch size ${c.batchSize} and max length ${c.maxLength} on ${backend.backend}` +
        `${backend.backend === 'wasm' ? ' (the WebAssembly heap holds at most 4 GB)' : ''}. Lower the batch size (keep the effective batch with gradAccumulation / --grad-accum) or the max length, or pick a smaller model; checkpoints already written are kept.`
      : describeError(err);
    if (!(err instanceof UserError)) hooks.onLog(err instanceof Error && err.stack ? err.stack : message);
    return writer.setState('failed', message);
  }
}
