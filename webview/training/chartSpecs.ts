// How each Training-panel chart draws the lines series.ts assembles: colour by metric for one run,
// colour by run (and dash by metric) when runs are compared; raw per-step lines faint behind
// their EMA; titles, hints, number formats and the x axis (step or elapsed time).
import type { TrainingViewSettings } from '../messages';
import type { ChartSpec, SeriesSpec } from './charts';
import { clockText, lossText, percent, rateText, scientific, tickText } from './format';
import { LOG_SCALE_CHARTS, METRICS, type ChartKind, type MetricKey, type SeriesMeta } from './series';
import type { ChartTheme } from './theme';

export interface ChartInfo {
  readonly title: string;
  /** A short line under the title: what the values are. */
  readonly hint: string;
  readonly height: number;
}

export const CHART_INFO: Readonly<Record<ChartKind, ChartInfo>> = {
  loss: { title: 'Loss', hint: 'cross-entropy: train per step (faint) with its moving average, validation at each evaluation', height: 220 },
  accuracy: { title: 'Validation accuracy and macro-F1', hint: 'measured on the validation split at each evaluation', height: 180 },
  learningRate: { title: 'Learning rate', hint: 'of the top parameter group, after warm-up and schedule', height: 150 },
  gradNorm: { title: 'Gradient norm', hint: 'global norm before clipping (faint) with its moving average', height: 150 },
  throughput: { title: 'Throughput', hint: 'tokens per second (padding included), with its moving average', height: 150 },
};

/** Tick spacings of the step axis: whole, round numbers of steps. */
const STEP_INCRS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1e3, 2e3, 2.5e3, 5e3, 1e4, 2e4, 2.5e4, 5e4, 1e5, 2e5, 2.5e5, 5e5, 1e6] as const;

/** Tick spacings of the time axis, seconds: whole seconds, minutes and hours only. */
const TIME_INCRS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400] as const;

/** Opacity of a raw per-step line under its moving average. */
const RAW_ALPHA = 0.3;
/** The second metric of a chart (val loss, macro-F1) when colours tell runs apart. */
const SECOND_DASH = [6, 4] as const;

const FORMATS: Readonly<Record<MetricKey, (v: number) => string>> = {
  trainLoss: lossText,
  valLoss: lossText,
  valAccuracy: percent,
  valMacroF1: (v) => v.toFixed(3),
  learningRate: scientific,
  gradNorm: (v) => v.toPrecision(3),
  tokensPerSec: rateText,
};

const SINGLE_RUN_COLOR: Readonly<Record<MetricKey, (t: ChartTheme) => string>> = {
  trainLoss: (t) => t.colors.train,
  valLoss: (t) => t.colors.val,
  valAccuracy: (t) => t.colors.accuracy,
  valMacroF1: (t) => t.colors.f1,
  learningRate: (t) => t.colors.learningRate,
  gradNorm: (t) => t.colors.gradNorm,
  tokensPerSec: (t) => t.colors.throughput,
};

/** The letter that names run `index` in legends when runs are compared: A, B, C, … */
export function runTag(index: number): string {
  return String.fromCharCode(65 + (index % 26));
}

export function runColor(theme: ChartTheme, index: number): string {
  return theme.runs[index % theme.runs.length] ?? theme.colors.train;
}

function seriesSpec(meta: SeriesMeta, compared: boolean): SeriesSpec {
  const metric = METRICS[meta.metric];
  const second = meta.metric === 'valLoss' || meta.metric === 'valMacroF1';
  const color = compared ? (t: ChartTheme) => runColor(t, meta.runIndex) : SINGLE_RUN_COLOR[meta.metric];
  const name = meta.role === 'smoothed' && !compared ? 'smoothed' : metric.label;
  return {
    key: `${meta.runId}:${meta.metric}:${meta.role}`,
    label: compared ? `${runTag(meta.runIndex)} ${name}` : name,
    color,
    points: metric.source === 'eval',
    format: FORMATS[meta.metric],
    ...(meta.role === 'raw' ? { alpha: RAW_ALPHA } : {}),
    ...(compared && second ? { dash: SECOND_DASH } : {}),
    // Compared runs list only their smoothed lines: the legend stays one entry per run and metric.
    ...(compared && meta.role === 'raw' ? { legend: false } : {}),
  };
}

/** The spec of chart `kind` for the assembled `series` of `runCount` runs under `settings`. */
export function chartSpec(kind: ChartKind, series: readonly SeriesMeta[], runCount: number, settings: Pick<TrainingViewSettings, 'logY' | 'xAxis'>): ChartSpec {
  const compared = runCount > 1;
  const logY = settings.logY && LOG_SCALE_CHARTS.has(kind);
  const time = settings.xAxis === 'time';
  return {
    series: series.map((m) => seriesSpec(m, compared)),
    ...(kind === 'accuracy' ? { yRange: [0, 1] as const } : {}),
    yFormat: kind === 'accuracy' ? (v) => `${Math.round(v * 100)}%` : tickText,
    logY,
    xLabel: time ? 'time' : 'step',
    xFormat: time ? clockText : (v) => String(Math.round(v)),
    xIncrs: time ? TIME_INCRS : STEP_INCRS,
    height: CHART_INFO[kind].height,
  };
}

/** A key that changes whenever chartSpec's result would: the chart is rebuilt only then. */
export function chartSpecKey(kind: ChartKind, series: readonly SeriesMeta[], runCount: number, settings: Pick<TrainingViewSettings, 'logY' | 'xAxis'>): string {
  return JSON.stringify([kind, runCount, settings.logY, settings.xAxis, series.map((s) => `${s.runIndex}:${s.runId}:${s.metric}:${s.role}`)]);
}
