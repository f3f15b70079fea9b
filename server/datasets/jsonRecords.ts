// JSON Lines and JSON dataset files as flat records, and records as a table of string cells.
// Every refusal is a one-line UserError that names the file, the line or record, and the fix.
import { UserError } from '../errors';

/** Column names and rows of cell strings, before the checks that make it a Table. */
export interface RawTable {
  readonly columns: string[];
  readonly rows: string[][];
}

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

export function parseJsonl(path: string, text: string): SourcedRecord[] {
  const out: SourcedRecord[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      throw new UserError(
        `${path} line ${i + 1} is not valid JSON (${syntaxReason(err)}). Each line must hold one JSON object; fix or remove that line.`,
      );
    }
    if (!isRecord(value)) {
      throw new UserError(
        `${path} line ${i + 1} holds ${describeJsonType(value)}, not a JSON object. Each line must hold one object like {"text": "...", "label": "..."}.`,
      );
    }
    out.push({ where: `line ${i + 1}`, value });
  });
  return out;
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

/** Flat JSON records to a table: columns in first-seen order, missing fields as "". */
export function recordsToTable(path: string, records: readonly SourcedRecord[]): RawTable {
  const index = new Map<string, number>();
  for (const { value } of records) for (const key of Object.keys(value)) if (!index.has(key)) index.set(key, index.size);
  const columns = [...index.keys()];
  const rows = records.map(({ where, value }) => {
    const row = columns.map(() => '');
    for (const [key, cell] of Object.entries(value)) {
      if (typeof cell === 'object' && cell !== null) {
        throw new UserError(
          `${path} ${where}: field "${key}" holds ${describeJsonType(cell)}, but records must be flat ` +
            '(a string, number or boolean per field). Flatten the records and try again.',
        );
      }
      row[index.get(key) ?? 0] = cell === null || cell === undefined ? '' : String(cell);
    }
    return row;
  });
  return { columns, rows };
}

/** JSON.parse's reason without V8's quoted snippet of the input (which may span lines). */
function syntaxReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message
    .replace(/,\s*".*" is not valid JSON$/s, '')
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
