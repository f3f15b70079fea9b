// Several named columns of a table read together, row by row: text pairs with a label
// (sequence-pair classification) and input/target texts (text-to-text). Columns left "" are
// detected as labelledDataset detects them; rows with an empty cell in any of them are skipped.
import { UserError } from '../errors';
import { detectLabelColumn, detectTextColumn, summarizeColumns } from './columns';
import { columnIndex } from './labelledDataset';
import { readTable, type SampleOptions } from './readTable';

export interface ColumnRequest {
  /** What the column is for, in messages ("text", "label", "target"). */
  readonly role: string;
  /** The user's column name; "" = detect. */
  readonly name: string;
  /** How to detect it when unnamed: as free text, as labels, or not at all (then it must be named). */
  readonly detect: 'text' | 'label' | 'never';
  /** The CLI option that names it, for messages. */
  readonly option: string;
}

export interface TextColumns {
  readonly path: string;
  /** Resolved column names, in request order. */
  readonly columns: readonly string[];
  /** Cells of the requested columns, in request order; only rows where none is empty. */
  readonly rows: readonly (readonly string[])[];
  readonly skippedRows: number;
}

/** Runs a detection; its refusal names the request's own option when that is not the usual one. */
function detect(r: ColumnRequest, find: () => string): string {
  try {
    return find();
  } catch (err) {
    const usual = r.detect === 'text' ? '--text-col' : '--label-col';
    if (err instanceof UserError && r.option !== usual) throw new UserError(`${err.message} (Here it is the ${r.role} column: name it with ${r.option}.)`);
    throw err;
  }
}

/** Column indices for the requests: named ones first, then detection among the columns left. */
function resolveIndices(table: Awaited<ReturnType<typeof readTable>>, requests: readonly ColumnRequest[]): number[] {
  const summaries = summarizeColumns(table);
  const indices = requests.map((r) => (r.name !== '' ? columnIndex(table, r.name) : -1));
  requests.forEach((r, i) => {
    if (indices[i] !== -1) return;
    if (r.detect === 'never') throw new UserError(`${table.path}: name the ${r.role} column with ${r.option}. Its columns are: ${table.columns.join(', ')}.`);
    const used = new Set(indices.filter((x) => x >= 0).map((x) => table.columns[x]));
    const free = summaries.filter((s) => !used.has(s.name));
    const textColumn = table.columns[indices[0] ?? -1] ?? '';
    indices[i] = table.columns.indexOf(detect(r, () => (r.detect === 'text' ? detectTextColumn(table, free) : detectLabelColumn(table, free, textColumn))));
  });
  const seen = new Map<number, string>();
  requests.forEach((r, i) => {
    const index = indices[i] ?? -1;
    const other = seen.get(index);
    if (other !== undefined) {
      throw new UserError(`${table.path}: column "${table.columns[index] ?? ''}" cannot be both the ${other} and the ${r.role} column. Choose different columns with ${r.option}.`);
    }
    seen.set(index, r.role);
  });
  return indices;
}

/** Reads the requested columns of a table (see ColumnRequest); UserError when no row has them all. */
export async function readTextColumns(path: string, requests: readonly ColumnRequest[], opts: SampleOptions = {}): Promise<TextColumns> {
  const table = await readTable(path, opts);
  const indices = resolveIndices(table, requests);
  const rows: string[][] = [];
  for (const row of table.rows) {
    const cells = indices.map((i) => row[i] ?? '');
    if (cells.every((c) => c.trim() !== '')) rows.push(cells);
  }
  const columns = indices.map((i) => table.columns[i] ?? '');
  if (rows.length === 0) {
    throw new UserError(`${path}: every row has an empty cell in ${columns.map((c) => `"${c}"`).join(' or ')}, so there is nothing to train on. Check the columns.`);
  }
  return { path, columns, rows, skippedRows: table.rows.length - rows.length };
}
