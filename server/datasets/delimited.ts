// CSV and TSV files parsed as a stream (csv-parse): a header row, then records checked against it
// as they arrive. Refusals name the file and the line where the bad record starts.
import { Readable } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { UserError } from '../errors';
import type { RowCollector } from './rowCollector';
import { byteChunks, MAX_LINE_CHARS, textLines } from './textStream';

const LINE_BREAK = /\r\n|\r|\n/g;

function countLineBreaks(s: string): number {
  return s.match(LINE_BREAK)?.length ?? 0;
}

/** What csv-parse emits with `info: true`: the record and the line count where it ended. */
interface RecordWithInfo {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

function hasInfo(v: unknown): v is RecordWithInfo {
  if (typeof v !== 'object' || v === null) return false;
  const { record, info } = v as { record?: unknown; info?: unknown };
  return Array.isArray(record) && typeof info === 'object' && info !== null && typeof (info as { lines?: unknown }).lines === 'number';
}

const isRecord = (v: unknown): v is string[] => Array.isArray(v) && v.every((f) => typeof f === 'string');

/**
 * The file's records as csv-parse emits them (arrays, or RecordWithInfo with `info`), its
 * errors thrown. Line numbers cost csv-parse an object per record, so only error paths ask.
 */
async function* parsedRecords(path: string, format: 'csv' | 'tsv', info: boolean): AsyncGenerator<unknown, void, undefined> {
  const parser = parse({
    bom: true,
    delimiter: format === 'tsv' ? '\t' : ',',
    quote: format === 'tsv' ? false : '"',
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_LINE_CHARS,
    info,
  });
  const source = Readable.from(byteChunks(path));
  source.on('error', (err) => parser.destroy(err)); // a read or decoding error ends the loop
  source.pipe(parser);
  try {
    yield* parser as AsyncIterable<unknown>;
  } finally {
    source.destroy(); // stops reading (and closes the file) when the consumer stops early
    parser.destroy();
  }
}

/** The line on which record `index` (0-based, as parsed) starts. */
async function startLine(path: string, format: 'csv' | 'tsv', index: number): Promise<number> {
  let i = 0;
  for await (const parsed of parsedRecords(path, format, true)) {
    if (i++ === index && hasInfo(parsed)) {
      // csv-parse reports the line a record ends on; step back over newlines inside its fields.
      return parsed.info.lines - parsed.record.reduce((n, field) => n + countLineBreaks(field), 0);
    }
  }
  return 0;
}

/** The line on which the last record before a parse error ends (0 when there is none). */
async function lastCompleteLine(path: string, format: 'csv' | 'tsv'): Promise<number> {
  let last = 0;
  try {
    for await (const parsed of parsedRecords(path, format, true)) if (hasInfo(parsed)) last = parsed.info.lines;
  } catch {
    // the error being explained
  }
  return last;
}

/** Header names, trimmed; an empty name becomes "columnN"; duplicates are refused. */
function headerNames(path: string, header: readonly string[]): string[] {
  const names = header.map((h, i) => h.trim() || `column${i + 1}`);
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    const first = seen.get(name);
    if (first !== undefined) {
      throw new UserError(`${path} has two columns named "${name}" (columns ${first + 1} and ${i + 1}). Rename one and try again.`);
    }
    seen.set(name, i);
  });
  return names;
}

function raggedRow(path: string, format: 'csv' | 'tsv', line: number, fields: number, expected: number): UserError {
  return new UserError(
    `${path} line ${line} has ${fields} field${fields === 1 ? '' : 's'}, expected ${expected} like the header. ` +
      (format === 'csv' ? 'Quote fields that contain commas and check for missing or extra separators.' : 'Check for missing or extra tabs on that line.'),
  );
}

/**
 * Streams a CSV/TSV file into `rows` and returns its column names; null when the file holds no
 * record at all (blank lines only).
 */
export async function readDelimited(path: string, format: 'csv' | 'tsv', rows: RowCollector<string[]>): Promise<string[] | null> {
  let columns: string[] | null = null;
  let index = -1;
  try {
    for await (const record of parsedRecords(path, format, false)) {
      index++;
      if (!isRecord(record)) continue;
      // Lines holding only spaces come back as one blank field: skip them like empty lines.
      if (record.length === 1 && (record[0] ?? '').trim() === '') continue;
      if (columns === null) columns = headerNames(path, record);
      else if (record.length === columns.length) rows.add(record.slice()); // csv-parse's arrays have spare capacity
      else throw raggedRow(path, format, await startLine(path, format, index), record.length, columns.length);
    }
  } catch (err) {
    if (err instanceof CsvError) throw await translateCsvError(path, format, err);
    throw err;
  }
  return columns;
}

async function translateCsvError(path: string, format: 'csv' | 'tsv', err: CsvError): Promise<UserError> {
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
    // The broken record starts on the first non-blank line after the last complete one.
    const lastEndLine = await lastCompleteLine(path, format);
    let start = lastEndLine + 1;
    for await (const { line, text } of textLines(path)) {
      if (line > lastEndLine && text.trim() !== '') {
        start = line;
        break;
      }
    }
    return new UserError(
      `${path} has an unclosed quote in the record starting on line ${start}: the quoted field runs to the end of the file. ` +
        'Close the quote, or double any " inside a quoted field ("").',
    );
  }
  const lines = err['lines'];
  const line = typeof lines === 'number' ? ` line ${lines}` : '';
  if (err.code === 'CSV_MAX_RECORD_SIZE') {
    return new UserError(`${path}${line} holds a record longer than ${MAX_LINE_CHARS.toLocaleString('en-US')} characters. Check that line for an unclosed quote, or shorten it.`);
  }
  const why = err.message.replace(/\s*at line \d+/, '').replace(/\.$/, '').replace(/\s+/g, ' ');
  return new UserError(`${path}${line} is not valid CSV (${why}). Fix the quoting on that line.`);
}
