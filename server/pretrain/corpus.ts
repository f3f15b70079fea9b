/**
 * A pretraining corpus: the non-blank lines of a text file, of a folder of .txt/.md/.raw files
 * (recursive, sorted by path for determinism) or of a dataset's text column (.csv, .tsv, .jsonl,
 * .json); and its seeded split into training lines and a held-out slice.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { UserError } from '../errors';
import { createRng, shuffleInPlace } from '../random';
import { detectTextColumn, summarizeColumns } from '../datasets/columns';
import { readTable } from '../datasets/readTable';

export const TEXT_EXTENSIONS: readonly string[] = ['.txt', '.md', '.raw'];
const TABLE_EXTENSIONS: readonly string[] = ['.csv', '.tsv', '.jsonl', '.json'];

export interface Corpus {
  /** Trimmed, non-blank lines in file order. */
  readonly lines: readonly string[];
  /** Files read (one for a file or dataset). */
  readonly files: readonly string[];
  /** The dataset column read, for tables. */
  readonly textColumn: string | null;
}

export interface CorpusOptions {
  /** Column of a dataset file to read; default: detected. */
  readonly textColumn?: string;
}

/** Splits text into lines (LF or CRLF), trimmed, dropping lines that are only whitespace. */
export function textLines(text: string): string[] {
  return text.split(/\r?\n|\r/).map((l) => l.trim()).filter((l) => l !== '');
}

async function statOrThrow(path: string): Promise<Awaited<ReturnType<typeof stat>>> {
  try {
    return await stat(path);
  } catch {
    throw new UserError(`Corpus not found: ${path}. Give a text file, a folder of .txt/.md/.raw files or a dataset file.`);
  }
}

/** Text files under `dir`, recursively, sorted by path. */
async function textFilesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await textFilesUnder(path)));
    else if (entry.isFile() && TEXT_EXTENSIONS.includes(extname(entry.name).toLowerCase())) found.push(path);
  }
  return found.sort();
}

async function tableLines(path: string, column: string | undefined): Promise<{ lines: string[]; column: string }> {
  const table = await readTable(path);
  const chosen = column !== undefined && column !== '' ? column : detectTextColumn(table, summarizeColumns(table));
  const index = table.columns.indexOf(chosen);
  if (index < 0) throw new UserError(`${path} has no column "${chosen}". Its columns are: ${table.columns.join(', ')}.`);
  return { lines: table.rows.flatMap((row) => textLines(row[index] ?? '')), column: chosen };
}

/** Reads a corpus; UserError naming the path when it is missing, empty or has no text files. */
export async function readCorpus(path: string, opts: CorpusOptions = {}): Promise<Corpus> {
  const info = await statOrThrow(path);
  let corpus: Corpus;
  if (info.isDirectory()) {
    const files = await textFilesUnder(path);
    if (files.length === 0) throw new UserError(`${path} holds no ${TEXT_EXTENSIONS.join('/')} files. Put the corpus text in such files.`);
    const lines: string[] = [];
    for (const f of files) lines.push(...textLines(await readFile(f, 'utf8')));
    corpus = { lines, files, textColumn: null };
  } else if (TABLE_EXTENSIONS.includes(extname(path).toLowerCase())) {
    const { lines, column } = await tableLines(path, opts.textColumn);
    corpus = { lines, files: [path], textColumn: column };
  } else {
    corpus = { lines: textLines(await readFile(path, 'utf8')), files: [path], textColumn: null };
  }
  if (corpus.lines.length === 0) throw new UserError(`${path} holds no text (only blank lines). Give a corpus with text.`);
  return corpus;
}

export interface CorpusSplit {
  readonly train: readonly string[];
  /** In corpus order. */
  readonly heldOut: readonly string[];
}

export interface HeldOutOptions {
  /** Share of the lines held out; default 0.05. */
  readonly fraction?: number;
  /** At least this many held-out lines (while one training line remains); default 4. */
  readonly min?: number;
  /** At most this many held-out lines; default 500. */
  readonly max?: number;
}

/** A seeded held-out slice of whole lines; both parts keep corpus order. Needs two lines. */
export function splitHeldOut(lines: readonly string[], seed: number, opts: HeldOutOptions = {}): CorpusSplit {
  const n = lines.length;
  if (n < 2) throw new UserError(`The corpus has ${n} non-blank line; pretraining needs at least 2 (training and held-out text).`);
  const wanted = Math.min(Math.max(Math.round(n * (opts.fraction ?? 0.05)), opts.min ?? 4), opts.max ?? 500);
  const count = Math.min(Math.max(wanted, 1), n - 1);
  const held = new Set(shuffleInPlace([...lines.keys()], createRng(seed)).slice(0, count));
  return { train: lines.filter((_, i) => !held.has(i)), heldOut: lines.filter((_, i) => held.has(i)) };
}
