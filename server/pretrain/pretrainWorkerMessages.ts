/**
 * Messages between the server and a pretraining job's worker thread: plain data only (the
 * resolved configuration in, events and the outcome out); the worker owns its own backend.
 */
import type { BackendPreference } from '../protocol';
import type { PretrainConfig } from './pretrainConfig';
import type { PretrainEvent } from './pretrainLoop';

export type ToPretrainWorker =
  | { readonly type: 'start'; readonly config: PretrainConfig; readonly backend: BackendPreference }
  | { readonly type: 'cancel' };

export type FromPretrainWorker =
  | { readonly type: 'event'; readonly event: PretrainEvent }
  | { readonly type: 'log'; readonly line: string }
  /** Sent last; the worker exits after it. */
  | { readonly type: 'completed'; readonly heldOutLoss: number }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'cancelled' };

export function isToPretrainWorker(x: unknown): x is ToPretrainWorker {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as { type?: unknown; config?: unknown };
  return (m.type === 'start' && typeof m.config === 'object' && m.config !== null) || m.type === 'cancel';
}

export function isFromPretrainWorker(x: unknown): x is FromPretrainWorker {
  if (typeof x !== 'object' || x === null) return false;
  const t = (x as { type?: unknown }).type;
  return t === 'event' || t === 'log' || t === 'completed' || t === 'failed' || t === 'cancelled';
}
