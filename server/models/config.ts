/**
 * One normalised configuration for every supported family, read from (and written back to)
 * Hugging Face `config.json` keys. Each family's file maps its own keys; everything downstream
 * (blocks, heads, training) reads only this shape.
 */
import type { Activation } from './ops/activations';

export const FAMILIES = ['bert', 'roberta', 'distilbert', 'albert', 'gpt2', 't5'] as const;
export type Family = (typeof FAMILIES)[number];

export const HEADS = ['base', 'masked-lm', 'causal-lm', 'sequence-classification', 'token-classification', 'seq2seq-lm'] as const;
export type HeadKind = (typeof HEADS)[number];

export const SIZES = ['tiny', 'mini', 'small'] as const;
export type SizePreset = (typeof SIZES)[number];

export interface TransformerConfig {
  readonly family: Family;
  readonly head: HeadKind;
  readonly vocabSize: number;
  /** d_model. */
  readonly hiddenSize: number;
  /** ALBERT's factorised embedding width; equals hiddenSize elsewhere. */
  readonly embeddingSize: number;
  /** Encoder layers (GPT-2: decoder layers). */
  readonly numLayers: number;
  /** T5 decoder layers; 0 for encoder-only and decoder-only families. */
  readonly numDecoderLayers: number;
  readonly numHeads: number;
  /** Per-head width (T5's d_kv; hiddenSize / numHeads elsewhere). */
  readonly headDim: number;
  readonly intermediateSize: number;
  readonly activation: Activation;
  /** T5 v1.1 gated feed-forward (wi_0 ⊙ act, wi_1). */
  readonly gatedFfn: boolean;
  readonly normEps: number;
  /** Absolute position table rows (0 for T5's relative positions). */
  readonly maxPositions: number;
  /** Segment embedding rows (0: the family has none). */
  readonly typeVocabSize: number;
  readonly relativeBuckets: number;
  readonly relativeMaxDistance: number;
  readonly tieWordEmbeddings: boolean;
  readonly hiddenDropout: number;
  readonly attentionDropout: number;
  readonly classifierDropout: number;
  readonly initializerRange: number;
  readonly padTokenId: number;
  readonly bosTokenId: number | null;
  readonly eosTokenId: number | null;
  readonly decoderStartTokenId: number;
  /** Class names of classification heads, index = class id. */
  readonly labels: readonly string[];
  /** config.json as read; export rewrites it with labels and architectures updated. */
  readonly hfConfig: Readonly<Record<string, unknown>>;
}

export function isFamily(x: unknown): x is Family {
  return typeof x === 'string' && (FAMILIES as readonly string[]).includes(x);
}
export function isHeadKind(x: unknown): x is HeadKind {
  return typeof x === 'string' && (HEADS as readonly string[]).includes(x);
}
export function isSizePreset(x: unknown): x is SizePreset {
  return typeof x === 'string' && (SIZES as readonly string[]).includes(x);
}
