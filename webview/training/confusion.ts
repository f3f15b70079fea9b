// The confusion matrix of an evaluation as the Training panel shows it: which evaluations have
// one, the chosen (or latest) one, its class names and row-normalised shares. Pure, for unit tests.
import type { EvalEvent } from './runModel';

/** Above this many classes the table would not fit a panel: the matrix stays in metrics.jsonl. */
export const MAX_CONFUSION_CLASSES = 30;

export interface ConfusionTable {
  readonly step: number;
  readonly epoch: number;
  /** Class names of the rows (true) and columns (predicted). */
  readonly labels: readonly string[];
  readonly counts: readonly (readonly number[])[];
  /** Examples of each true class. */
  readonly rowTotals: readonly number[];
  /** counts / row total (0 for an empty row): the share of class t predicted as p. */
  readonly shares: readonly (readonly number[])[];
  readonly total: number;
  readonly correct: number;
}

/** The steps of the evaluations that carry a confusion matrix, oldest first. */
export function confusionSteps(evals: readonly EvalEvent[]): number[] {
  return evals.filter((e) => Array.isArray(e.confusion) && e.confusion.length > 0).map((e) => e.step).sort((a, b) => a - b);
}

/**
 * The table of the evaluation at `step`, or of the latest evaluation with a matrix when `step`
 * is null or has none. Rows missing from a ragged matrix count as zeros.
 */
export function confusionTable(evals: readonly EvalEvent[], step: number | null): ConfusionTable | undefined {
  const withMatrix = evals.filter((e) => Array.isArray(e.confusion) && e.confusion.length > 0);
  const chosen = (step !== null ? withMatrix.find((e) => e.step === step) : undefined) ??
    withMatrix.reduce<EvalEvent | undefined>((best, e) => (best === undefined || e.step > best.step ? e : best), undefined);
  const matrix = chosen?.confusion;
  if (chosen === undefined || matrix === undefined) return undefined;
  const n = matrix.length;
  const given = chosen.confusionLabels;
  const labels = Array.from({ length: n }, (_, i) => (given !== undefined && given.length === n ? given[i] ?? `class ${i}` : `class ${i}`));
  const counts = Array.from({ length: n }, (_, t) => Array.from({ length: n }, (_, p) => matrix[t]?.[p] ?? 0));
  const rowTotals = counts.map((row) => row.reduce((a, b) => a + b, 0));
  const shares = counts.map((row, t) => row.map((c) => ((rowTotals[t] ?? 0) > 0 ? c / (rowTotals[t] ?? 1) : 0)));
  return {
    step: chosen.step,
    epoch: chosen.epoch,
    labels,
    counts,
    rowTotals,
    shares,
    total: rowTotals.reduce((a, b) => a + b, 0),
    correct: counts.reduce((a, row, i) => a + (row[i] ?? 0), 0),
  };
}

/** What a screen reader says for a cell: "true positive, predicted negative: 3 of 20 (15.0%)". */
export function cellDescription(table: ConfusionTable, t: number, p: number): string {
  const count = table.counts[t]?.[p] ?? 0;
  const share = table.shares[t]?.[p] ?? 0;
  return `true ${table.labels[t] ?? ''}, predicted ${table.labels[p] ?? ''}: ${count} of ${table.rowTotals[t] ?? 0} (${(share * 100).toFixed(1)}%)`;
}
