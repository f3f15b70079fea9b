/**
 * Detects a diverging run: a loss or gradient norm that is not a finite number (NaN, ±Infinity),
 * or a training loss that explodes — far above where the run started for several steps in a row.
 * Such a run only gets worse; it stops with the step, what happened and the fix, and the
 * checkpoints written before it (best/ included) are kept.
 */

/** The loss counts as exploding above max(FACTOR × reference, reference + MARGIN)… */
export const EXPLODING_LOSS_FACTOR = 10;
/** …(nats: a binary classifier that far above ln 2 predicts the true class with p < e⁻¹⁰)… */
export const EXPLODING_LOSS_MARGIN = 10;
/** …for this many consecutive steps (one bad batch is not a divergence). */
export const EXPLODING_LOSS_STEPS = 3;

/** Why a run diverged, in words that fit after "the training loss …" / "the …". */
export interface Divergence {
  readonly step: number;
  readonly reason: string;
}

/**
 * Watches the losses of one training process. The reference is the first step's loss this
 * process saw (a resumed run starts a new reference at its first step).
 */
export class DivergenceGuard {
  private reference: { readonly step: number; readonly loss: number } | null = null;
  private above = 0;

  /** The loss above which a step counts towards an explosion (Infinity before the first step). */
  get threshold(): number {
    if (this.reference === null) return Infinity;
    return Math.max(EXPLODING_LOSS_FACTOR * this.reference.loss, this.reference.loss + EXPLODING_LOSS_MARGIN);
  }

  /** Checks one optimizer step's mean loss and (pre-clipping) gradient norm. */
  afterStep(step: number, loss: number, gradNorm: number): Divergence | null {
    if (!Number.isFinite(loss)) return { step, reason: `the training loss became ${loss}` };
    if (!Number.isFinite(gradNorm)) return { step, reason: `the gradient norm became ${gradNorm} (loss ${fmt(loss)})` };
    if (this.reference === null) {
      this.reference = { step, loss };
      return null;
    }
    const threshold = this.threshold;
    this.above = loss > threshold ? this.above + 1 : 0;
    if (this.above < EXPLODING_LOSS_STEPS) return null;
    return {
      step,
      reason: `the training loss exploded from ${fmt(this.reference.loss)} at step ${this.reference.step} to ${fmt(loss)} and stayed above ${fmt(threshold)} for ${this.above} steps`,
    };
  }

  /** Checks a validation loss (a model that evaluates to NaN must not become a checkpoint). */
  afterEval(step: number, valLoss: number): Divergence | null {
    return Number.isFinite(valLoss) ? null : { step, reason: `the validation loss became ${valLoss}` };
  }
}

function fmt(x: number): string {
  return Math.abs(x) >= 1e4 ? x.toExponential(2) : x.toPrecision(3);
}
