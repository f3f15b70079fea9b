/**
 * Runs a fine-tune to a terminal state and records it: completed, cancelled, or failed with the
 * user-facing reason. Shared by the run worker and the CLI so both leave identical run folders.
 */
import type { BackendInfo } from '../protocol';
import { describeError, UserError } from '../errors';
import { RunCancelled, runFineTune, type FineTuneHooks } from '../finetune/runFineTune';
import type { RunRecord, RunWriter } from './runStore';

export async function executeRun(writer: RunWriter, backend: BackendInfo, hooks: FineTuneHooks): Promise<RunRecord> {
  try {
    await runFineTune(writer, backend, hooks);
    return await writer.setState('completed');
  } catch (err) {
    if (err instanceof RunCancelled) return writer.setState('cancelled', 'Cancelled by the user.');
    const message = describeError(err);
    if (!(err instanceof UserError)) hooks.onLog(err instanceof Error && err.stack ? err.stack : message);
    return writer.setState('failed', message);
  }
}
