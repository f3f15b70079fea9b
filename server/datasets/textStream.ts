// A dataset file as a stream of validated UTF-8 text chunks and lines, so that files of any size
// are read with bounded memory; refuses UTF-16, NUL bytes and invalid UTF-8 naming the line.
import { createReadStream } from 'node:fs';
import { UserError } from '../errors';

/** Bytes per read: large enough to keep the parser busy, small enough to stay a rounding error. */
const CHUNK_BYTES = 1 << 20;

function notUtf8(path: string, found: string): UserError {
  return new UserError(`${path} is not UTF-8 text (found ${found}). Save it as UTF-8 and try again.`);
}

/** The one-line refusal for a file that cannot be opened or read. */
export function readFailure(path: string, err: unknown): UserError {
  const code = err instanceof Error && 'code' in err ? String(err.code) : '';
  if (code === 'ENOENT') return new UserError(`Cannot read ${path}: no such file. Check the path.`);
  if (code === 'EISDIR') return new UserError(`Cannot read ${path}: it is a folder. Choose a data file.`);
  if (code === 'EACCES' || code === 'EPERM') return new UserError(`Cannot read ${path}: permission denied. Check the file's permissions.`);
  const why = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ');
  return new UserError(`Cannot read ${path}: ${why}. Check the path.`);
}

function countNewlines(bytes: Uint8Array, end = bytes.length): number {
  let n = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < end; i = bytes.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** 1-based line (within `bytes`) of the first line that is not valid UTF-8 on its own, else 1. */
function firstInvalidLine(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  for (let start = 0; start < bytes.length; line++) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    start = end + 1;
  }
  return 1;
}

/** A chunk of the file as read, and its text. */
export interface Chunk {
  readonly bytes: Buffer;
  readonly text: string;
}

/**
 * The file in chunks, validated as it is read: UTF-16 (by its BOM), a NUL byte or invalid UTF-8
 * is a UserError naming the line. `text` has a leading UTF-8 BOM dropped; `bytes` keeps it.
 * Stopping early closes the file.
 */
export async function* validatedChunks(path: string): AsyncGenerator<Chunk, void, undefined> {
  const decoder = new TextDecoder('utf-8', { fatal: true }); // drops a leading BOM
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  let linesBefore = 0;
  let first = true;
  try {
    for await (const bytes of stream as AsyncIterable<Buffer>) {
      if (first && bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
        throw notUtf8(path, 'UTF-16');
      }
      first = false;
      const nul = bytes.indexOf(0);
      if (nul >= 0) throw notUtf8(path, `a NUL byte on line ${linesBefore + countNewlines(bytes, nul) + 1}; is it binary or UTF-16?`);
      let text: string;
      try {
        text = decoder.decode(bytes, { stream: true });
      } catch {
        throw notUtf8(path, `bytes that are not valid UTF-8 on line ${linesBefore + firstInvalidLine(bytes)}, e.g. Latin-1 or Windows-1252`);
      }
      linesBefore += countNewlines(bytes);
      yield { bytes, text };
    }
    try {
      decoder.decode(); // a multi-byte character cut off by the end of the file
    } catch {
      throw notUtf8(path, `bytes that are not valid UTF-8 on line ${linesBefore + 1}, e.g. Latin-1 or Windows-1252`);
    }
  } catch (err) {
    throw err instanceof UserError ? err : readFailure(path, err);
  } finally {
    stream.destroy();
  }
}

/** The file's text in chunks (see validatedChunks). */
export async function* textChunks(path: string): AsyncGenerator<string, void, undefined> {
  for await (const { text } of validatedChunks(path)) if (text !== '') yield text;
}

/** The file's bytes in validated chunks (see validatedChunks), for parsers that decode UTF-8 themselves. */
export async function* byteChunks(path: string): AsyncGenerator<Buffer, void, undefined> {
  for await (const { bytes } of validatedChunks(path)) yield bytes;
}

/** A line longer than this (in UTF-16 units) is refused rather than run into V8's string limit. */
export const MAX_LINE_CHARS = 256 * 2 ** 20;

/** The file's lines (1-based numbers, line ends "\n" or "\r\n" removed), read as a stream. */
export async function* textLines(path: string): AsyncGenerator<{ line: number; text: string }, void, undefined> {
  let pending: string[] = [];
  let pendingChars = 0;
  let line = 0;
  const take = (): { line: number; text: string } => {
    const text = pending.join('');
    pending = [];
    pendingChars = 0;
    return { line: ++line, text: text.endsWith('\r') ? text.slice(0, -1) : text };
  };
  for await (const chunk of textChunks(path)) {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      pending.push(chunk.slice(start, nl));
      yield take();
      start = nl + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.slice(start));
      pendingChars += chunk.length - start;
      if (pendingChars > MAX_LINE_CHARS) {
        throw new UserError(`${path} line ${line + 1} is longer than ${MAX_LINE_CHARS.toLocaleString('en-US')} characters. Check it for a missing line break, or shorten it.`);
      }
    }
  }
  if (pending.length > 0) yield take();
}
