// Column statistics of a Table (kind, distinct values, mean length) and detection of the
// free-text column and the label column that a classifier should train on.
import type { ColumnSummary } from '../protocol';
import { UserError } from '../errors';
import type { Table } from './readTable';

/** Column names preferred for the label when they qualify, in order. */
const LABEL_NAMES = ['label', 'labels', 'class', 'category', 'target', 'sentiment', 'y'];

/** Most distinct values a label column may have for a table of `rows` rows. */
export function maxLabelDistinct(rows: number): number {
  return Math.max(20, Math.floor(0.05 * rows));
}

/** Whether a column with `distinct` values qualifies as a label column of a `rows`-row table. */
export function isLowCardinality(distinct: number, rows: number): boolean {
  return distinct >= 2 && distinct <= maxLabelDistinct(rows);
}

/** Non-empty cells (after trimming) of a column, by index. */
function nonEmptyCells(table: Table, index: number): string[] {
  const cells: string[] = [];
  for (const row of table.rows) {
    const cell = (row[index] ?? '').trim();
    if (cell !== '') cells.push(cell);
  }
  return cells;
}

export function summarizeColumns(table: Table): ColumnSummary[] {
  return table.columns.map((name, index) => {
    const cells = nonEmptyCells(table, index);
    const distinct = new Set(cells).size;
    const meanLength = cells.length === 0 ? 0 : cells.reduce((n, c) => n + c.length, 0) / cells.length;
    const numeric = cells.length > 0 && cells.every((c) => Number.isFinite(Number(c)));
    const multiWord = cells.filter((c) => /\S\s+\S/.test(c)).length > cells.length / 2;
    const textLike = meanLength >= 15 || multiWord;
    let kind: ColumnSummary['kind'];
    if (numeric && distinct > 20) kind = 'numeric';
    // A column of sentences that never repeat is text, even when the table is too small
    // for its distinct count to exceed the label limit.
    else if (isLowCardinality(distinct, table.rows.length) && !(textLike && distinct === cells.length)) kind = 'label';
    else if (textLike) kind = 'text';
    else kind = 'other';
    return { name, kind, distinct, meanLength };
  });
}

function columnList(table: Table): string {
  return table.columns.join(', ');
}

/** ' Column "x" is empty in every row.' for each such column ("" when none), to explain a refusal. */
function emptyColumnsNote(summaries: readonly ColumnSummary[]): string {
  const empty = summaries.filter((s) => s.distinct === 0).map((s) => `"${s.name}"`);
  if (empty.length === 0) return '';
  return empty.length === 1 ? ` Column ${empty[0] ?? ''} is empty in every row.` : ` Columns ${empty.join(', ')} are empty in every row.`;
}

/** The free-text column: among 'text' columns, the longest mean length (then most distinct). */
export function detectTextColumn(table: Table, summaries: readonly ColumnSummary[]): string {
  const candidates = summaries
    .filter((s) => s.kind === 'text')
    .sort((a, b) => b.meanLength - a.meanLength || b.distinct - a.distinct);
  const best = candidates[0];
  if (best === undefined) {
    throw new UserError(
      `${table.path} has no column that looks like free text. Its columns are: ${columnList(table)}.${emptyColumnsNote(summaries)} ` +
        'Name the text column with --text-col.',
    );
  }
  return best.name;
}

/**
 * The label column: a low-cardinality column other than the text column. A column named like
 * a label ("label", "class", "sentiment", ...) wins when it qualifies; otherwise the 'label'
 * column whose name contains such a word, else the rightmost 'label' column.
 */
export function detectLabelColumn(
  table: Table,
  summaries: readonly ColumnSummary[],
  textColumn: string,
): string {
  const rows = table.rows.length;
  const others = summaries.filter((s) => s.name !== textColumn);
  for (const preferred of LABEL_NAMES) {
    // A column named "label" with a single value is still the label column: the loader then
    // says "a single label", which tells the user more than "no label column".
    const named = others.find((s) => s.name.toLowerCase() === preferred && s.distinct >= 1 && s.distinct <= maxLabelDistinct(rows));
    if (named !== undefined) return named.name;
  }
  const labels = others.filter((s) => s.kind === 'label');
  const partial = labels.find((s) => LABEL_NAMES.slice(0, -1).some((w) => s.name.toLowerCase().includes(w)));
  const chosen = partial ?? labels.at(-1);
  if (chosen === undefined) {
    // A column named like labels that has too many values is why detection failed: say so.
    const tooMany = others
      .filter((s) => LABEL_NAMES.includes(s.name.toLowerCase()) && s.distinct > maxLabelDistinct(rows))
      .map((s) => ` Column "${s.name}" has ${s.distinct.toLocaleString('en-US')} distinct values, too many for labels.`)
      .join('');
    throw new UserError(
      `${table.path} has no column that looks like labels (2 to ${maxLabelDistinct(rows)} distinct values). ` +
        `Its columns are: ${columnList(table)}.${tooMany}${emptyColumnsNote(others)} Name the label column with --label-col.`,
    );
  }
  return chosen.name;
}
