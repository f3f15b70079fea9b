/**
 * One cell of a sweep: a label budget × a strategy × an initialisation (pretrained model, the
 * same architecture from scratch, or the TF-IDF baseline), with its validation scores or why it
 * has none. The same shape is printed as a JSON line and stored in sweep.json.
 */
import type { Budget } from './sweepPlan';

export type CellInit = 'pretrained' | 'scratch' | 'baseline';

/** The `strategy` of baseline cells. */
export const BASELINE_STRATEGY = 'tfidf-logreg';

export interface SweepCell {
  readonly budget: Budget;
  /** Training rows actually used (a stratified subsample keeps at least one row per class). */
  readonly trainExamples: number;
  /** A fine-tuning strategy, or BASELINE_STRATEGY. */
  readonly strategy: string;
  readonly init: CellInit;
  /** Model folder or preset; '' for the baseline. */
  readonly model: string;
  readonly state: 'completed' | 'failed' | 'cancelled';
  readonly valAccuracy: number | null;
  readonly valMacroF1: number | null;
  /** Seconds from data to a trained model, evaluation excluded: a run's prepare + train time; the baseline's vectorising + fitting. */
  readonly trainSeconds: number | null;
  /** The run folder (fine-tuning cells that got one). */
  readonly runDir: string | null;
  /** Why a cell failed or was cancelled. */
  readonly message: string | null;
}

/** The cell for (budget, strategy, init), if it ran. Baseline cells match any strategy. */
export function findCell(cells: readonly SweepCell[], budget: Budget, strategy: string, init: CellInit): SweepCell | undefined {
  return cells.find((c) => c.budget === budget && c.init === init && (init === 'baseline' || c.strategy === strategy));
}

/** The accuracy of a completed cell, else null. */
export function scoreOf(cell: SweepCell | undefined): number | null {
  return cell !== undefined && cell.state === 'completed' ? cell.valAccuracy : null;
}
