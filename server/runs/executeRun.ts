/**
 * Runs a fine-tune to a terminal state and records it: completed, cancelled, or failed with the
 * user-facing reason. Shared by the run worker and the CLI so both leave identical run folders.
 */
import type { BackendInfo } from '../protocol';
import type { RunState } from '../protocol';
import { describeError } from '../errors';
import { RunCancelled, runFineTune, type FineTuneHooks } from '../finetune/runFineTune';
import type { RunRecord, RunWriter } from './runStore';
import { withRunReport } from '../report/writeRunReport';
import { failureMessage } from './runFailure';

export async function executeRun(writer: RunWriter, backend: BackendInfo, hooks: FineTuneHooks): Promise<RunRecord> {
  return withRunReport(await runToEnd(writer, backend, hooks), hooks.onLog); // report.html: failures logged, never fail the run
}

async function runToEnd(writer: RunWriter, backend: BackendInfo, hooks: FineTuneHooks): Promise<RunRecord> {
  try {
    await runFineTune(writer, backend, hooks);
    return await writer.setState('completed');
  } catch (err) {
    if (err instanceof RunCancelled) return settle(writer, 'cancelled', 'Cancelled by the user.', hooks);
    const message = failureMessage(err, writer.record, backend);
    if (message === describeError(err) && message.startsWith('Internal error')) hooks.onLog(err instanceof Error && err.stack ? err.stack : message);
    return settle(writer, 'failed', message, hooks);
  }
}

/** Records the final state; when run.json cannot be written (a full disk), the state still stands in memory. */
async function settle(writer: RunWriter, state: RunState, message: string, hooks: FineTuneHooks): Promise<RunRecord> {
  try {
    return await writer.setState(state, message);
  } catch (err) {
    hooks.onLog(`could not record the ${state} state in ${writer.runDir}/run.json: ${describeError(err)}`);
    return writer.record;
  }
}
