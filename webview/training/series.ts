// The Training panel's chart data as pure functions: which metrics each chart draws, their points
// per run against step or elapsed time, the EMA smoothing of noisy per-step series, and the
// alignment of every run's lines on one x array (uPlot's data layout).
import type { TrainingViewSettings, TrainingXAxis } from '../messages';
import type { EvalEvent, StepEvent } from './runModel';

/** uPlot's aligned columns: one x array and y arrays with null where a series has no value. */
export type Columns = [number[], ...(number | null)[][]];

export type ChartKind = 'loss' | 'accuracy' | 'learningRate' | 'gradNorm' | 'throughput';
export const CHART_KINDS: readonly ChartKind[] = ['loss', 'accuracy', 'learningRate', 'gradNorm', 'throughput'];

export type MetricKey = 'trainLoss' | 'valLoss' | 'valAccuracy' | 'valMacroF1' | 'learningRate' | 'gradNorm' | 'tokensPerSec';

type MetricDef =
  | { readonly source: 'step'; readonly label: string; readonly read: (e: StepEvent) => number | undefined; readonly smooth: boolean }
  | { readonly source: 'eval'; readonly label: string; readonly read: (e: EvalEvent) => number | undefined };

export const METRICS: Readonly<Record<MetricKey, MetricDef>> = {
  // Each step's loss, gradient norm and throughput are one batch's: noisy, so drawn with an EMA.
  trainLoss: { source: 'step', label: 'train loss', read: (e) => e.loss, smooth: true },
  valLoss: { source: 'eval', label: 'val loss', read: (e) => e.valLoss },
  valAccuracy: { source: 'eval', label: 'accuracy', read: (e) => e.valAccuracy },
  valMacroF1: { source: 'eval', label: 'macro-F1', read: (e) => e.valMacroF1 },
  learningRate: { source: 'step', label: 'learning rate', read: (e) => e.learningRate, smooth: false },
  gradNorm: { source: 'step', label: 'grad norm', read: (e) => e.gradNorm, smooth: true },
  tokensPerSec: { source: 'step', label: 'tokens/s', read: (e) => e.tokensPerSec, smooth: true },
};

export const CHART_METRICS: Readonly<Record<ChartKind, readonly MetricKey[]>> = {
  loss: ['trainLoss', 'valLoss'],
  accuracy: ['valAccuracy', 'valMacroF1'],
  learningRate: ['learningRate'],
  gradNorm: ['gradNorm'],
  throughput: ['tokensPerSec'],
};

/** Charts whose values are positive magnitudes, drawn on a log scale when log-y is on (accuracy stays linear). */
export const LOG_SCALE_CHARTS: ReadonlySet<ChartKind> = new Set<ChartKind>(['loss', 'learningRate', 'gradNorm', 'throughput']);

/** 'raw' and 'smoothed' come in pairs for smoothed metrics; every other metric is one 'value' line. */
export type SeriesRole = 'raw' | 'smoothed' | 'value';

export interface SeriesMeta {
  /** Position of the run in the legend (0 = the panel's own run). */
  readonly runIndex: number;
  readonly runId: string;
  readonly metric: MetricKey;
  readonly role: SeriesRole;
}

export interface AssembledChart {
  readonly columns: Columns;
  readonly series: readonly SeriesMeta[];
}

/** A run's events, step-ordered (RunModel.stepEvents / evalEvents). */
export interface RunSeriesSource {
  readonly runId: string;
  readonly steps: readonly StepEvent[];
  readonly evals: readonly EvalEvent[];
}

export type SeriesSettings = Pick<TrainingViewSettings, 'smoothing' | 'logY' | 'xAxis'>;

/** An event's x: its optimizer step, or the seconds of training before it. */
export function xOf(e: { readonly step: number; readonly elapsedMs: number }, axis: TrainingXAxis): number {
  return axis === 'step' ? e.step : e.elapsedMs / 1000;
}

/**
 * Exponential moving average with bias correction (as TensorBoard's smoothing), so the first
 * values are not pulled towards 0. `weight` is the weight of the past: 0 returns the values.
 * Nulls stay null and do not count.
 */
export function ema(values: readonly (number | null)[], weight: number): (number | null)[] {
  const w = Math.min(0.999, Math.max(0, weight));
  let average = 0;
  let seen = 0;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    seen++;
    average = w * average + (1 - w) * v;
    return average / (1 - w ** seen);
  });
}

/** The finite values of `metric` in `run` as parallel x / y arrays, in event order. */
export function metricPoints(run: RunSeriesSource, metric: MetricKey, axis: TrainingXAxis): { xs: number[]; ys: number[] } {
  const def = METRICS[metric];
  const xs: number[] = [];
  const ys: number[] = [];
  const push = (x: number, v: number | undefined): void => {
    if (v === undefined || !Number.isFinite(v)) return;
    xs.push(x);
    ys.push(v);
  };
  if (def.source === 'step') for (const e of run.steps) push(xOf(e, axis), def.read(e));
  else for (const e of run.evals) push(xOf(e, axis), def.read(e));
  return { xs, ys };
}

interface Line {
  readonly meta: SeriesMeta;
  readonly xs: readonly number[];
  readonly ys: readonly (number | null)[];
}

/**
 * Every line of chart `kind` for `runs` (legend order), aligned on the union of their x values.
 * Smoothed metrics give a raw line and its EMA; with log-y, values ≤ 0 become gaps.
 */
export function assembleChart(kind: ChartKind, runs: readonly RunSeriesSource[], settings: SeriesSettings): AssembledChart {
  const lines: Line[] = [];
  runs.forEach((run, runIndex) => {
    for (const metric of CHART_METRICS[kind]) {
      const { xs, ys } = metricPoints(run, metric, settings.xAxis);
      const def = METRICS[metric];
      const meta = (role: SeriesRole): SeriesMeta => ({ runIndex, runId: run.runId, metric, role });
      if (def.source === 'step' && def.smooth) {
        lines.push({ meta: meta('raw'), xs, ys }, { meta: meta('smoothed'), xs, ys: ema(ys, settings.smoothing) });
      } else {
        lines.push({ meta: meta('value'), xs, ys });
      }
    }
  });
  const positiveOnly = settings.logY && LOG_SCALE_CHARTS.has(kind);
  return align(lines, positiveOnly);
}

function align(lines: readonly Line[], positiveOnly: boolean): AssembledChart {
  const x = [...new Set(lines.flatMap((l) => l.xs))].sort((a, b) => a - b);
  const index = new Map(x.map((v, i) => [v, i]));
  const columns: Columns = [x];
  for (const line of lines) {
    const column = new Array<number | null>(x.length).fill(null);
    line.xs.forEach((xv, i) => {
      const y = line.ys[i] ?? null;
      column[index.get(xv) ?? 0] = y === null || (positiveOnly && y <= 0) ? null : y;
    });
    columns.push(column);
  }
  return { columns, series: lines.map((l) => l.meta) };
}

/** How many non-null values the columns hold (the charts report it for tests and screen readers). */
export function countPoints(columns: Columns): number {
  let n = 0;
  for (const column of columns.slice(1) as (number | null)[][]) for (const v of column) if (v !== null) n++;
  return n;
}
