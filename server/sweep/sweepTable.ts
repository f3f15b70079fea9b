/**
 * The sweep as a plain-text table: one row per budget, one column for the baseline and one per
 * strategy × {pretrained, scratch}; cells are validation accuracy, "failed" or "cancelled".
 * Failure messages follow the table, then the negative-transfer warnings.
 */
import { negativeTransferLine, type NegativeTransfer } from './negativeTransfer';
import { BASELINE_STRATEGY, findCell, type CellInit, type SweepCell } from './sweepCell';
import { budgetLabel, type Budget } from './sweepPlan';

export interface SweepColumn {
  readonly title: string;
  readonly strategy: string;
  readonly init: CellInit;
}

/** Baseline first, then each strategy pretrained and from scratch. */
export function sweepColumns(strategies: readonly string[]): SweepColumn[] {
  return [
    { title: 'tf-idf', strategy: BASELINE_STRATEGY, init: 'baseline' },
    ...strategies.flatMap((s) => [
      { title: `${s} pretrained`, strategy: s, init: 'pretrained' as const },
      { title: `${s} scratch`, strategy: s, init: 'scratch' as const },
    ]),
  ];
}

/** Budgets in the order their cells ran. */
export function sweepBudgets(cells: readonly SweepCell[]): Budget[] {
  return [...new Set(cells.map((c) => c.budget))];
}

/** "91.2%", "failed", "cancelled" or "–" (not run). */
export function cellText(cell: SweepCell | undefined): string {
  if (cell === undefined) return '–';
  if (cell.state !== 'completed' || cell.valAccuracy === null) return cell.state;
  return `${(cell.valAccuracy * 100).toFixed(1)}%`;
}

function pad(rows: readonly (readonly string[])[]): string[] {
  const widths = (rows[0] ?? []).map((_, j) => Math.max(...rows.map((r) => (r[j] ?? '').length)));
  return rows.map((r) => r.map((v, j) => (j === 0 ? v.padEnd(widths[j] ?? 0) : v.padStart(widths[j] ?? 0))).join('  ').trimEnd());
}

/** The table, failure lines and warning lines, ready to print. */
export function sweepTableLines(cells: readonly SweepCell[], strategies: readonly string[], negative: readonly NegativeTransfer[]): string[] {
  const columns = sweepColumns(strategies);
  const head = ['budget', 'examples', ...columns.map((c) => c.title)];
  const body = sweepBudgets(cells).map((b) => {
    const examples = cells.find((c) => c.budget === b && c.state === 'completed')?.trainExamples;
    return [budgetLabel(b), examples !== undefined ? String(examples) : '?', ...columns.map((c) => cellText(findCell(cells, b, c.strategy, c.init)))];
  });
  const failures = cells.filter((c) => c.state !== 'completed')
    .map((c) => `${c.state}: budget ${budgetLabel(c.budget)} · ${c.strategy} · ${c.init}: ${c.message ?? 'no message'}`);
  return [...pad([head, ...body]), ...(failures.length > 0 ? ['', ...failures] : []), ...(negative.length > 0 ? ['', ...negative.map(negativeTransferLine)] : [])];
}
