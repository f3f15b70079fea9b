// Reads a dataset file (.csv, .tsv, .jsonl, .json) into a Table of string cells with a header,
// refusing with a one-line UserError (naming the file and the fix) anything it cannot read.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse, CsvError } from 'csv-parse/sync';
import type { DatasetFormat } from '../protocol';
import { UserError } from '../errors';
import { parseJson, parseJsonl, recordsToTable, type RawTable } from './jsonRecords';

export interface Table {
  readonly path: string;
  readonly format: DatasetFormat;
  readonly columns: readonly string[];
  /** Cell strings in column order; JSON numbers and booleans stringified, null as "". */
  readonly rows: readonly (readonly string[])[];
}

const FORMATS: Readonly<Record<string, DatasetFormat>> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.jsonl': 'jsonl',
  '.json': 'json',
};

export async function readTable(path: string): Promise<Table> {
  const format = FORMATS[extname(path).toLowerCase()];
  if (format === undefined) {
    const ext = extname(path) || '(none)';
    throw new UserError(
      `${path} has an unsupported extension ${ext}. Supported: .csv, .tsv, .jsonl, .json. Rename or convert the file.`,
    );
  }
  const text = decodeUtf8(path, await readBytes(path));
  if (text.trim() === '') throw new UserError(`${path} is empty. Add a header row and data rows.`);
  const { columns, rows } =
    format === 'csv' || format === 'tsv'
      ? parseDelimited(path, text, format)
      : recordsToTable(path, format === 'jsonl' ? parseJsonl(path, text) : parseJson(path, text));
  if (rows.length === 0) {
    throw new UserError(
      format === 'csv' || format === 'tsv'
        ? `${path} has a header row but no data rows. Add rows below the header.`
        : `${path} holds no records. Add at least one record.`,
    );
  }
  return { path, format, columns, rows };
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? String(err.code) : '';
    if (code === 'ENOENT') throw new UserError(`Cannot read ${path}: no such file. Check the path.`);
    if (code === 'EISDIR') throw new UserError(`Cannot read ${path}: it is a folder. Choose a data file.`);
    if (code === 'EACCES' || code === 'EPERM') {
      throw new UserError(`Cannot read ${path}: permission denied. Check the file's permissions.`);
    }
    const why = err instanceof Error ? err.message : String(err);
    throw new UserError(`Cannot read ${path}: ${why}. Check the path.`);
  }
}

/** Decodes UTF-8 (BOM stripped); refuses UTF-16, NUL bytes and invalid UTF-8. */
function decodeUtf8(path: string, bytes: Uint8Array): string {
  const notUtf8 = (found: string): UserError =>
    new UserError(`${path} is not UTF-8 text (found ${found}). Save it as UTF-8 and try again.`);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw notUtf8('UTF-16');
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw notUtf8(`a NUL byte on line ${lineOfByte(bytes, nul)}; is it binary or UTF-16?`);
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  const body = bytes.subarray(start);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw notUtf8(`bytes that are not valid UTF-8 on line ${firstInvalidLine(body)}, e.g. Latin-1 or Windows-1252`);
  }
}

function lineOfByte(bytes: Uint8Array, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function firstInvalidLine(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    start = end + 1;
    line++;
  }
  return line;
}

const LINE_BREAK = /\r\n|\r|\n/g;

function countLineBreaks(s: string): number {
  return s.match(LINE_BREAK)?.length ?? 0;
}

function parseDelimited(path: string, text: string, format: 'csv' | 'tsv'): RawTable {
  const endLines: number[] = [];
  let parsed: string[][];
  try {
    parsed = parse(text, {
      bom: true,
      delimiter: format === 'tsv' ? '\t' : ',',
      quote: format === 'tsv' ? false : '"',
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      on_record: (record: string[], context) => {
        endLines.push(context.lines);
        return record;
      },
    });
  } catch (err) {
    if (err instanceof CsvError) throw translateCsvError(path, text, err, endLines.at(-1) ?? 0);
    throw err;
  }
  // Lines holding only spaces come back as one blank field: skip them like empty lines.
  const records = parsed
    .map((record, i) => ({
      record,
      // csv-parse reports the line a record ends on; step back over newlines inside its fields.
      line: (endLines[i] ?? 0) - record.reduce((n, field) => n + countLineBreaks(field), 0),
    }))
    .filter(({ record }) => !(record.length === 1 && (record[0] ?? '').trim() === ''));
  const header = records.shift();
  if (header === undefined) throw new UserError(`${path} is empty. Add a header row and data rows.`);
  const columns = headerNames(path, header.record);
  for (const { record, line } of records) {
    if (record.length !== columns.length) {
      throw new UserError(
        `${path} line ${line} has ${record.length} field${record.length === 1 ? '' : 's'}, expected ${columns.length} like the header. ` +
          (format === 'csv'
            ? 'Quote fields that contain commas and check for missing or extra separators.'
            : 'Check for missing or extra tabs on that line.'),
      );
    }
  }
  return { columns, rows: records.map((r) => r.record) };
}

function translateCsvError(path: string, text: string, err: CsvError, lastEndLine: number): UserError {
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
    // The broken record starts on the first non-blank line after the last complete one.
    const lines = text.split(LINE_BREAK);
    let start = lastEndLine + 1;
    while (start <= lines.length && (lines[start - 1] ?? '').trim() === '') start++;
    return new UserError(
      `${path} has an unclosed quote in the record starting on line ${start}: the quoted field runs to the end of the file. ` +
        'Close the quote, or double any " inside a quoted field ("").',
    );
  }
  const lines = err['lines'];
  const line = typeof lines === 'number' ? ` line ${lines}` : '';
  const why = err.message.replace(/\s*at line \d+/, '').replace(/\.$/, '');
  return new UserError(`${path}${line} is not valid CSV (${why}). Fix the quoting on that line.`);
}

/** Header names, trimmed; an empty name becomes "columnN"; duplicates are refused. */
function headerNames(path: string, header: readonly string[]): string[] {
  const names = header.map((h, i) => h.trim() || `column${i + 1}`);
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    const first = seen.get(name);
    if (first !== undefined) {
      throw new UserError(
        `${path} has two columns named "${name}" (columns ${first + 1} and ${i + 1}). Rename one and try again.`,
      );
    }
    seen.set(name, i);
  });
  return names;
}
