// CoNLL-style token classification files (.conll, .txt, .tsv): "token<TAB or spaces>label" per
// line (extra middle columns such as CoNLL-2003's POS tags ignored), a blank line between
// sentences; -DOCSTART- lines and a "token<TAB>label" header are skipped.
import { UserError } from '../errors';
import { MAX_TABLE_ROWS } from './rowCollector';
import { textLines } from './textStream';

/** One sentence as read: words and their tag strings, same length. */
export interface RawTaggedSentence {
  readonly tokens: readonly string[];
  readonly tags: readonly string[];
}

/** Splits a line into (token, label): on tabs when it has one (tokens may hold spaces), else on whitespace. */
export function conllFields(line: string): { token: string; label: string } | null {
  const fields = (line.includes('\t') ? line.split('\t') : line.trim().split(/\s+/)).map((f) => f.trim()).filter((f) => f !== '');
  if (fields.length < 2) return null;
  return { token: fields[0] as string, label: fields[fields.length - 1] as string };
}

/** A first line like "token<TAB>label" (a TSV header) names the columns; it is no word. */
const isHeader = (f: { token: string; label: string }): boolean => /^(tokens?|words?)$/i.test(f.token) && /^(labels?|tags?|ner(_tags?)?)$/i.test(f.label);

/** Gathers lines into sentences, refusing a line that holds no label. */
export class ConllParser {
  private readonly sentences: RawTaggedSentence[] = [];
  private tokens: string[] = [];
  private tags: string[] = [];

  constructor(private readonly path: string) {}

  add(line: number, text: string): void {
    if (text.trim() === '' || text.trimStart().startsWith('-DOCSTART-')) {
      this.flush();
      return;
    }
    const fields = conllFields(text);
    if (line === 1 && fields !== null && isHeader(fields)) return;
    if (fields === null) {
      throw new UserError(
        `${this.path} line ${line} holds ${JSON.stringify(text.trim().slice(0, 60))}, not "token<TAB>label". ` +
          'Each line must hold a word and its label (a blank line between sentences); fix or remove that line.',
      );
    }
    this.tokens.push(fields.token);
    this.tags.push(fields.label);
  }

  /** The sentences read; call once, after the last line. */
  finish(): RawTaggedSentence[] {
    this.flush();
    return this.sentences;
  }

  private flush(): void {
    if (this.tokens.length === 0) return;
    if (this.sentences.length >= MAX_TABLE_ROWS) {
      throw new UserError(`${this.path} has more than ${MAX_TABLE_ROWS.toLocaleString('en-US')} sentences. Split it or take a sample of it.`);
    }
    this.sentences.push({ tokens: this.tokens, tags: this.tags });
    this.tokens = [];
    this.tags = [];
  }
}

/** Parses CoNLL text held in memory (tests, small files). */
export function parseConll(path: string, text: string): RawTaggedSentence[] {
  const parser = new ConllParser(path);
  text.split(/\r?\n/).forEach((line, i) => parser.add(i + 1, line));
  return parser.finish();
}

/** Streams a CoNLL file into sentences. */
export async function readConll(path: string): Promise<RawTaggedSentence[]> {
  const parser = new ConllParser(path);
  for await (const { line, text } of textLines(path)) parser.add(line, text);
  return parser.finish();
}
