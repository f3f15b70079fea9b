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

  /** The evaluation at `step`, else the latest (a chosen step that is not recorded falls back). */
  at(step: number | undefined): PanelForgettingEvent | undefined {
    return (step === undefined ? undefined : this.byStep.get(step)) ?? this.latest();
  }

  /** True when some evaluation measured the probe loss (false: no LM head or no probe text). */
  hasProbeLoss(): boolean {
    return this.events.some((e) => e.probeLoss !== null);
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

  /** Attention drift of the evaluation at `step` (default: the latest) as rows = layers, columns = heads. */
  attentionDriftMatrix(step?: number): { readonly layers: string[]; readonly heads: number; readonly values: Float32Array } {
    const drift = this.at(step)?.attentionDrift ?? [];
    const layers = [...new Set(drift.map((d) => d.layer))];
    const heads = drift.reduce((max, d) => Math.max(max, d.head + 1), 0);
    const values = new Float32Array(layers.length * heads);
    for (const d of drift) values[layers.indexOf(d.layer) * heads + d.head] = d.js;
    return { layers, heads, values };
  }
}

/** The task head's weight-drift row: often freshly initialised, so its relative drift dwarfs the layers'. */
export const HEAD_GROUP = 'head';

/**
 * The top of the weight-drift colour scale: the largest drift of the model's own layers, so the
 * task head (new weights that move far) does not wash them out; rows above it are named in
 * `offScale` with their largest value (drawn at full colour). With only the head, its maximum.
 */
export function driftColorLimit(layers: readonly string[], values: Float32Array): { readonly limit: number; readonly offScale: readonly { readonly layer: string; readonly max: number }[] } {
  const cols = layers.length === 0 ? 0 : values.length / layers.length;
  const rowMax = layers.map((_, r) => values.subarray(r * cols, (r + 1) * cols).reduce((m, v) => Math.max(m, v), 0));
  const own = rowMax.filter((_, r) => layers[r] !== HEAD_GROUP);
  const limit = own.length > 0 ? Math.max(...own) : Math.max(0, ...rowMax);
  const offScale = layers.flatMap((layer, r) => (rowMax[r]! > limit ? [{ layer, max: rowMax[r]! }] : []));
  return { limit, offScale };
}
