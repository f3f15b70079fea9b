/**
 * The message a failed run records in run.json (and the CLI prints): a UserError's own, or for the
 * failures a machine causes — out of memory, a full disk — what happened, the fix and what is kept.
 */
import type { BackendInfo } from '../protocol';
import { describeError, isDiskFull, isOutOfMemory } from '../errors';
import type { RunRecord } from './runStore';

export function failureMessage(err: unknown, record: RunRecord, backend: BackendInfo): string {
  const c = record.config;
  if (isOutOfMemory(err)) {
    return `Out of memory training ${c.model} with batch size ${c.batchSize} and max length ${c.maxLength} on ${backend.backend}` +
      `${backend.backend === 'wasm' ? ' (the WebAssembly heap holds at most 4 GB)' : ''}. Lower the batch size (keep the effective batch with gradAccumulation / --grad-accum) or the max length, or pick a smaller model; checkpoints already written are kept.`;
  }
  if (isDiskFull(err)) {
    return `The disk is full (${err.code ?? 'ENOSPC'}) writing ${err.path ?? record.runDir}. Free space on that disk (the checkpoints/ folders of old runs are the largest), ` +
      `then resume the run (Resume in the Runs view, or transfer-lab resume ${record.runDir}); its last complete checkpoint is kept.`;
  }
  return describeError(err);
}
