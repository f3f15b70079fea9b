// Token classification records in JSON Lines (or a .json array): {"tokens": [...], "labels" or
// "ner_tags" or "tags": [...]}, labels as strings or as integer ids with an optional
// "label_names" list (as Hugging Face datasets export them); one refusal per bad record, naming it.
import { stat } from 'node:fs/promises';
import { UserError } from '../errors';
import type { RawTaggedSentence } from './conll';
import { MAX_JSON_BYTES } from './jsonRecords';
import { MAX_TABLE_ROWS } from './rowCollector';
import { readFailure, textChunks, textLines } from './textStream';

/** Keys that may hold the per-token labels, in order of preference. */
export const TAG_KEYS = ['labels', 'ner_tags', 'tags'] as const;

export interface TaggedRecords {
  readonly sentences: RawTaggedSentence[];
  /** label_names as given (index = integer id), or null when the file names none. */
  readonly labelNames: readonly string[] | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collects records, checking each and that every label_names list agrees with the first. */
export class TaggedRecordReader {
  private readonly sentences: RawTaggedSentence[] = [];
  private names: readonly string[] | null = null;
  /** Integer ids were read before any label_names: names arriving later could not apply to them. */
  private bareIds = false;

  constructor(private readonly path: string) {}

  add(where: string, value: unknown): void {
    const bad = (why: string): UserError =>
      new UserError(`${this.path} ${where}: ${why}. Each record must look like {"tokens": ["EU", "rejects"], "labels": ["B-ORG", "O"]}.`);
    if (!isRecord(value)) throw bad('not a JSON object');
    const tokens = value['tokens'];
    const key = TAG_KEYS.find((k) => k in value);
    const tags = key === undefined ? undefined : value[key];
    if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === 'string')) throw bad('"tokens" is missing or not a list of strings');
    if (!Array.isArray(tags)) throw bad(`no list of labels under ${TAG_KEYS.map((k) => `"${k}"`).join(', ')}`);
    if (tags.length !== tokens.length) throw bad(`${tokens.length} tokens but ${tags.length} labels`);
    this.takeNames(value['label_names'], bad);
    const strings = tags.map((t) => this.tagName(t, bad));
    if (tokens.length === 0) return;
    if (this.sentences.length >= MAX_TABLE_ROWS) throw new UserError(`${this.path} has more than ${MAX_TABLE_ROWS.toLocaleString('en-US')} sentences. Split it or take a sample of it.`);
    this.sentences.push({ tokens: tokens as string[], tags: strings });
  }

  finish(): TaggedRecords {
    return { sentences: this.sentences, labelNames: this.names };
  }

  private takeNames(names: unknown, bad: (why: string) => UserError): void {
    if (names === undefined) return;
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) throw bad('"label_names" is not a list of strings');
    if (this.names === null && this.bareIds) throw bad('"label_names" appears after records whose integer labels had no names; give it in the first record');
    if (this.names === null) this.names = names as string[];
    else if (names.length !== this.names.length || names.some((n, i) => n !== this.names?.[i])) throw bad('"label_names" differs from an earlier record\'s');
  }

  private tagName(tag: unknown, bad: (why: string) => UserError): string {
    if (typeof tag === 'string' && tag.trim() !== '') return tag.trim();
    if (typeof tag === 'number' && Number.isInteger(tag) && tag >= 0) {
      if (this.names === null) {
        this.bareIds = true;
        return String(tag);
      }
      const name = this.names[tag];
      if (name === undefined) throw bad(`label id ${tag} is outside label_names (${this.names.length} names)`);
      return name;
    }
    throw bad(`label ${JSON.stringify(tag)} is neither a non-empty string nor a non-negative integer id`);
  }
}

function parseLine(path: string, line: number, raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new UserError(`${path} line ${line} is not valid JSON (${why}). Each line must hold one JSON object; fix or remove that line.`);
  }
}

/** Reads a .jsonl (streamed) or .json (an array of records, parsed whole) file of tagged sentences. */
export async function readTaggedJson(path: string): Promise<TaggedRecords> {
  const reader = new TaggedRecordReader(path);
  if (path.toLowerCase().endsWith('.jsonl')) {
    for await (const { line, text } of textLines(path)) if (text.trim() !== '') reader.add(`line ${line}`, parseLine(path, line, text));
    return reader.finish();
  }
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    throw readFailure(path, err);
  }
  if (size > MAX_JSON_BYTES) throw new UserError(`${path} is larger than ${MAX_JSON_BYTES / 2 ** 20} MiB. Convert it to JSON Lines (.jsonl), which is read as a stream.`);
  const chunks: string[] = [];
  for await (const chunk of textChunks(path)) chunks.push(chunk);
  const value = parseLine(path, 1, chunks.join(''));
  if (!Array.isArray(value)) throw new UserError(`${path} must hold a JSON array of records like {"tokens": [...], "labels": [...]}.`);
  value.forEach((record, i) => reader.add(`record ${i + 1}`, record));
  return reader.finish();
}
