// The Training panel's state: the run, and its metric events keyed by step (history and live
// notifications may overlap, so the same step arriving twice is kept once). Derives chart series.
import type { PanelBackendInfo, PanelMetricEvent, PanelRunInfo } from '../messages';

export type StepEvent = Extract<PanelMetricEvent, { type: 'step' }>;
export type EvalEvent = Extract<PanelMetricEvent, { type: 'eval' }>;

/** uPlot's aligned columns: one x array (steps) and y arrays with null where a series has no value. */
export type Columns = [number[], ...(number | null)[][]];

export class RunModel {
  run: PanelRunInfo | undefined;
  backend: PanelBackendInfo | null = null;
  private readonly steps = new Map<number, StepEvent>();
  private readonly evals = new Map<number, EvalEvent>();

  reset(run: PanelRunInfo, events: readonly PanelMetricEvent[], backend: PanelBackendInfo | null): void {
    this.run = run;
    this.backend = backend;
    this.steps.clear();
    this.evals.clear();
    this.add(events);
  }

  add(events: readonly PanelMetricEvent[]): void {
    for (const e of events) {
      if (e.type === 'step') this.steps.set(e.step, e);
      else this.evals.set(e.step, e);
    }
  }

  get stepCount(): number {
    return this.steps.size;
  }
  get evalCount(): number {
    return this.evals.size;
  }

  latestStep(): StepEvent | undefined {
    return latest(this.steps);
  }
  latestEval(): EvalEvent | undefined {
    return latest(this.evals);
  }

  /** The step the run has reached: the newest event, or the summary's when events are missing. */
  currentStep(): number {
    return Math.max(this.latestStep()?.step ?? 0, this.latestEval()?.step ?? 0, this.run?.lastStep ?? 0);
  }

  /**
   * [steps, train loss, smoothed train loss, validation loss]: train loss per step (one batch
   * each, so noisy), its moving average, and validation loss at eval steps.
   */
  lossColumns(): Columns {
    const x = [...new Set([...this.steps.keys(), ...this.evals.keys()])].sort((a, b) => a - b);
    const train = x.map((s) => this.steps.get(s)?.loss ?? null);
    return [x, train, smoothLoss(train), x.map((s) => this.evals.get(s)?.valLoss ?? null)];
  }

  /** [eval steps, validation accuracy, validation macro-F1]. */
  accuracyColumns(): Columns {
    const x = [...this.evals.keys()].sort((a, b) => a - b);
    return [x, x.map((s) => this.evals.get(s)?.valAccuracy ?? null), x.map((s) => this.evals.get(s)?.valMacroF1 ?? null)];
  }
}

/** Weight of the past in the train-loss moving average (about the last ten steps count). */
export const LOSS_SMOOTHING = 0.9;

/**
 * Exponential moving average with bias correction (as TensorBoard's smoothing): the first values
 * are not pulled towards 0. Nulls (steps without a train loss) stay null and do not count.
 */
export function smoothLoss(values: readonly (number | null)[], weight = LOSS_SMOOTHING): (number | null)[] {
  let average = 0;
  let seen = 0;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    seen++;
    average = weight * average + (1 - weight) * v;
    return average / (1 - weight ** seen);
  });
}

function latest<T>(events: ReadonlyMap<number, T>): T | undefined {
  let bestStep = -Infinity;
  let best: T | undefined;
  for (const [step, e] of events) {
    if (step > bestStep) {
      bestStep = step;
      best = e;
    }
  }
  return best;
}
