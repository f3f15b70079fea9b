// JSON Lines (streamed line by line) and JSON dataset files as flat records, gathered into a table
// of string cells. Every refusal is a one-line UserError naming the file, the line or record, and the fix.
import { stat } from 'node:fs/promises';
import { UserError } from '../errors';
import type { RowCollector } from './rowCollector';
import { readFailure, textChunks, textLines } from './textStream';

/** A .json file is parsed whole, so its size is capped; JSON Lines files stream and have no cap. */
export const MAX_JSON_BYTES = 200 * 2 ** 20;

/** A record with where it came from, for error messages ("line 7", "record 3"). */
interface SourcedRecord {
  readonly where: string;
  readonly value: Record<string, unknown>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeJsonType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** Parses one JSON Lines line into a record (undefined for a blank line). */
function parseJsonlLine(path: string, line: number, raw: string): SourcedRecord | undefined {
  if (raw.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new UserError(
      `${path} line ${line} is not valid JSON (${syntaxReason(err)}). Each line must hold one JSON object; fix or remove that line.`,
    );
  }
  if (!isRecord(value)) {
    throw new UserError(
      `${path} line ${line} holds ${describeJsonType(value)}, not a JSON object. Each line must hold one object like {"text": "...", "label": "..."}.`,
    );
  }
  return { where: `line ${line}`, value };
}

/** Streams a .jsonl file into `table`. */
export async function readJsonl(path: string, table: RecordTable): Promise<void> {
  for await (const { line, text } of textLines(path)) {
    const record = parseJsonlLine(path, line, text);
    if (record !== undefined) table.add(record);
  }
}

/** Reads a .json file (an array of records, or an object holding one) into `table`. */
export async function readJsonFile(path: string, table: RecordTable): Promise<void> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    throw readFailure(path, err);
  }
  if (size > MAX_JSON_BYTES) {
    throw new UserError(
      `${path} is ${Math.round(size / 2 ** 20)} MB; .json files are read whole, up to ${MAX_JSON_BYTES / 2 ** 20} MB. ` +
        'Save the records as JSON Lines (.jsonl, one object per line), which is read as a stream.',
    );
  }
  const parts: string[] = [];
  for await (const chunk of textChunks(path)) parts.push(chunk);
  const text = parts.join('');
  if (text.trim() === '') throw new UserError(`${path} is empty. Add an array of records like [{"text": "...", "label": "..."}].`);
  for (const record of parseJson(path, text)) table.add(record);
}

export function parseJson(path: string, text: string): SourcedRecord[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const offset = jsonErrorOffset(text);
    const where = offset === undefined ? '' : ` on line ${lineOf(text, offset)}`;
    throw new UserError(
      `${path} is not valid JSON${where} (${syntaxReason(err)}). Fix the file, or save one record per line as .jsonl.`,
    );
  }
  let records: unknown[];
  if (Array.isArray(value)) {
    records = value;
  } else if (isRecord(value)) {
    const arrays = Object.entries(value).filter(([, v]) => Array.isArray(v));
    const only = arrays[0];
    if (arrays.length !== 1 || only === undefined) {
      throw new UserError(
        `${path} must hold an array of records, or an object with exactly one array of records ` +
          `(found ${arrays.length === 0 ? 'no array' : `arrays in ${arrays.map(([k]) => `"${k}"`).join(', ')}`}). Restructure the file.`,
      );
    }
    records = only[1] as unknown[];
  } else {
    throw new UserError(`${path} holds ${describeJsonType(value)}; it must hold an array of records. Restructure the file.`);
  }
  return records.map((r, i) => {
    if (!isRecord(r)) {
      throw new UserError(
        `${path} record ${i + 1} is ${describeJsonType(r)}, not an object. Records must look like {"text": "...", "label": "..."}.`,
      );
    }
    return { where: `record ${i + 1}`, value: r };
  });
}

/** Flat JSON records as rows of cells: columns in first-seen order, missing fields as "". */
export class RecordTable {
  private readonly index = new Map<string, number>();

  constructor(private readonly path: string, private readonly rows: RowCollector<string[]>) {}

  add({ where, value }: SourcedRecord): void {
    const row: string[] = [];
    for (const [key, cell] of Object.entries(value)) {
      if (typeof cell === 'object' && cell !== null) {
        throw new UserError(
          `${this.path} ${where}: field "${key}" holds ${describeJsonType(cell)}, but records must be flat ` +
            '(a string, number or boolean per field). Flatten the records and try again.',
        );
      }
      let at = this.index.get(key);
      if (at === undefined) this.index.set(key, (at = this.index.size));
      while (row.length < at) row.push('');
      row[at] = cell === null || cell === undefined ? '' : String(cell);
    }
    this.rows.add(row);
  }

  get columns(): string[] {
    return [...this.index.keys()];
  }

  /** The collected rows, each padded to every column seen. */
  finish(): string[][] {
    const width = this.index.size;
    return this.rows.rows().map((row) => {
      while (row.length < width) row.push('');
      return row;
    });
  }
}

/** JSON.parse's reason without V8's quoted snippet of the input (which may span lines). */
function syntaxReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message
    .replace(/,\s*(?:\.\.\.)?".*" is not valid JSON$/s, '') // V8 quotes (part of) the input
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/\s+/g, ' ')
    .slice(0, 120);
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

class SyntaxAt {
  constructor(readonly offset: number) {}
}

const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Offset of the first syntax error in text that JSON.parse refused (V8 does not always say). */
function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw new SyntaxAt(i);
  };
  const ws = (): void => {
    while (/[ \t\n\r]/.test(text.charAt(i)) && i < text.length) i++;
  };
  const expect = (c: string): void => {
    ws();
    if (text.charAt(i) !== c) fail();
    i++;
  };
  const string = (): void => {
    expect('"');
    while (i < text.length) {
      const c = text.charAt(i);
      if (c === '"') return void i++;
      if (c < ' ') fail();
      i += c === '\\' ? 2 : 1;
    }
    fail();
  };
  const value = (): void => {
    ws();
    const c = text.charAt(i);
    if (c === '"') return string();
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text.charAt(i) === close) return void i++;
      for (;;) {
        if (c === '{') {
          string();
          expect(':');
        }
        value();
        ws();
        const d = text.charAt(i);
        if (d === close) return void i++;
        if (d !== ',') fail();
        i++;
      }
    }
    for (const word of ['true', 'false', 'null']) if (text.startsWith(word, i)) return void (i += word.length);
    JSON_NUMBER.lastIndex = i;
    const m = JSON_NUMBER.exec(text);
    if (m === null) fail();
    else i += m[0].length;
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return undefined;
  } catch (err) {
    if (err instanceof SyntaxAt) return err.offset;
    return undefined; // e.g. nesting too deep for the stack: no line then
  }
}
