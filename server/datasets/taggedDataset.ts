// A token classification dataset: sentences of words with one label id per word, read from CoNLL
// (.conll, .txt, .tsv) or JSON records with per-token labels (.jsonl, .json). Label ids follow the
// file's label_names when it has them, else the sorted label strings (like labelledDataset).
import { extname } from 'node:path';
import { UserError } from '../errors';
import { readConll, type RawTaggedSentence } from './conll';
import { sortLabelNames } from './labelledDataset';
import { readTaggedJson } from './taggedJson';

export const CONLL_EXTENSIONS: readonly string[] = ['.conll', '.txt', '.tsv'];
export const TAGGED_JSON_EXTENSIONS: readonly string[] = ['.jsonl', '.json'];

export interface TaggedSentence {
  readonly tokens: readonly string[];
  /** One id per token, into TaggedDataset.labelNames. */
  readonly labels: readonly number[];
}

export interface TaggedDataset {
  readonly path: string;
  readonly labelNames: readonly string[];
  readonly sentences: readonly TaggedSentence[];
}

async function readRaw(path: string): Promise<{ sentences: RawTaggedSentence[]; labelNames: readonly string[] | null }> {
  const ext = extname(path).toLowerCase();
  if (CONLL_EXTENSIONS.includes(ext)) return { sentences: await readConll(path), labelNames: null };
  if (TAGGED_JSON_EXTENSIONS.includes(ext)) return readTaggedJson(path);
  throw new UserError(
    `${path}: token classification reads CoNLL files (${CONLL_EXTENSIONS.join(', ')}: "word<TAB>label" lines, a blank line between sentences) ` +
      `or ${TAGGED_JSON_EXTENSIONS.join('/')} records with "tokens" and "labels"; ${ext || 'no extension'} is neither. Convert or rename the file.`,
  );
}

/** Label ids for `sentences`: the given names (validation files, label_names), else the sorted distinct tags. */
function toIds(path: string, sentences: readonly RawTaggedSentence[], names: readonly string[] | null, what: string): TaggedDataset {
  const labelNames = names ?? sortLabelNames(new Set(sentences.flatMap((s) => s.tags)));
  const ids = new Map(labelNames.map((n, i) => [n, i]));
  const unknown = [...new Set(sentences.flatMap((s) => s.tags.filter((t) => !ids.has(t))))];
  if (unknown.length > 0) {
    throw new UserError(`${path} has labels ${what} lacks: ${unknown.slice(0, 5).join(', ')}. Known labels: ${labelNames.slice(0, 20).join(', ')}.`);
  }
  return { path, labelNames, sentences: sentences.map((s) => ({ tokens: s.tokens, labels: s.tags.map((t) => ids.get(t) ?? 0) })) };
}

/**
 * Reads a token classification file. `labelNames` (a validation file's) fixes the ids to the
 * training file's; a label outside them is refused.
 */
export async function loadTaggedDataset(path: string, labelNames?: readonly string[]): Promise<TaggedDataset> {
  const raw = await readRaw(path);
  if (raw.sentences.length === 0) throw new UserError(`${path} holds no tagged sentences. Give one "word<TAB>label" line per word, or one JSON record per sentence.`);
  if (labelNames !== undefined) return toIds(path, raw.sentences, labelNames, 'the training file');
  const data = toIds(path, raw.sentences, raw.labelNames, 'its label_names');
  if (data.labelNames.length < 2) {
    throw new UserError(`${path} has a single label (${JSON.stringify(data.labelNames[0] ?? '')}): a tagger needs at least two. Check the label column.`);
  }
  return data;
}
