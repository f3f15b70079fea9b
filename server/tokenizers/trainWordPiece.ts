/**
 * Trains a BERT-style WordPiece vocabulary (HF tokenizers' WordPiece trainer: BPE merges over
 * "##"-prefixed pieces) and returns the complete `tokenizer.json` object; also builds that object
 * for an existing vocab.txt.
 */
import { countPreTokens, learnMerges } from './pairMerges';
import {
  BERT_TEMPLATE, specialAddedTokens, templateProcessingJson, vocabLookup,
  type BertNormalizerJson, type TemplateProcessingJson, type TokenizerJson, type WordPieceModelJson,
} from './tokenizerJson';

export interface WordPieceTokenizerJson extends TokenizerJson<WordPieceModelJson> {
  normalizer: BertNormalizerJson;
  pre_tokenizer: { type: 'BertPreTokenizer' };
  post_processor: TemplateProcessingJson;
  decoder: { type: 'WordPiece'; prefix: string; cleanup: boolean };
}

export interface TrainWordPieceOptions {
  vocabSize: number;
  /** A pair must occur at least this often (weighted by word counts) to be merged; default 2. */
  minFrequency?: number;
  /** Lowercase and strip accents, like bert-base-uncased; default true. */
  lowercase?: boolean;
}

/** [PAD]=0, [UNK]=1, [CLS]=2, [SEP]=3, [MASK]=4. */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
const PREFIX = '##';
const MAX_CHARS_PER_WORD = 100;

// ---------------------------------------------------------------------------------------------
// Normalization and pre-tokenization, mirroring BertNormalizer + BertPreTokenizer

const PUNCT = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const WORD_RE = new RegExp(`[^\\s${PUNCT}]+|[${PUNCT}]`, 'gu');
/** Characters clean_text drops: NUL, U+FFFD and control/format/private/surrogate code points other than \t \n \r. */
const DROPPED_RE = /[\0\uFFFD]|(?![\t\n\r])[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu;
/** CJK Unified Ideographs (and Extension A, Compatibility Ideographs) that BERT splits apart. */
const CHINESE_RE = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]/g;

// Whole-string regular expressions, not a loop per character: 10 MB of text takes ~1.5 s, not ~12 s.
function cleanText(text: string): string {
  return text.replace(DROPPED_RE, '').replace(/[^\S ]/g, ' '); // whitespace other than ' ' (most texts have little)
}

function padChineseChars(text: string): string {
  return text.replace(CHINESE_RE, ' $& ');
}

/** The words the tokenizer's normalizer and pre-tokenizer would produce for `text`. */
export function bertPreTokenize(text: string, lowercase: boolean): string[] {
  let t = padChineseChars(cleanText(text));
  if (lowercase) t = t.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
  return t.trim().match(WORD_RE) ?? [];
}

/** Counts the pre-tokenized words of `texts` (words too long for the model are skipped). */
export function countWords(texts: Iterable<string>, lowercase: boolean): Map<string, number> {
  return countPreTokens(texts, (text) =>
    bertPreTokenize(text, lowercase).filter((w) => w.length <= MAX_CHARS_PER_WORD || Array.from(w).length <= MAX_CHARS_PER_WORD),
  );
}

/** Trains a WordPiece vocabulary on `texts` and returns the full tokenizer.json object. */
export function trainWordPiece(texts: Iterable<string>, opts: TrainWordPieceOptions): WordPieceTokenizerJson {
  const lowercase = opts.lowercase ?? true;
  const { tokens } = learnMerges(countWords(texts, lowercase), {
    initialTokens: SPECIAL_TOKENS,
    vocabSize: opts.vocabSize,
    minFrequency: Math.max(1, opts.minFrequency ?? 2),
    split: (word) => Array.from(word, (ch, i) => (i === 0 ? ch : PREFIX + ch)),
    join: (left, right) => left + (right.startsWith(PREFIX) ? right.slice(PREFIX.length) : right),
  });
  return wordPieceTokenizerJson(Object.fromEntries(tokens.map((t, i) => [t, i])), { lowercase });
}

export interface WordPieceJsonOptions {
  lowercase: boolean;
  /** null: strip accents when lowercasing (BERT's default). */
  stripAccents?: boolean | null;
  handleChineseChars?: boolean;
}

/**
 * The BERT tokenizer.json for a WordPiece `vocab` (it must hold [UNK], [CLS] and [SEP]; `missing`
 * makes the error for one it lacks). [PAD] [UNK] [CLS] [SEP] [MASK] present become added tokens.
 */
export function wordPieceTokenizerJson(
  vocab: Record<string, number>,
  opts: WordPieceJsonOptions,
  missing: (token: string) => Error = (t) => new Error(`WordPiece vocabulary has no ${t}`),
): WordPieceTokenizerJson {
  const idOf = vocabLookup(vocab, missing);
  idOf('[UNK]');
  const postProcessor = templateProcessingJson(BERT_TEMPLATE, idOf);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specialAddedTokens(SPECIAL_TOKENS, vocab),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: opts.handleChineseChars ?? true,
      strip_accents: opts.stripAccents ?? null,
      lowercase: opts.lowercase,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: postProcessor,
    decoder: { type: 'WordPiece', prefix: PREFIX, cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: PREFIX,
      max_input_chars_per_word: MAX_CHARS_PER_WORD,
      vocab,
    },
  };
}

