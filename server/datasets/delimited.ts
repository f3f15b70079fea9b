// CSV and TSV files parsed as a stream (csv-parse): a header row, then records checked against it
// as they arrive. Refusals name the file and the line where the bad record starts.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { UserError } from '../errors';
import type { RowCollector } from './rowCollector';
import { byteChunks, MAX_LINE_CHARS, textLines } from './textStream';

const LINE_BREAK = /\r\n|\r|\n/g;

function countLineBreaks(s: string): number {
  return s.match(LINE_BREAK)?.length ?? 0;
}

const isRecord = (v: unknown): v is string[] => Array.isArray(v) && v.every((f) => typeof f === 'string');

/** Line breaks inside a record's fields (quoted fields may span lines). */
function lineBreaksIn(record: readonly string[]): number {
  let n = 0;
  for (const field of record) if (field.includes('\n') || field.includes('\r')) n += countLineBreaks(field);
  return n;
}

/**
 * The file's records as csv-parse emits them, its errors thrown. Empty lines come through as
 * one empty field (skip_empty_lines off), so that every line is accounted for in line numbers;
 * per-record line info from csv-parse would cost an object per record.
 */
async function* parsedRecords(path: string, format: 'csv' | 'tsv'): AsyncGenerator<unknown, void, undefined> {
  const parser = parse({
    bom: true,
    delimiter: format === 'tsv' ? '\t' : ',',
    quote: format === 'tsv' ? false : '"',
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: false,
    max_record_size: MAX_LINE_CHARS,
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

/** 1-based line of byte `offset` of the file. */
async function lineOfByte(path: string, offset: number): Promise<number> {
  let line = 1;
  if (offset <= 0) return line;
  for await (const chunk of createReadStream(path, { end: offset - 1 }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) line++;
  }
  return line;
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
  let line = 1; // where the next record starts
  try {
    for await (const record of parsedRecords(path, format)) {
      if (!isRecord(record)) continue;
      const start = line;
      line += 1 + lineBreaksIn(record);
      // Empty lines, and lines holding only spaces, come back as one blank field: skip them.
      if (record.length === 1 && (record[0] ?? '').trim() === '') continue;
      if (columns === null) columns = headerNames(path, record);
      else if (record.length === columns.length) rows.add(record.slice()); // csv-parse's arrays have spare capacity
      else throw raggedRow(path, format, start, record.length, columns.length);
    }
  } catch (err) {
    if (err instanceof CsvError) throw await translateCsvError(path, err);
    throw err;
  }
  return columns;
}

async function translateCsvError(path: string, err: CsvError): Promise<UserError> {
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
    // csv-parse's `bytes` is where it last ended a record or a field: on the broken record's first
    // line, or just before it (then blank lines may follow). Records it parsed last may never reach
    // the reader (the stream is destroyed), so this is the one reliable position.
    const bytes = err['bytes'];
    const from = typeof bytes === 'number' ? await lineOfByte(path, bytes) : 1;
    let start = from;
    for await (const { line, text } of textLines(path)) {
      if (line >= from && text.trim() !== '') {
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
