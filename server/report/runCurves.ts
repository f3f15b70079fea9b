/**
 * A run's metric events (metrics.jsonl) as the series its report draws: one point per step for
 * training curves, one per evaluation for validation curves, the last confusion matrix and the
 * forgetting events. A step recorded twice (a resumed run) keeps its last value.
 */
import type { ForgettingEvent, MetricEvent } from '../protocol';
import type { Point } from './chartScale';

type StepEvent = Extract<MetricEvent, { type: 'step' }>;
type EvalEvent = Extract<MetricEvent, { type: 'eval' }>;

export interface RunCurves {
  readonly trainLoss: readonly Point[];
  readonly learningRate: readonly Point[];
  readonly gradNorm: readonly Point[];
  readonly valLoss: readonly Point[];
  readonly valAccuracy: readonly Point[];
  readonly valMacroF1: readonly Point[];
  /** The confusion matrix of the last evaluation that has one. */
  readonly confusion: { readonly step: number; readonly matrix: readonly (readonly number[])[] } | null;
  /** Forgetting events in step order. */
  readonly forgetting: readonly ForgettingEvent[];
}

/** The last event of each step, in step order. */
function byStep<E extends MetricEvent>(events: readonly MetricEvent[], type: E['type']): E[] {
  const last = new Map<number, E>();
  for (const e of events) if (e.type === type) last.set(e.step, e as E);
  return [...last.values()].sort((a, b) => a.step - b.step);
}

const series = <E extends MetricEvent>(events: readonly E[], value: (e: E) => number | undefined): Point[] =>
  events.flatMap((e) => {
    const v = value(e);
    return v === undefined || !Number.isFinite(v) ? [] : [[e.step, v] as const];
  });

export function runCurves(events: readonly MetricEvent[]): RunCurves {
  const steps = byStep<StepEvent>(events, 'step');
  const evals = byStep<EvalEvent>(events, 'eval');
  const withConfusion = evals.filter((e) => Array.isArray(e.confusion)).at(-1);
  return {
    trainLoss: series(steps, (e) => e.loss),
    learningRate: series(steps, (e) => e.learningRate),
    gradNorm: series(steps, (e) => e.gradNorm),
    valLoss: series(evals, (e) => e.valLoss),
    valAccuracy: series(evals, (e) => e.valAccuracy),
    valMacroF1: series(evals, (e) => e.valMacroF1),
    confusion: withConfusion?.confusion !== undefined ? { step: withConfusion.step, matrix: withConfusion.confusion } : null,
    forgetting: byStep<ForgettingEvent>(events, 'forgetting'),
  };
}
