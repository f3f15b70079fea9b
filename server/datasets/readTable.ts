// Reads a dataset file (.csv, .tsv, .jsonl, .json) into a Table of string cells with a header,
// streaming it so that memory stays bounded (MAX_TABLE_ROWS, or a sample of `limit` rows), and
// refusing with a one-line UserError (naming the file and the fix) anything it cannot read.
import { extname } from 'node:path';
import type { DatasetFormat } from '../protocol';
import { UserError } from '../errors';
import { readDelimited } from './delimited';
import { readJsonFile, readJsonl, RecordTable } from './jsonRecords';
import { RowCollector, type SampleOptions } from './rowCollector';

export { MAX_TABLE_ROWS, type SampleOptions } from './rowCollector';

export interface Table {
  readonly path: string;
  readonly format: DatasetFormat;
  readonly columns: readonly string[];
  /** Cell strings in column order; JSON numbers and booleans stringified, null as "". */
  readonly rows: readonly (readonly string[])[];
  /** Data rows in the file: rows.length, or more when `limit` sampled them. */
  readonly fileRows?: number;
}

const FORMATS: Readonly<Record<string, DatasetFormat>> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.jsonl': 'jsonl',
  '.json': 'json',
};

/**
 * Reads a table. Without `opts.limit` every row is kept, and a file of more than MAX_TABLE_ROWS
 * rows is refused as soon as that many have been read; with it, a seeded uniform sample of
 * `limit` rows (in file order) is kept while the whole file streams past.
 */
export async function readTable(path: string, opts: SampleOptions = {}): Promise<Table> {
  const format = FORMATS[extname(path).toLowerCase()];
  if (format === undefined) {
    const ext = extname(path) || '(none)';
    throw new UserError(
      `${path} has an unsupported extension ${ext}. Supported: .csv, .tsv, .jsonl, .json. Rename or convert the file.`,
    );
  }
  const collector = new RowCollector<string[]>(path, opts);
  let columns: readonly string[];
  let rows: string[][];
  if (format === 'csv' || format === 'tsv') {
    const header = await readDelimited(path, format, collector);
    if (header === null) throw new UserError(`${path} is empty. Add a header row and data rows.`);
    if (collector.seen === 0) throw new UserError(`${path} has a header row but no data rows. Add rows below the header.`);
    columns = header;
    rows = collector.rows();
  } else {
    const records = new RecordTable(path, collector);
    if (format === 'jsonl') await readJsonl(path, records);
    else await readJsonFile(path, records);
    if (collector.seen === 0) {
      throw new UserError(format === 'jsonl' ? `${path} is empty. Add one JSON object per line.` : `${path} holds no records. Add at least one record.`);
    }
    columns = records.columns;
    rows = records.finish();
  }
  return { path, format, columns, rows, fileRows: collector.seen };
}
