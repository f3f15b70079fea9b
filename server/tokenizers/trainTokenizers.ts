/**
 * A fresh vocabulary for each model family, laid out like the Hugging Face tokenizer of that
 * family: special tokens, their ids, the template around the text and the model kind.
 */
import { trainByteLevelBpe, trainMetaspaceBpe } from './trainBpe';
import { trainWordPiece } from './trainWordPiece';
import { BERT_TEMPLATE, type NormalizerJson, type TokenizerJson } from './tokenizerJson';

export const TOKENIZER_FAMILIES = ['bert', 'roberta', 'distilbert', 'albert', 'gpt2', 't5'] as const;
export type TokenizerFamily = (typeof TOKENIZER_FAMILIES)[number];

export interface FamilyTrainOptions {
  /** Default 2. */
  minFrequency?: number;
  /** T5 sentinel tokens <extra_id_0>…; default 100. */
  extraIds?: number;
}

/** RoBERTa's special tokens at ids 0..4. */
export const ROBERTA_SPECIALS = ['<s>', '<pad>', '</s>', '<unk>', '<mask>'] as const;
/** ALBERT's special tokens at ids 0..4. */
export const ALBERT_SPECIALS = ['<pad>', '<unk>', '[CLS]', '[SEP]', '[MASK]'] as const;
/** T5's special tokens at ids 0..2 (pad is also the decoder start token). */
export const T5_SPECIALS = ['<pad>', '</s>', '<unk>'] as const;
export const GPT2_EOS = '<|endoftext|>';

/** T5's sentinels in id order: <extra_id_{n-1}> … <extra_id_0>, so <extra_id_0> has the highest id. */
export function t5ExtraIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `<extra_id_${n - 1 - i}>`);
}

const ALBERT_NORMALIZER: NormalizerJson = {
  type: 'Sequence',
  normalizers: [{ type: 'NFKD' }, { type: 'StripAccents' }, { type: 'Lowercase' }],
};

/**
 * Trains the tokenizer a fresh model of `family` uses: WordPiece for BERT/DistilBERT, byte-level
 * BPE for RoBERTa/GPT-2, Metaspace BPE (standing in for SentencePiece Unigram) for ALBERT/T5.
 */
export function trainTokenizerForFamily(
  family: TokenizerFamily,
  texts: Iterable<string>,
  vocabSize: number,
  opts: FamilyTrainOptions = {},
): TokenizerJson {
  const common = { vocabSize, ...(opts.minFrequency === undefined ? {} : { minFrequency: opts.minFrequency }) };
  switch (family) {
    case 'bert':
    case 'distilbert':
      return trainWordPiece(texts, common);
    case 'roberta':
      return trainByteLevelBpe(texts, {
        ...common, specialTokens: ROBERTA_SPECIALS, template: { type: 'roberta', cls: '<s>', sep: '</s>' },
      });
    case 'gpt2':
      return trainByteLevelBpe(texts, { ...common, specialTokens: [GPT2_EOS], template: { type: 'none' } });
    case 'albert':
      return trainMetaspaceBpe(texts, {
        ...common, specialTokens: ALBERT_SPECIALS, unkToken: '<unk>', normalizer: ALBERT_NORMALIZER, template: BERT_TEMPLATE,
      });
    case 't5':
      return trainMetaspaceBpe(texts, {
        ...common,
        specialTokens: T5_SPECIALS,
        trailingTokens: t5ExtraIds(opts.extraIds ?? 100),
        unkToken: '<unk>',
        normalizer: { type: 'NFKC' },
        template: { type: 'template', single: '$A:0 </s>:0', pair: '$A:0 </s>:0 $B:0 </s>:0' },
      });
  }
}
