/**
 * Masked-language-model corruption as in BERT (Devlin et al., 2019, §3.1 and appendix A.1): a
 * share of the non-special tokens is chosen for prediction; of those 80% become [MASK], 10% a
 * random token and 10% stay. Whole-word masking (BERT's 2019 release) chooses whole words. Pure.
 */
import type { Rng } from '../random';
import { shuffleInPlace } from '../random';

/** Label of a position that is not predicted (PyTorch's and Hugging Face's ignore_index). */
export const IGNORE_INDEX = -100;

export interface MaskingConfig {
  /** Share of the non-special tokens chosen for prediction (BERT: 0.15). */
  readonly maskProbability: number;
  /** Of the chosen tokens: share replaced by [MASK] (0.8). */
  readonly maskShare: number;
  /** Of the chosen tokens: share replaced by a random non-special token (0.1); the rest stay. */
  readonly randomShare: number;
  /** Choose whole words (a token and its continuation pieces) instead of single tokens. */
  readonly wholeWord: boolean;
}

export const DEFAULT_MASKING_CONFIG: MaskingConfig = Object.freeze({
  maskProbability: 0.15,
  maskShare: 0.8,
  randomShare: 0.1,
  wholeWord: false,
});

/** What masking needs to know about a vocabulary. */
export interface MaskingVocabulary {
  readonly maskId: number;
  /** Random replacements are drawn from [0, vocabSize) minus the special ids. */
  readonly vocabSize: number;
  /** Ids that are never chosen nor drawn: [CLS], [SEP], [PAD], [MASK], [UNK], <s>, </s>, … */
  readonly specialIds: ReadonlySet<number>;
  /** For whole-word masking: 1 where the id continues the previous token's word ("##ing"). */
  readonly continuesWord: Uint8Array | null;
}

export interface MaskedSequence {
  /** The corrupted ids the model reads. */
  readonly inputIds: number[];
  /** The original id at every chosen position, IGNORE_INDEX elsewhere. */
  readonly labels: number[];
}

/**
 * Whether a token continues a word: WordPiece marks continuations with "##"; byte-level BPE
 * (Ġ) and Metaspace BPE (▁) mark word starts instead.
 */
export function isContinuationToken(token: string, kind: 'WordPiece' | 'word-start-marked'): boolean {
  if (kind === 'WordPiece') return token.startsWith('##');
  return !(token.startsWith('Ġ') || token.startsWith('▁'));
}

/** Continuation flags for ids 0..vocabSize-1 (see isContinuationToken). */
export function continuationTable(vocabSize: number, idToToken: (id: number) => string | undefined, kind: 'WordPiece' | 'word-start-marked'): Uint8Array {
  const table = new Uint8Array(vocabSize);
  for (let id = 0; id < vocabSize; id++) {
    const token = idToToken(id);
    if (token !== undefined && isContinuationToken(token, kind)) table[id] = 1;
  }
  return table;
}

/**
 * Candidate units as lists of positions: every non-special token alone, or (whole words) a word
 * start with its following continuation pieces. A special token always ends a word.
 */
export function maskingUnits(ids: readonly number[], vocab: MaskingVocabulary, wholeWord: boolean): number[][] {
  const units: number[][] = [];
  let previousSpecial = true;
  ids.forEach((id, pos) => {
    const special = vocab.specialIds.has(id);
    if (!special) {
      const continues = wholeWord && !previousSpecial && vocab.continuesWord !== null && vocab.continuesWord[id] === 1;
      const last = units[units.length - 1];
      if (continues && last !== undefined) last.push(pos);
      else units.push([pos]);
    }
    previousSpecial = special;
  });
  return units;
}

/** A uniformly drawn id that is not special (the original id if the vocabulary is all special). */
export function randomNonSpecial(vocab: MaskingVocabulary, rng: Rng, fallback: number): number {
  for (let tries = 0; tries < 1000; tries++) {
    const id = rng.int(vocab.vocabSize);
    if (!vocab.specialIds.has(id)) return id;
  }
  return fallback;
}

/**
 * Chooses round(p · n) of the n non-special tokens (at least one when any exists) and corrupts
 * them. With whole words, words are added in random order while they fit the budget, as in
 * BERT's create_pretraining_data.py, so fewer tokens may be chosen when words are long.
 */
export function maskTokens(ids: readonly number[], vocab: MaskingVocabulary, rng: Rng, config: MaskingConfig = DEFAULT_MASKING_CONFIG): MaskedSequence {
  const inputIds = [...ids];
  const labels = ids.map(() => IGNORE_INDEX);
  const units = maskingUnits(ids, vocab, config.wholeWord);
  const candidates = units.reduce((n, u) => n + u.length, 0);
  if (candidates === 0) return { inputIds, labels };
  const budget = Math.max(1, Math.round(candidates * config.maskProbability));
  let chosen = 0;
  for (const unit of shuffleInPlace(units, rng)) {
    if (chosen >= budget) break;
    if (chosen + unit.length > budget) continue;
    chosen += unit.length;
    for (const pos of unit) {
      const original = ids[pos] as number;
      labels[pos] = original;
      const r = rng.next();
      if (r < config.maskShare) inputIds[pos] = vocab.maskId;
      else if (r < config.maskShare + config.randomShare) inputIds[pos] = randomNonSpecial(vocab, rng, original);
    }
  }
  // A first word longer than the whole budget: take a single token rather than nothing.
  if (chosen === 0) return maskTokens(ids, vocab, rng, { ...config, wholeWord: false });
  return { inputIds, labels };
}
