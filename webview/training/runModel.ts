// One run's state in the Training panel: its summary and its metric events keyed by step (history
// and live notifications may overlap, so the same step arriving twice is kept once).
import type { PanelMetricEvent, PanelRunInfo } from '../messages';

export type StepEvent = Extract<PanelMetricEvent, { type: 'step' }>;
export type EvalEvent = Extract<PanelMetricEvent, { type: 'eval' }>;

export class RunModel {
  private readonly steps = new Map<number, StepEvent>();
  private readonly evals = new Map<number, EvalEvent>();

  constructor(public run: PanelRunInfo, events: readonly PanelMetricEvent[] = []) {
    this.add(events);
  }

  get runId(): string {
    return this.run.runId;
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

  /** Step events in step order. */
  stepEvents(): StepEvent[] {
    return [...this.steps.values()].sort((a, b) => a.step - b.step);
  }

  /** Evaluation events in step order. */
  evalEvents(): EvalEvent[] {
    return [...this.evals.values()].sort((a, b) => a.step - b.step);
  }

  latestStep(): StepEvent | undefined {
    return latest(this.steps);
  }
  latestEval(): EvalEvent | undefined {
    return latest(this.evals);
  }

  /** The step the run has reached: the newest event, or the summary's when events are missing. */
  currentStep(): number {
    return Math.max(this.latestStep()?.step ?? 0, this.latestEval()?.step ?? 0, this.run.lastStep);
  }

  /** Milliseconds of training recorded so far (the newest event's). */
  elapsedMs(): number {
    return Math.max(this.latestStep()?.elapsedMs ?? 0, this.latestEval()?.elapsedMs ?? 0);
  }
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
