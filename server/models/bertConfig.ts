/**
 * The configuration of a BERT-style encoder, read from and written to Hugging Face's
 * `config.json` keys (`model_type: "bert"`). Presets and defaults live here and nowhere else.
 */
import { UserError } from '../errors';
import { parseActivation, type Activation } from './ops/activations';

export interface BertConfig {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly intermediateSize: number;
  readonly hiddenAct: Activation;
  readonly hiddenDropout: number;
  readonly attentionDropout: number;
  readonly maxPositions: number;
  readonly typeVocabSize: number;
  readonly initializerRange: number;
  readonly layerNormEps: number;
  readonly padTokenId: number;
  /** Class names of the sequence-classification head, index = class id. */
  readonly labels: readonly string[];
}

/** BERT-base's defaults where a preset does not say otherwise (HF BertConfig defaults). */
export const DEFAULT_BERT_CONFIG: BertConfig = Object.freeze({
  vocabSize: 30522,
  hiddenSize: 768,
  numLayers: 12,
  numHeads: 12,
  intermediateSize: 3072,
  hiddenAct: 'gelu',
  hiddenDropout: 0.1,
  attentionDropout: 0.1,
  maxPositions: 512,
  typeVocabSize: 2,
  initializerRange: 0.02,
  layerNormEps: 1e-12,
  padTokenId: 0,
  labels: [],
});

export const BERT_PRESETS = {
  /** 2 layers, hidden 128: trains in minutes on a laptop CPU. */
  tiny: { hiddenSize: 128, numLayers: 2, numHeads: 2, intermediateSize: 512, maxPositions: 512 },
} as const satisfies Record<string, Partial<BertConfig>>;
export type BertPreset = keyof typeof BERT_PRESETS;

export function isBertPreset(name: string): name is BertPreset {
  return Object.prototype.hasOwnProperty.call(BERT_PRESETS, name);
}

export function presetConfig(preset: BertPreset, vocabSize: number, labels: readonly string[]): BertConfig {
  return validateBertConfig({ ...DEFAULT_BERT_CONFIG, ...BERT_PRESETS[preset], vocabSize, labels }, `preset "${preset}"`);
}

export function validateBertConfig(config: BertConfig, source: string): BertConfig {
  const positive: (keyof BertConfig)[] = ['vocabSize', 'hiddenSize', 'numLayers', 'numHeads', 'intermediateSize', 'maxPositions'];
  for (const key of positive) {
    const v = config[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw new UserError(`${source}: ${key} must be a positive integer, got ${String(v)}.`);
    }
  }
  if (config.hiddenSize % config.numHeads !== 0) {
    throw new UserError(`${source}: hidden_size ${config.hiddenSize} is not divisible by num_attention_heads ${config.numHeads}.`);
  }
  return Object.freeze({ ...config });
}

function numberKey(json: Record<string, unknown>, key: string, fallback: number | null, source: string): number {
  const v = json[key];
  if (v === undefined && fallback !== null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new UserError(`${source} is missing the number "${key}". Re-export the model with Hugging Face's save_pretrained.`);
  }
  return v;
}

function labelsFrom(json: Record<string, unknown>): string[] {
  const id2label = json['id2label'];
  if (typeof id2label !== 'object' || id2label === null) return [];
  const entries = Object.entries(id2label as Record<string, unknown>)
    .map(([k, v]) => [Number(k), String(v)] as const)
    .filter(([k]) => Number.isInteger(k))
    .sort((a, b) => a[0] - b[0]);
  return entries.map(([, v]) => v);
}

/** Parses a `config.json` object (already JSON.parsed) of model_type "bert". */
export function bertConfigFromJson(json: Record<string, unknown>, source: string): BertConfig {
  const d = DEFAULT_BERT_CONFIG;
  return validateBertConfig(
    {
      vocabSize: numberKey(json, 'vocab_size', null, source),
      hiddenSize: numberKey(json, 'hidden_size', null, source),
      numLayers: numberKey(json, 'num_hidden_layers', null, source),
      numHeads: numberKey(json, 'num_attention_heads', null, source),
      intermediateSize: numberKey(json, 'intermediate_size', null, source),
      hiddenAct: parseActivation(json['hidden_act'] ?? d.hiddenAct, source),
      hiddenDropout: numberKey(json, 'hidden_dropout_prob', d.hiddenDropout, source),
      attentionDropout: numberKey(json, 'attention_probs_dropout_prob', d.attentionDropout, source),
      maxPositions: numberKey(json, 'max_position_embeddings', d.maxPositions, source),
      typeVocabSize: numberKey(json, 'type_vocab_size', d.typeVocabSize, source),
      initializerRange: numberKey(json, 'initializer_range', d.initializerRange, source),
      layerNormEps: numberKey(json, 'layer_norm_eps', d.layerNormEps, source),
      padTokenId: numberKey(json, 'pad_token_id', d.padTokenId, source),
      labels: labelsFrom(json),
    },
    source,
  );
}

/** The `config.json` Hugging Face's BertForSequenceClassification.from_pretrained accepts. */
export function bertConfigToJson(c: BertConfig): Record<string, unknown> {
  const json: Record<string, unknown> = {
    model_type: 'bert',
    architectures: c.labels.length > 0 ? ['BertForSequenceClassification'] : ['BertModel'],
    vocab_size: c.vocabSize,
    hidden_size: c.hiddenSize,
    num_hidden_layers: c.numLayers,
    num_attention_heads: c.numHeads,
    intermediate_size: c.intermediateSize,
    hidden_act: c.hiddenAct,
    hidden_dropout_prob: c.hiddenDropout,
    attention_probs_dropout_prob: c.attentionDropout,
    max_position_embeddings: c.maxPositions,
    type_vocab_size: c.typeVocabSize,
    initializer_range: c.initializerRange,
    layer_norm_eps: c.layerNormEps,
    pad_token_id: c.padTokenId,
    position_embedding_type: 'absolute',
    torch_dtype: 'float32',
  };
  if (c.labels.length > 0) {
    json['id2label'] = Object.fromEntries(c.labels.map((l, i) => [String(i), l]));
    json['label2id'] = Object.fromEntries(c.labels.map((l, i) => [l, i]));
    json['problem_type'] = 'single_label_classification';
  }
  return json;
}
