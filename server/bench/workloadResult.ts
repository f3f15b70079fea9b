/** The result of one workload run in-process, before the CLI adds backend and peak RSS. */
import type { BenchShape, WorkloadKind } from './benchSpec';

export type HeadlineUnit = 'tokens/s' | 'ms' | 's' | 'GFLOP/s';

export interface WorkloadResult {
  readonly workload: WorkloadKind;
  readonly shape: BenchShape;
  /** The figure the table shows, in `unit` (higher is better for rates, lower for times). */
  readonly value: number;
  readonly unit: HeadlineUnit;
  /** Each timed repetition, ms. */
  readonly timesMs: readonly number[];
  readonly medianMs: number;
  readonly tokensPerSec: number | null;
  /** Matmul FLOPs of one timed repetition (see flops.ts), null where none are counted. */
  readonly matmulFlops: number | null;
  /** matmulFlops / median time. */
  readonly gflops: number | null;
  readonly timeToFirstTokenMs: number | null;
  /** Live tensors right before the first repetition and right after the last (model alive). */
  readonly tensorsBefore: number;
  readonly tensorsAfter: number;
  /** Workload-specific figures (e.g. per-size matmul GFLOP/s, save seconds). */
  readonly details: Readonly<Record<string, number>>;
}

/** Fills the derived fields of a timed workload. */
export function timedResult(
  base: Pick<WorkloadResult, 'workload' | 'shape' | 'timesMs' | 'tensorsBefore' | 'tensorsAfter'>,
  o: { tokensPerRun: number | null; matmulFlops: number | null; unit: HeadlineUnit; medianMs: number; timeToFirstTokenMs?: number; details?: Record<string, number> },
): WorkloadResult {
  const seconds = o.medianMs / 1000;
  const tokensPerSec = o.tokensPerRun === null ? null : o.tokensPerRun / seconds;
  const gflops = o.matmulFlops === null ? null : o.matmulFlops / seconds / 1e9;
  const value = o.unit === 'tokens/s' ? (tokensPerSec ?? NaN) : o.unit === 'ms' ? o.medianMs : o.unit === 's' ? seconds : (gflops ?? NaN);
  return {
    ...base, value, unit: o.unit, medianMs: o.medianMs, tokensPerSec, matmulFlops: o.matmulFlops, gflops,
    timeToFirstTokenMs: o.timeToFirstTokenMs ?? null, details: o.details ?? {},
  };
}
