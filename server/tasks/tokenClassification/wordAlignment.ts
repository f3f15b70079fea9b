/**
 * Word → sub-word alignment as Hugging Face's token-classification recipe does it: each word split on
 * its own (with a leading space after the first), its label on the first piece, IGNORE_INDEX elsewhere.
 */
import { IGNORE_INDEX } from '../../pretrain/masking';
import type { TextTokenizer } from '../../tokenizers/textTokenizer';

export interface AlignedSentence {
  /** Token ids with the template's special tokens, at most maxLength. */
  readonly ids: readonly number[];
  /** Same length as ids: the word's label id on its first piece, IGNORE_INDEX elsewhere. */
  readonly labels: readonly number[];
  /** Labelled words kept (each has its first piece within maxLength). */
  readonly words: number;
  /** Words the tokenizer gave no piece for (e.g. only control characters): unlabelled. */
  readonly emptyWords: number;
  /** Words cut off by maxLength. */
  readonly truncatedWords: number;
}

/** What alignment needs of a tokenizer (a TextTokenizer has it). */
export type PieceTokenizer = Pick<TextTokenizer, 'encodePieces' | 'withSpecialTokens'>;

/** Where the content starts inside `wrapped` (the template's prefix length). */
function contentOffset(wrapped: readonly number[], content: readonly number[]): number {
  const extra = wrapped.length - content.length;
  for (let k = 0; k <= extra; k++) if (content.every((id, i) => wrapped[k + i] === id)) return k;
  throw new Error('the tokenizer template does not keep the pieces together');
}

/** Aligns one sentence's words and label ids to sub-word pieces within maxLength tokens. */
export function alignWords(tokenizer: PieceTokenizer, words: readonly string[], wordLabels: readonly number[], maxLength: number): AlignedSentence {
  const budget = maxLength - tokenizer.withSpecialTokens([]).length;
  if (budget < 1) throw new Error(`maxLength ${maxLength} leaves no room for text`);
  const content: number[] = [];
  const contentLabels: number[] = [];
  let kept = 0;
  let emptyWords = 0;
  let truncatedWords = 0;
  words.forEach((word, w) => {
    const pieces = tokenizer.encodePieces(w === 0 ? word : ` ${word}`);
    if (pieces.length === 0) emptyWords++;
    else if (content.length >= budget) truncatedWords++;
    else {
      const room = pieces.slice(0, budget - content.length); // a word cut mid-way keeps its first piece and label
      content.push(...room);
      contentLabels.push(wordLabels[w] ?? IGNORE_INDEX, ...room.slice(1).map(() => IGNORE_INDEX));
      kept++;
    }
  });
  const ids = tokenizer.withSpecialTokens(content);
  const offset = contentOffset(ids, content);
  const labels = ids.map(() => IGNORE_INDEX);
  contentLabels.forEach((label, i) => (labels[offset + i] = label));
  return { ids, labels, words: kept, emptyWords, truncatedWords };
}
