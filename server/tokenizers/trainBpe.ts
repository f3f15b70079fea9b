/**
 * BPE vocabulary trainers returning a full `tokenizer.json`: byte-level (GPT-2, RoBERTa) and
 * Metaspace "▁" (SentencePiece-style, for T5 and ALBERT). Also builds byte-level JSON for vocab.json + merges.txt.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { countPreTokens, learnMerges } from './pairMerges';
import {
  postProcessorJson, specialAddedTokens, vocabLookup,
  type BpeModelJson, type ByteLevelJson, type MetaspaceJson, type NormalizerJson, type PreTokenizerJson,
  type TemplateSpec, type TokenizerJson,
} from './tokenizerJson';

export interface TrainBpeOptions {
  vocabSize: number;
  /** A pair must occur at least this often (weighted by word counts) to be merged; default 2. */
  minFrequency?: number;
  /** Special tokens, given ids 0, 1, … in this order. */
  specialTokens: readonly string[];
  /** Special tokens added after the learned vocabulary (ids continue after it), counted in vocabSize. */
  trailingTokens?: readonly string[];
  /** Special tokens around the text; default none. */
  template?: TemplateSpec;
}

export interface TrainByteLevelBpeOptions extends TrainBpeOptions {
  /** Add a space before the first word (so it is tokenized like the others); default false. */
  addPrefixSpace?: boolean;
}

export interface TrainMetaspaceBpeOptions extends TrainBpeOptions {
  /** The token for characters never seen in training (one of specialTokens). */
  unkToken: string;
  normalizer?: NormalizerJson | null;
}

export type BpeTokenizerJson = TokenizerJson<BpeModelJson>;

/** GPT-2's reversible byte → printable character map (bytes_to_unicode), indexed by byte. */
export const BYTE_CHARS: readonly string[] = (() => {
  const printable = (b: number): boolean => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  let next = 256;
  return Array.from({ length: 256 }, (_, b) => String.fromCharCode(printable(b) ? b : next++));
})();

const byteLevel = (addPrefixSpace: boolean): ByteLevelJson => ({
  type: 'ByteLevel', add_prefix_space: addPrefixSpace, trim_offsets: true, use_regex: true,
});
const METASPACE: MetaspaceJson = { type: 'Metaspace', replacement: '▁', add_prefix_space: true, prepend_scheme: 'always', split: true };

/** The words the library's normalizer and pre-tokenizer make of a text, for these JSON parts. */
function preTokenizerOf(normalizer: NormalizerJson | null, preTokenizer: PreTokenizerJson): (text: string) => string[] {
  const skeleton = { normalizer, pre_tokenizer: preTokenizer, post_processor: null, decoder: null, added_tokens: [] };
  const hf = new Tokenizer({ ...skeleton, model: { type: 'BPE', vocab: {}, merges: [] } }, {});
  return (text) => {
    const normalized = hf.normalizer === null ? text : hf.normalizer.normalize(text);
    return hf.pre_tokenizer === null ? [normalized] : hf.pre_tokenizer.pre_tokenize(normalized);
  };
}

function trainBpeModel(
  texts: Iterable<string>,
  opts: TrainBpeOptions,
  parts: { normalizer: NormalizerJson | null; preTokenizer: PreTokenizerJson; alphabet: readonly string[] },
): { vocab: Record<string, number>; merges: string[] } {
  const trailing = opts.trailingTokens ?? [];
  const { tokens, merges } = learnMerges(countPreTokens(texts, preTokenizerOf(parts.normalizer, parts.preTokenizer)), {
    initialTokens: [...opts.specialTokens, ...parts.alphabet],
    vocabSize: opts.vocabSize - trailing.length,
    minFrequency: Math.max(1, opts.minFrequency ?? 2),
    split: (word) => Array.from(word),
    join: (left, right) => left + right,
  });
  const vocab = Object.fromEntries([...tokens, ...trailing].map((t, i) => [t, i]));
  return { vocab, merges: merges.map(([l, r]) => `${l} ${r}`) };
}

function bpeTokenizerJson(
  vocab: Record<string, number>,
  merges: string[],
  parts: { normalizer: NormalizerJson | null; preTokenizer: PreTokenizerJson; decoder: ByteLevelJson | MetaspaceJson; unkToken: string | null },
  specials: readonly string[],
  template: TemplateSpec,
  missing: (token: string) => Error,
): BpeTokenizerJson {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specialAddedTokens(specials, vocab),
    normalizer: parts.normalizer,
    pre_tokenizer: parts.preTokenizer,
    post_processor: postProcessorJson(template, vocabLookup(vocab, missing)),
    decoder: parts.decoder,
    model: {
      type: 'BPE', dropout: null, unk_token: parts.unkToken, continuing_subword_prefix: null, end_of_word_suffix: null,
      fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges,
    },
  };
}

const specialsOf = (opts: TrainBpeOptions): string[] => [...opts.specialTokens, ...(opts.trailingTokens ?? [])];
const trainerError = (token: string): Error => new Error(`template token ${token} is not one of the special tokens`);

/** Byte-level BPE like GPT-2: every byte is in the alphabet, so any UTF-8 text round-trips. */
export function trainByteLevelBpe(texts: Iterable<string>, opts: TrainByteLevelBpeOptions): BpeTokenizerJson {
  const preTokenizer = byteLevel(opts.addPrefixSpace ?? false);
  const alphabet = [...BYTE_CHARS].sort();
  const { vocab, merges } = trainBpeModel(texts, opts, { normalizer: null, preTokenizer, alphabet });
  return byteLevelBpeJson(vocab, merges, specialsOf(opts), { template: opts.template ?? { type: 'none' }, addPrefixSpace: opts.addPrefixSpace ?? false }, trainerError);
}

/** The byte-level BPE tokenizer.json for a vocabulary and merges (as in vocab.json + merges.txt). */
export function byteLevelBpeJson(
  vocab: Record<string, number>,
  merges: string[],
  specials: readonly string[],
  opts: { template: TemplateSpec; addPrefixSpace: boolean; unkToken?: string | null },
  missing: (token: string) => Error,
): BpeTokenizerJson {
  const parts = { normalizer: null, preTokenizer: byteLevel(opts.addPrefixSpace), decoder: byteLevel(true), unkToken: opts.unkToken ?? null };
  return bpeTokenizerJson(vocab, merges, parts, specials, opts.template, missing);
}

/**
 * SentencePiece-style BPE: words split on whitespace, each prefixed with "▁"; the alphabet is the
 * characters seen in training (others become `unkToken`).
 */
export function trainMetaspaceBpe(texts: Iterable<string>, opts: TrainMetaspaceBpeOptions): BpeTokenizerJson {
  if (!opts.specialTokens.includes(opts.unkToken)) throw new Error(`unkToken ${opts.unkToken} must be a special token`);
  const normalizer = opts.normalizer ?? null;
  const preTokenizer: PreTokenizerJson = { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' }, METASPACE] };
  const { vocab, merges } = trainBpeModel(texts, opts, { normalizer, preTokenizer, alphabet: ['▁'] });
  const parts = { normalizer, preTokenizer, decoder: METASPACE, unkToken: opts.unkToken };
  return bpeTokenizerJson(vocab, merges, parts, specialsOf(opts), opts.template ?? { type: 'none' }, trainerError);
}
