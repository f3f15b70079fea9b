// The Forgetting panel's data: forgetting events (one per evaluation, deduplicated by step) turned
// into the probe-loss columns, the layer × evaluation weight-drift matrix and the latest CKA and
// attention-drift values. Pure (no DOM).
import type { PanelForgettingEvent } from '../messages';

export type LossColumns = [number[], (number | null)[], (number | null)[]];

export class ForgettingModel {
  private readonly byStep = new Map<number, PanelForgettingEvent>();

  reset(events: readonly PanelForgettingEvent[]): void {
    this.byStep.clear();
    this.add(events);
  }

  add(events: readonly PanelForgettingEvent[]): void {
    for (const e of events) this.byStep.set(e.step, e);
  }

  /** Evaluations in step order. */
  get events(): PanelForgettingEvent[] {
    return [...this.byStep.values()].sort((a, b) => a.step - b.step);
  }

  latest(): PanelForgettingEvent | undefined {
    const all = this.events;
    return all[all.length - 1];
  }

  /**
   * x = steps; probe loss; the base model's probe loss (a flat line at its first known value).
   * Step 0 is the base model itself, so both series start there at the base loss.
   */
  probeLossColumns(): LossColumns {
    const events = this.events.filter((e) => e.step > 0);
    const base = this.events.find((e) => e.baseProbeLoss !== null)?.baseProbeLoss ?? null;
    return [[0, ...events.map((e) => e.step)], [base, ...events.map((e) => e.probeLoss)], [base, ...events.map(() => base)]];
  }

  /**
   * Weight drift as rows = layer groups (in the order of the first evaluation that names them,
   * bottom to top), columns = evaluations; a layer missing at an evaluation reads 0.
   */
  driftMatrix(): { readonly layers: string[]; readonly steps: number[]; readonly values: Float32Array } {
    const events = this.events;
    const layers: string[] = [];
    for (const e of events) for (const d of e.weightDrift) if (!layers.includes(d.layer)) layers.push(d.layer);
    const values = new Float32Array(layers.length * events.length);
    events.forEach((e, col) => {
      for (const d of e.weightDrift) values[layers.indexOf(d.layer) * events.length + col] = d.drift;
    });
    return { layers, steps: events.map((e) => e.step), values };
  }

  /** Attention drift of the latest evaluation as rows = layers, columns = heads. */
  attentionDriftMatrix(): { readonly layers: string[]; readonly heads: number; readonly values: Float32Array } {
    const drift = this.latest()?.attentionDrift ?? [];
    const layers = [...new Set(drift.map((d) => d.layer))];
    const heads = drift.reduce((max, d) => Math.max(max, d.head + 1), 0);
    const values = new Float32Array(layers.length * heads);
    for (const d of drift) values[layers.indexOf(d.layer) * heads + d.head] = d.js;
    return { layers, heads, values };
  }
}
