/**
 * Messages between the server and a run's worker thread. Only plain data crosses the boundary
 * (never tensors); the worker owns its own TensorFlow.js backend.
 */
import type { BackendPreference, MetricEvent, RunSummary } from '../protocol';

export type ToWorker =
  | { readonly type: 'start'; readonly runDir: string; readonly backend: BackendPreference }
  | { readonly type: 'cancel' };

export type FromWorker =
  | { readonly type: 'events'; readonly events: readonly MetricEvent[] }
  | { readonly type: 'record'; readonly run: RunSummary }
  | { readonly type: 'log'; readonly line: string }
  /** Sent last; the worker exits after it. `run` is the final record. */
  | { readonly type: 'finished'; readonly run: RunSummary };

export function isToWorker(x: unknown): x is ToWorker {
  if (typeof x !== 'object' || x === null) return false;
  const t = (x as { type?: unknown }).type;
  return (t === 'start' && typeof (x as { runDir?: unknown }).runDir === 'string') || t === 'cancel';
}

export function isFromWorker(x: unknown): x is FromWorker {
  if (typeof x !== 'object' || x === null) return false;
  const t = (x as { type?: unknown }).type;
  return t === 'events' || t === 'record' || t === 'log' || t === 'finished';
}
