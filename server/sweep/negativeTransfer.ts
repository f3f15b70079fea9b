/**
 * Negative transfer in a sweep: a budget and strategy where starting from the pretrained model
 * gives lower validation accuracy than the same architecture trained from scratch, or than the
 * TF-IDF baseline, by more than a tolerance (differences that small are seed noise on small
 * validation sets).
 */
import { budgetLabel, type Budget } from './sweepPlan';
import { findCell, scoreOf, type SweepCell } from './sweepCell';

/** 0.5 accuracy points: smaller gaps are not reported. */
export const NEGATIVE_TRANSFER_TOLERANCE = 0.005;

export interface NegativeTransfer {
  readonly budget: Budget;
  readonly strategy: string;
  /** What the pretrained model lost to. */
  readonly against: 'scratch' | 'baseline';
  /** Validation accuracies (0…1). */
  readonly pretrained: number;
  readonly other: number;
  /** other − pretrained, in accuracy points (always > tolerance × 100). */
  readonly gapPoints: number;
}

/** Every (budget, strategy, comparison) where the pretrained cell loses by more than `tolerance`. */
export function findNegativeTransfer(cells: readonly SweepCell[], tolerance = NEGATIVE_TRANSFER_TOLERANCE): NegativeTransfer[] {
  const found: NegativeTransfer[] = [];
  for (const p of cells.filter((c) => c.init === 'pretrained')) {
    const pretrained = scoreOf(p);
    if (pretrained === null) continue;
    for (const against of ['scratch', 'baseline'] as const) {
      const other = scoreOf(findCell(cells, p.budget, p.strategy, against));
      if (other !== null && other - pretrained > tolerance) {
        found.push({ budget: p.budget, strategy: p.strategy, against, pretrained, other, gapPoints: +((other - pretrained) * 100).toFixed(2) });
      }
    }
  }
  return found;
}

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

/** "negative transfer: budget 100, features: pretrained 71.2% < scratch 75.0% (−3.8 points)" */
export function negativeTransferLine(n: NegativeTransfer): string {
  return `negative transfer: budget ${budgetLabel(n.budget)}, ${n.strategy}: pretrained ${pct(n.pretrained)} < ${n.against} ${pct(n.other)} (−${n.gapPoints.toFixed(1)} points)`;
}
