// A dataset as (text, label id) examples for classification fine-tuning, and the summary the
// dataset wizard shows (columns, detected text and label columns, label distribution).
import type { DatasetSummary, LabelCount } from '../protocol';
import { UserError } from '../errors';
import { readTable, type SampleOptions, type Table } from './readTable';
import { detectLabelColumn, detectTextColumn, summarizeColumns } from './columns';

export interface LabelledExample {
  readonly text: string;
  /** Index into `labelNames`. */
  readonly label: number;
}

export interface LabelledDataset {
  readonly path: string;
  readonly textColumn: string;
  readonly labelColumn: string;
  /** Sorted (numerically when every label is a number) so label ids are stable. */
  readonly labelNames: readonly string[];
  readonly examples: readonly LabelledExample[];
  /** Rows skipped because their text or label cell was empty. */
  readonly skippedRows?: number;
}

/** A label column with more distinct values than this is refused as free text. */
export const MAX_LABELS = 1000;

/** The index of a column the user named: exact, else a unique case-insensitive match. */
export function columnIndex(table: Table, name: string): number {
  const exact = table.columns.indexOf(name);
  if (exact >= 0) return exact;
  const folded = table.columns.flatMap((c, i) => (c.toLowerCase() === name.toLowerCase() ? [i] : []));
  const only = folded[0];
  if (folded.length === 1 && only !== undefined) return only;
  throw new UserError(`${table.path} has no column "${name}". Its columns are: ${table.columns.join(', ')}.`);
}

/** Sorts label names: numerically when all are numbers, else by code point (locale-independent). */
export function sortLabelNames(names: Iterable<string>): string[] {
  const list = [...names];
  if (list.length > 0 && list.every((n) => Number.isFinite(Number(n)))) {
    return list.sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
  }
  return list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function resolveColumns(
  table: Table,
  textColumn: string | undefined,
  labelColumn: string | undefined,
): { textIndex: number; labelIndex: number } {
  const summaries = summarizeColumns(table);
  const textIndex = textColumn ? columnIndex(table, textColumn) : -1;
  const labelIndex = labelColumn ? columnIndex(table, labelColumn) : -1;
  const text = textIndex >= 0 ? textIndex : table.columns.indexOf(detectTextColumn(table, summaries));
  const label =
    labelIndex >= 0
      ? labelIndex
      : table.columns.indexOf(detectLabelColumn(table, summaries, table.columns[text] ?? ''));
  if (text === label) {
    throw new UserError(
      `${table.path}: column "${table.columns[text] ?? ''}" cannot be both the text and the label column. ` +
        'Choose different columns with --text-col and --label-col.',
    );
  }
  return { textIndex: text, labelIndex: label };
}

export interface LoadOptions extends SampleOptions {
  /** Column names; absent or "" = detect. */
  readonly textColumn?: string;
  readonly labelColumn?: string;
}

/**
 * Reads a dataset as labelled examples. With `limit`, a seeded uniform sample of that many rows
 * is read (memory bounded by the sample, whatever the file's size); without it, a file of more
 * than MAX_TABLE_ROWS rows is refused with a message saying how to sample.
 */
export async function loadLabelledDataset(path: string, opts: LoadOptions = {}): Promise<LabelledDataset> {
  const table = await readTable(path, opts);
  const { textIndex, labelIndex } = resolveColumns(table, opts.textColumn, opts.labelColumn);
  const textColumn = table.columns[textIndex] ?? '';
  const labelColumn = table.columns[labelIndex] ?? '';

  const kept: { text: string; label: string }[] = [];
  for (const row of table.rows) {
    const text = row[textIndex] ?? '';
    const label = (row[labelIndex] ?? '').trim();
    if (text.trim() !== '' && label !== '') kept.push({ text, label });
  }
  const skippedRows = table.rows.length - kept.length;
  if (kept.length === 0) {
    throw new UserError(
      `${path}: every row has an empty "${textColumn}" or "${labelColumn}" cell, so there is nothing to train on. ` +
        'Check the text and label columns.',
    );
  }

  const distinct = new Set(kept.map((k) => k.label));
  if (distinct.size > MAX_LABELS) {
    throw new UserError(
      `${path}: column "${labelColumn}" has ${distinct.size} distinct values, so it looks like free text, not labels. ` +
        'Choose another column with --label-col.',
    );
  }
  if (distinct.size < 2) {
    const [only = ''] = distinct;
    throw new UserError(
      `${path} has a single label (${JSON.stringify(only)}) in column "${labelColumn}": a classifier needs at least two. ` +
        'Check the label column.',
    );
  }
  const labelNames = sortLabelNames(distinct);
  const ids = new Map(labelNames.map((name, i) => [name, i]));
  const examples = kept.map((k) => ({ text: k.text, label: ids.get(k.label) ?? 0 }));
  return { path, textColumn, labelColumn, labelNames, examples, skippedRows };
}

/** Label counts, most frequent first (ties in label order); at most MAX_LABELS entries. */
function labelDistribution(table: Table, index: number): LabelCount[] {
  const counts = new Map<string, number>();
  for (const row of table.rows) {
    const label = (row[index] ?? '').trim();
    if (label !== '') counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const order = new Map(sortLabelNames(counts.keys()).map((name, i) => [name, i]));
  return [...counts]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || (order.get(a.label) ?? 0) - (order.get(b.label) ?? 0))
    .slice(0, MAX_LABELS);
}

/**
 * Reads a dataset's columns and detected defaults for the wizard. Unlike loading, it does not
 * fail when no text or label column can be detected: those come back as "" (and `labels` empty)
 * so the user can pick. A `labelColumn` that does not exist is an error.
 */
export async function inspectDataset(path: string, labelColumn?: string): Promise<DatasetSummary> {
  const table = await readTable(path);
  const columns = summarizeColumns(table);
  const orEmpty = (detect: () => string): string => {
    try {
      return detect();
    } catch (err) {
      if (err instanceof UserError) return '';
      throw err;
    }
  };
  const textColumn = orEmpty(() => detectTextColumn(table, columns));
  const labelIndex = labelColumn
    ? columnIndex(table, labelColumn)
    : table.columns.indexOf(orEmpty(() => detectLabelColumn(table, columns, textColumn)));
  return {
    path,
    format: table.format,
    rows: table.rows.length,
    columns,
    textColumn,
    labelColumn: table.columns[labelIndex] ?? '',
    labels: labelIndex >= 0 ? labelDistribution(table, labelIndex) : [],
  };
}
