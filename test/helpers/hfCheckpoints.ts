/**
 * Tiny random-weight Hugging Face checkpoints (config.json, model.safetensors, tokenizer.json) for bert, roberta,
 * distilbert, albert, gpt2 and t5, with the tensor names transformers' modeling_*.py classes save (see SAVED NAMES).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeSafetensors } from '../../server/checkpoints/safetensors';

export type Family = 'bert' | 'roberta' | 'distilbert' | 'albert' | 'gpt2' | 't5';
export type Head = 'base' | 'masked-lm' | 'causal-lm' | 'sequence-classification' | 'token-classification' | 'seq2seq-lm';

export interface FixtureOptions {
  family: Family;
  head: Head;
  /** PRNG seed of the weights (default 1). */
  seed?: number;
  /** Classification heads only (default 3 for sequence, 5 for token classification). */
  numLabels?: number;
  /**
   * Comma-separated flags. t5: "v1.0" (default: relu FFN, tied LM head rescaled by d_model^-0.5) or "v1.1"
   * (gated-gelu with gelu_new, untied lm_head.weight). Any family: "tiny-embeddings" (embedding tables with std
   * 0.002 so that the first norm's eps changes outputs by ≫ 1e-4), "omit-defaults" (config.json leaves out keys
   * equal to the config class's default, as hand-written configs do, so the loader's defaults are exercised).
   */
  variant?: string;
}

export interface Fixture {
  dir: string;
  config: Record<string, unknown>;
  weights: Map<string, { shape: number[]; data: Float32Array }>;
}

/** The transformers version whose save_pretrained layout these files imitate (written to config.json). */
export const TRANSFORMERS_VERSION = '4.46.3';

/** Standard deviation of weights, biases and norm-gain noise: large enough that a wrong parameter shows ≫ 1e-4. */
const STD = 0.2;
const TINY_EMBEDDING_STD = 0.002;

/** HF class per family and head (config.architectures[0]). */
export const ARCHITECTURES: Readonly<Record<Family, Partial<Record<Head, string>>>> = {
  bert: { base: 'BertModel', 'masked-lm': 'BertForMaskedLM', 'sequence-classification': 'BertForSequenceClassification', 'token-classification': 'BertForTokenClassification' },
  roberta: { base: 'RobertaModel', 'masked-lm': 'RobertaForMaskedLM', 'sequence-classification': 'RobertaForSequenceClassification', 'token-classification': 'RobertaForTokenClassification' },
  distilbert: { base: 'DistilBertModel', 'masked-lm': 'DistilBertForMaskedLM', 'sequence-classification': 'DistilBertForSequenceClassification', 'token-classification': 'DistilBertForTokenClassification' },
  albert: { base: 'AlbertModel', 'masked-lm': 'AlbertForMaskedLM', 'sequence-classification': 'AlbertForSequenceClassification', 'token-classification': 'AlbertForTokenClassification' },
  gpt2: { base: 'GPT2Model', 'causal-lm': 'GPT2LMHeadModel', 'sequence-classification': 'GPT2ForSequenceClassification', 'token-classification': 'GPT2ForTokenClassification' },
  t5: { base: 'T5Model', 'seq2seq-lm': 'T5ForConditionalGeneration' },
};

/** Every (family, head) pair writeHfCheckpoint supports. */
export function supportedCombinations(): { family: Family; head: Head }[] {
  return (Object.keys(ARCHITECTURES) as Family[]).flatMap((family) =>
    (Object.keys(ARCHITECTURES[family]) as Head[]).map((head) => ({ family, head })),
  );
}

// ─── Sizes ──────────────────────────────────────────────────────────────────────────────────────────────────────

const VOCAB = 64;
const HIDDEN = 32;
const HEADS = 4;
const LAYERS = 2;
const INTERMEDIATE = 64;
const MAX_POSITIONS = 64;
const ALBERT_EMBEDDING = 16;
const T5 = { dModel: 16, dKv: 8, heads: 2, dFf: 32, layers: 2, buckets: 8, maxDistance: 16 } as const;

// ─── SAVED NAMES ────────────────────────────────────────────────────────────────────────────────────────────────
// The names are what `model.save_pretrained(dir)` writes (transformers ≈ 4.46, safe_serialization=True), read from
// modeling_{bert,roberta,distilbert,albert,gpt2,t5}.py and modeling_utils.save_pretrained:
//  • non-persistent buffers are not saved: embeddings.position_ids / token_type_ids (persistent=False since 4.31),
//    GPT-2's attn.bias / attn.masked_bias;
//  • safetensors forbids aliasing, so of each group of state_dict names sharing storage, save_pretrained deletes the
//    names matching the class's `_tied_weights_keys` (sorted order, keeping at least one): the tied decoders
//    cls.predictions.decoder.{weight,bias}, lm_head.decoder.{weight,bias}, vocab_projector.weight,
//    predictions.decoder.{weight,bias}, GPT-2 lm_head.weight, T5 {encoder,decoder}.embed_tokens.weight and a tied
//    T5 lm_head.weight are absent; their values are word_embeddings / wte / shared and the *.bias kept beside them;
//  • a base-model class (BertModel, GPT2Model, …) is saved without its base_model_prefix ("embeddings.…"); a head
//    class nests it ("bert.embeddings.…", "transformer.h.0.…"); T5 classes have no prefix;
//  • nn.Linear weights are [out, in]; GPT-2's Conv1D weights are [in, out]; T5 relative_attention_bias is
//    [num_buckets, num_heads] and exists only in block 0 of each stack.
// Weights are drawn in the order listed below, encoder first, so every head of a family shares its encoder values.

// ─── Seeded weights ─────────────────────────────────────────────────────────────────────────────────────────────

type Init = 'weight' | 'bias' | 'gain' | 'embedding';

interface TensorSpec {
  name: string;
  shape: number[];
  init: Init;
}

/** mulberry32 with Box–Muller normals: the same seed gives the same checkpoint on every machine. */
function normalStream(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(Math.max(uniform(), 1e-12))) * Math.cos(2 * Math.PI * uniform());
}

/** Weights and biases ~ N(0, 0.2); norm gains 1 + N(0, 0.2); embeddings N(0, 0.2), or N(0, 0.002) when tiny. */
function fillTensors(specs: readonly TensorSpec[], seed: number, tinyEmbeddings: boolean): Fixture['weights'] {
  const normal = normalStream(seed);
  const out: Fixture['weights'] = new Map();
  for (const s of specs) {
    if (out.has(s.name)) throw new Error(`hfCheckpoints: duplicate tensor ${s.name}`);
    const size = s.shape.reduce((a, b) => a * b, 1);
    const std = s.init === 'embedding' && tinyEmbeddings ? TINY_EMBEDDING_STD : STD;
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = (s.init === 'gain' ? 1 : 0) + std * normal();
    out.set(s.name, { shape: s.shape, data });
  }
  return out;
}

const linearT = (name: string, out: number, inp: number, bias = true): TensorSpec[] => [
  { name: `${name}.weight`, shape: [out, inp], init: 'weight' }, // nn.Linear: [out_features, in_features]
  ...(bias ? [{ name: `${name}.bias`, shape: [out], init: 'bias' as const }] : []),
];
const conv1dT = (name: string, inp: number, out: number): TensorSpec[] => [
  { name: `${name}.weight`, shape: [inp, out], init: 'weight' }, // transformers Conv1D: [in, out]
  { name: `${name}.bias`, shape: [out], init: 'bias' },
];
const layerNormT = (name: string, n: number): TensorSpec[] => [
  { name: `${name}.weight`, shape: [n], init: 'gain' },
  { name: `${name}.bias`, shape: [n], init: 'bias' },
];
const embeddingT = (name: string, rows: number, dim: number): TensorSpec[] => [{ name, shape: [rows, dim], init: 'embedding' }];
const rmsNormT = (name: string, n: number): TensorSpec[] => [{ name: `${name}.weight`, shape: [n], init: 'gain' }];
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

// ─── BERT and RoBERTa (modeling_bert.py, modeling_roberta.py) ────────────────────────────────────────────────────

function bertEncoderTensors(p: string, typeVocab: number): TensorSpec[] {
  const embeddings = [
    ...embeddingT(`${p}embeddings.word_embeddings.weight`, VOCAB, HIDDEN),
    ...embeddingT(`${p}embeddings.position_embeddings.weight`, MAX_POSITIONS, HIDDEN),
    ...embeddingT(`${p}embeddings.token_type_embeddings.weight`, typeVocab, HIDDEN),
    ...layerNormT(`${p}embeddings.LayerNorm`, HIDDEN),
  ];
  const layers = range(LAYERS).flatMap((l) => {
    const lp = `${p}encoder.layer.${l}.`;
    return [
      ...linearT(`${lp}attention.self.query`, HIDDEN, HIDDEN),
      ...linearT(`${lp}attention.self.key`, HIDDEN, HIDDEN),
      ...linearT(`${lp}attention.self.value`, HIDDEN, HIDDEN),
      ...linearT(`${lp}attention.output.dense`, HIDDEN, HIDDEN),
      ...layerNormT(`${lp}attention.output.LayerNorm`, HIDDEN),
      ...linearT(`${lp}intermediate.dense`, INTERMEDIATE, HIDDEN),
      ...linearT(`${lp}output.dense`, HIDDEN, INTERMEDIATE),
      ...layerNormT(`${lp}output.LayerNorm`, HIDDEN),
    ];
  });
  return [...embeddings, ...layers];
}

function bertTensors(head: Head, labels: number): TensorSpec[] {
  const p = head === 'base' ? '' : 'bert.';
  const pooler = linearT(`${p}pooler.dense`, HIDDEN, HIDDEN);
  const encoder = bertEncoderTensors(p, 2);
  switch (head) {
    case 'base':
      return [...encoder, ...pooler];
    case 'masked-lm': // BertModel(add_pooling_layer=False); decoder.weight/.bias alias word_embeddings / predictions.bias
      return [
        ...encoder,
        { name: 'cls.predictions.bias', shape: [VOCAB], init: 'bias' },
        ...linearT('cls.predictions.transform.dense', HIDDEN, HIDDEN),
        ...layerNormT('cls.predictions.transform.LayerNorm', HIDDEN),
      ];
    case 'sequence-classification':
      return [...encoder, ...pooler, ...linearT('classifier', labels, HIDDEN)];
    case 'token-classification': // add_pooling_layer=False
      return [...encoder, ...linearT('classifier', labels, HIDDEN)];
    default:
      return unsupported('bert', head);
  }
}

function robertaTensors(head: Head, labels: number): TensorSpec[] {
  const p = head === 'base' ? '' : 'roberta.';
  const encoder = bertEncoderTensors(p, 1);
  switch (head) {
    case 'base': // RobertaModel keeps BERT's pooler
      return [...encoder, ...linearT(`${p}pooler.dense`, HIDDEN, HIDDEN)];
    case 'masked-lm': // lm_head.decoder.weight/.bias alias word_embeddings / lm_head.bias
      return [
        ...encoder,
        { name: 'lm_head.bias', shape: [VOCAB], init: 'bias' },
        ...linearT('lm_head.dense', HIDDEN, HIDDEN),
        ...layerNormT('lm_head.layer_norm', HIDDEN),
      ];
    case 'sequence-classification': // RobertaClassificationHead, no pooler
      return [...encoder, ...linearT('classifier.dense', HIDDEN, HIDDEN), ...linearT('classifier.out_proj', labels, HIDDEN)];
    case 'token-classification':
      return [...encoder, ...linearT('classifier', labels, HIDDEN)];
    default:
      return unsupported('roberta', head);
  }
}

// ─── DistilBERT (modeling_distilbert.py) ────────────────────────────────────────────────────────────────────────

function distilbertTensors(head: Head, labels: number): TensorSpec[] {
  const p = head === 'base' ? '' : 'distilbert.';
  const encoder = [
    ...embeddingT(`${p}embeddings.word_embeddings.weight`, VOCAB, HIDDEN),
    ...embeddingT(`${p}embeddings.position_embeddings.weight`, MAX_POSITIONS, HIDDEN),
    ...layerNormT(`${p}embeddings.LayerNorm`, HIDDEN),
    ...range(LAYERS).flatMap((l) => {
      const lp = `${p}transformer.layer.${l}.`;
      return [
        ...linearT(`${lp}attention.q_lin`, HIDDEN, HIDDEN),
        ...linearT(`${lp}attention.k_lin`, HIDDEN, HIDDEN),
        ...linearT(`${lp}attention.v_lin`, HIDDEN, HIDDEN),
        ...linearT(`${lp}attention.out_lin`, HIDDEN, HIDDEN),
        ...layerNormT(`${lp}sa_layer_norm`, HIDDEN),
        ...linearT(`${lp}ffn.lin1`, INTERMEDIATE, HIDDEN),
        ...linearT(`${lp}ffn.lin2`, HIDDEN, INTERMEDIATE),
        ...layerNormT(`${lp}output_layer_norm`, HIDDEN),
      ];
    }),
  ];
  switch (head) {
    case 'base':
      return encoder;
    case 'masked-lm': // vocab_projector.weight is tied to word_embeddings (_tied_weights_keys)
      return [
        ...encoder,
        ...linearT('vocab_transform', HIDDEN, HIDDEN),
        ...layerNormT('vocab_layer_norm', HIDDEN),
        { name: 'vocab_projector.bias', shape: [VOCAB], init: 'bias' },
      ];
    case 'sequence-classification':
      return [...encoder, ...linearT('pre_classifier', HIDDEN, HIDDEN), ...linearT('classifier', labels, HIDDEN)];
    case 'token-classification':
      return [...encoder, ...linearT('classifier', labels, HIDDEN)];
    default:
      return unsupported('distilbert', head);
  }
}

// ─── ALBERT (modeling_albert.py) ────────────────────────────────────────────────────────────────────────────────

function albertTensors(head: Head, labels: number): TensorSpec[] {
  const p = head === 'base' ? '' : 'albert.';
  const lp = `${p}encoder.albert_layer_groups.0.albert_layers.0.`; // num_hidden_groups = inner_group_num = 1
  const encoder = [
    ...embeddingT(`${p}embeddings.word_embeddings.weight`, VOCAB, ALBERT_EMBEDDING),
    ...embeddingT(`${p}embeddings.position_embeddings.weight`, MAX_POSITIONS, ALBERT_EMBEDDING),
    ...embeddingT(`${p}embeddings.token_type_embeddings.weight`, 2, ALBERT_EMBEDDING),
    ...layerNormT(`${p}embeddings.LayerNorm`, ALBERT_EMBEDDING),
    ...linearT(`${p}encoder.embedding_hidden_mapping_in`, HIDDEN, ALBERT_EMBEDDING),
    ...layerNormT(`${lp}full_layer_layer_norm`, HIDDEN),
    ...linearT(`${lp}attention.query`, HIDDEN, HIDDEN),
    ...linearT(`${lp}attention.key`, HIDDEN, HIDDEN),
    ...linearT(`${lp}attention.value`, HIDDEN, HIDDEN),
    ...linearT(`${lp}attention.dense`, HIDDEN, HIDDEN),
    ...layerNormT(`${lp}attention.LayerNorm`, HIDDEN),
    ...linearT(`${lp}ffn`, INTERMEDIATE, HIDDEN),
    ...linearT(`${lp}ffn_output`, HIDDEN, INTERMEDIATE),
  ];
  const pooler = linearT(`${p}pooler`, HIDDEN, HIDDEN); // a bare nn.Linear named "pooler"
  switch (head) {
    case 'base':
      return [...encoder, ...pooler];
    case 'masked-lm': // add_pooling_layer=False; predictions.decoder.weight/.bias alias word_embeddings / predictions.bias
      return [
        ...encoder,
        ...layerNormT('predictions.LayerNorm', ALBERT_EMBEDDING),
        { name: 'predictions.bias', shape: [VOCAB], init: 'bias' },
        ...linearT('predictions.dense', ALBERT_EMBEDDING, HIDDEN),
      ];
    case 'sequence-classification':
      return [...encoder, ...pooler, ...linearT('classifier', labels, HIDDEN)];
    case 'token-classification': // add_pooling_layer=False
      return [...encoder, ...linearT('classifier', labels, HIDDEN)];
    default:
      return unsupported('albert', head);
  }
}

// ─── GPT-2 (modeling_gpt2.py) ───────────────────────────────────────────────────────────────────────────────────

function gpt2Tensors(head: Head, labels: number): TensorSpec[] {
  const p = head === 'base' ? '' : 'transformer.';
  const model = [
    ...embeddingT(`${p}wte.weight`, VOCAB, HIDDEN),
    ...embeddingT(`${p}wpe.weight`, MAX_POSITIONS, HIDDEN),
    ...range(LAYERS).flatMap((l) => {
      const lp = `${p}h.${l}.`;
      return [
        ...layerNormT(`${lp}ln_1`, HIDDEN),
        ...conv1dT(`${lp}attn.c_attn`, HIDDEN, 3 * HIDDEN),
        ...conv1dT(`${lp}attn.c_proj`, HIDDEN, HIDDEN),
        ...layerNormT(`${lp}ln_2`, HIDDEN),
        ...conv1dT(`${lp}mlp.c_fc`, HIDDEN, INTERMEDIATE),
        ...conv1dT(`${lp}mlp.c_proj`, INTERMEDIATE, HIDDEN),
      ];
    }),
    ...layerNormT(`${p}ln_f`, HIDDEN),
  ];
  switch (head) {
    case 'base':
      return model;
    case 'causal-lm': // lm_head.weight is tied to transformer.wte.weight (_tied_weights_keys = ["lm_head.weight"])
      return model;
    case 'sequence-classification':
      return [...model, ...linearT('score', labels, HIDDEN, false)];
    case 'token-classification':
      return [...model, ...linearT('classifier', labels, HIDDEN)];
    default:
      return unsupported('gpt2', head);
  }
}

// ─── T5 (modeling_t5.py) ────────────────────────────────────────────────────────────────────────────────────────

function t5AttentionTensors(ap: string, withBias: boolean): TensorSpec[] {
  const inner = T5.heads * T5.dKv;
  return [
    ...linearT(`${ap}q`, inner, T5.dModel, false),
    ...linearT(`${ap}k`, inner, T5.dModel, false),
    ...linearT(`${ap}v`, inner, T5.dModel, false),
    ...linearT(`${ap}o`, T5.dModel, inner, false),
    ...(withBias ? [{ name: `${ap}relative_attention_bias.weight`, shape: [T5.buckets, T5.heads], init: 'weight' as const }] : []),
  ];
}

function t5FeedForwardTensors(lp: string, gated: boolean): TensorSpec[] {
  const wi = gated
    ? [...linearT(`${lp}DenseReluDense.wi_0`, T5.dFf, T5.dModel, false), ...linearT(`${lp}DenseReluDense.wi_1`, T5.dFf, T5.dModel, false)]
    : linearT(`${lp}DenseReluDense.wi`, T5.dFf, T5.dModel, false);
  return [...wi, ...linearT(`${lp}DenseReluDense.wo`, T5.dModel, T5.dFf, false), ...rmsNormT(`${lp}layer_norm`, T5.dModel)];
}

function t5Tensors(head: Head, gated: boolean, tied: boolean): TensorSpec[] {
  const encoder = range(T5.layers).flatMap((l) => [
    ...t5AttentionTensors(`encoder.block.${l}.layer.0.SelfAttention.`, l === 0),
    ...rmsNormT(`encoder.block.${l}.layer.0.layer_norm`, T5.dModel),
    ...t5FeedForwardTensors(`encoder.block.${l}.layer.1.`, gated),
  ]);
  const decoder = range(T5.layers).flatMap((l) => [
    ...t5AttentionTensors(`decoder.block.${l}.layer.0.SelfAttention.`, l === 0),
    ...rmsNormT(`decoder.block.${l}.layer.0.layer_norm`, T5.dModel),
    ...t5AttentionTensors(`decoder.block.${l}.layer.1.EncDecAttention.`, false),
    ...rmsNormT(`decoder.block.${l}.layer.1.layer_norm`, T5.dModel),
    ...t5FeedForwardTensors(`decoder.block.${l}.layer.2.`, gated),
  ]);
  const model = [
    ...embeddingT('shared.weight', VOCAB, T5.dModel), // encoder/decoder.embed_tokens.weight alias it and are dropped
    ...encoder,
    ...rmsNormT('encoder.final_layer_norm', T5.dModel),
    ...decoder,
    ...rmsNormT('decoder.final_layer_norm', T5.dModel),
  ];
  if (head === 'base') return model;
  if (head !== 'seq2seq-lm') return unsupported('t5', head);
  return tied ? model : [...model, ...linearT('lm_head', VOCAB, T5.dModel, false)];
}

function unsupported(family: Family, head: Head): never {
  throw new Error(`hfCheckpoints: ${family} has no ${head} head here (supported: ${Object.keys(ARCHITECTURES[family]).join(', ')})`);
}

// ─── config.json ────────────────────────────────────────────────────────────────────────────────────────────────

const SEQUENCE_LABELS = ['negative', 'neutral', 'positive'];
const TOKEN_LABELS = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'];

/** id2label / label2id as PretrainedConfig serialises them (string keys in id2label). */
function labelMaps(head: Head, n: number): Record<string, unknown> {
  const names = head === 'token-classification' ? TOKEN_LABELS : SEQUENCE_LABELS;
  const labels = range(n).map((i) => names[i] ?? `LABEL_${i}`);
  return {
    id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])),
    label2id: Object.fromEntries(labels.map((l, i) => [l, i])),
  };
}

/** Keys every saved config carries (PretrainedConfig.to_diff_dict keeps model_type and transformers_version). */
function commonConfig(architecture: string, modelType: string): Record<string, unknown> {
  return { architectures: [architecture], model_type: modelType, torch_dtype: 'float32', transformers_version: TRANSFORMERS_VERSION };
}

/** Model-specific keys as bert-base-uncased / roberta-base / distilbert-base-uncased / albert-base-v2 / gpt2 / t5-small write them. */
function familyConfig(family: Family, t5v11: boolean): Record<string, unknown> {
  switch (family) {
    case 'bert':
      return { attention_probs_dropout_prob: 0.1, classifier_dropout: null, hidden_act: 'gelu', hidden_dropout_prob: 0.1, hidden_size: HIDDEN, initializer_range: 0.02, intermediate_size: INTERMEDIATE, layer_norm_eps: 1e-12, max_position_embeddings: MAX_POSITIONS, num_attention_heads: HEADS, num_hidden_layers: LAYERS, pad_token_id: 0, position_embedding_type: 'absolute', type_vocab_size: 2, use_cache: true, vocab_size: VOCAB };
    case 'roberta':
      return { attention_probs_dropout_prob: 0.1, bos_token_id: 0, classifier_dropout: null, eos_token_id: 2, hidden_act: 'gelu', hidden_dropout_prob: 0.1, hidden_size: HIDDEN, initializer_range: 0.02, intermediate_size: INTERMEDIATE, layer_norm_eps: 1e-5, max_position_embeddings: MAX_POSITIONS, num_attention_heads: HEADS, num_hidden_layers: LAYERS, pad_token_id: 1, position_embedding_type: 'absolute', type_vocab_size: 1, use_cache: true, vocab_size: VOCAB };
    case 'distilbert':
      return { activation: 'gelu', attention_dropout: 0.1, dim: HIDDEN, dropout: 0.1, hidden_dim: INTERMEDIATE, initializer_range: 0.02, max_position_embeddings: MAX_POSITIONS, n_heads: HEADS, n_layers: LAYERS, pad_token_id: 0, qa_dropout: 0.1, seq_classif_dropout: 0.2, sinusoidal_pos_embds: false, tie_weights_: true, vocab_size: VOCAB };
    case 'albert':
      return { attention_probs_dropout_prob: 0, bos_token_id: 2, classifier_dropout_prob: 0.1, embedding_size: ALBERT_EMBEDDING, eos_token_id: 3, hidden_act: 'gelu_new', hidden_dropout_prob: 0, hidden_size: HIDDEN, initializer_range: 0.02, inner_group_num: 1, intermediate_size: INTERMEDIATE, layer_norm_eps: 1e-12, max_position_embeddings: MAX_POSITIONS, num_attention_heads: HEADS, num_hidden_groups: 1, num_hidden_layers: LAYERS, pad_token_id: 0, position_embedding_type: 'absolute', type_vocab_size: 2, vocab_size: VOCAB };
    case 'gpt2':
      return { activation_function: 'gelu_new', attn_pdrop: 0.1, bos_token_id: VOCAB - 1, embd_pdrop: 0.1, eos_token_id: VOCAB - 1, initializer_range: 0.02, layer_norm_epsilon: 1e-5, n_ctx: MAX_POSITIONS, n_embd: HIDDEN, n_head: HEADS, n_inner: INTERMEDIATE, n_layer: LAYERS, n_positions: MAX_POSITIONS, reorder_and_upcast_attn: false, resid_pdrop: 0.1, scale_attn_by_inverse_layer_idx: false, scale_attn_weights: true, summary_activation: null, summary_first_dropout: 0.1, summary_proj_to_labels: true, summary_type: 'cls_index', summary_use_proj: true, use_cache: true, vocab_size: VOCAB };
    case 't5':
      return {
        classifier_dropout: 0, d_ff: T5.dFf, d_kv: T5.dKv, d_model: T5.dModel, decoder_start_token_id: 0, dense_act_fn: t5v11 ? 'gelu_new' : 'relu', dropout_rate: 0.1, eos_token_id: 1,
        feed_forward_proj: t5v11 ? 'gated-gelu' : 'relu', initializer_factor: 1, is_encoder_decoder: true, is_gated_act: t5v11, layer_norm_epsilon: 1e-6, num_decoder_layers: T5.layers, num_heads: T5.heads, num_layers: T5.layers,
        pad_token_id: 0, relative_attention_max_distance: T5.maxDistance, relative_attention_num_buckets: T5.buckets, use_cache: true, vocab_size: VOCAB, ...(t5v11 ? { tie_word_embeddings: false } : {}),
      };
  }
}

/** Config-class defaults (configuration_*.py __init__) of the keys "omit-defaults" drops; dense_act_fn/is_gated_act are derived. */
const CLASS_DEFAULTS: Readonly<Record<Family, Record<string, unknown>>> = {
  bert: { hidden_act: 'gelu', layer_norm_eps: 1e-12, type_vocab_size: 2, pad_token_id: 0, position_embedding_type: 'absolute', hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1, initializer_range: 0.02, use_cache: true, classifier_dropout: null },
  roberta: { hidden_act: 'gelu', layer_norm_eps: 1e-12, pad_token_id: 1, bos_token_id: 0, eos_token_id: 2, position_embedding_type: 'absolute', hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1, initializer_range: 0.02, use_cache: true, classifier_dropout: null },
  distilbert: { activation: 'gelu', sinusoidal_pos_embds: false, pad_token_id: 0, dropout: 0.1, attention_dropout: 0.1, qa_dropout: 0.1, seq_classif_dropout: 0.2, initializer_range: 0.02, tie_weights_: true },
  albert: { hidden_act: 'gelu_new', layer_norm_eps: 1e-12, type_vocab_size: 2, num_hidden_groups: 1, inner_group_num: 1, pad_token_id: 0, bos_token_id: 2, eos_token_id: 3, position_embedding_type: 'absolute', classifier_dropout_prob: 0.1, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0, initializer_range: 0.02 },
  gpt2: { activation_function: 'gelu_new', layer_norm_epsilon: 1e-5, scale_attn_weights: true, scale_attn_by_inverse_layer_idx: false, reorder_and_upcast_attn: false, resid_pdrop: 0.1, embd_pdrop: 0.1, attn_pdrop: 0.1, initializer_range: 0.02, use_cache: true },
  t5: { feed_forward_proj: 'relu', layer_norm_epsilon: 1e-6, dropout_rate: 0.1, initializer_factor: 1, is_encoder_decoder: true, use_cache: true, pad_token_id: 0, eos_token_id: 1, classifier_dropout: 0, dense_act_fn: '(derived)', is_gated_act: '(derived)' },
};

function omitDefaults(family: Family, config: Record<string, unknown>): Record<string, unknown> {
  const defaults = CLASS_DEFAULTS[family];
  return Object.fromEntries(
    Object.entries(config).filter(([k, v]) => !(k in defaults) || (defaults[k] !== '(derived)' && defaults[k] !== v)),
  );
}

function buildConfig(opts: FixtureOptions, flags: Flags, labels: number): Record<string, unknown> {
  const architecture = ARCHITECTURES[opts.family][opts.head] ?? unsupported(opts.family, opts.head);
  const classification = opts.head === 'sequence-classification' || opts.head === 'token-classification';
  const config = {
    ...commonConfig(architecture, opts.family),
    ...familyConfig(opts.family, flags.t5v11),
    ...(classification ? labelMaps(opts.head, labels) : {}),
  };
  return flags.omitDefaults ? omitDefaults(opts.family, config) : config;
}

/** json.dumps(config, indent=2, sort_keys=True) + "\n", as PretrainedConfig.to_json_string writes it. */
function sortedJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sort(x)]));
    return v;
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}

// ─── tokenizer.json ─────────────────────────────────────────────────────────────────────────────────────────────

const WORDS = ['the', 'a', 'dog', 'cat', 'sat', 'on', 'mat', 'is', 'good', 'bad', 'movie', 'was', 'not', 'very', 'fun', 'and', 'it', 'i', 'you', 'we'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz'.split('');

function addedTokens(specials: readonly (readonly [string, number])[]): unknown[] {
  return specials.map(([content, id]) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }));
}

/** Appends `candidates` (skipping duplicates), then "[unusedN]" pieces, until the vocabulary has `size` entries. */
function fillVocab(vocab: Map<string, number>, candidates: readonly string[], size = VOCAB): void {
  let unused = 0;
  for (const c of candidates) if (vocab.size < size && !vocab.has(c)) vocab.set(c, vocab.size);
  while (vocab.size < size) vocab.set(`[unused${unused++}]`, vocab.size);
}

function template(single: string[], pair: string[], specials: readonly (readonly [string, number])[]): unknown {
  const piece = (s: string): unknown => {
    const [name, type] = s.split(':');
    const typeId = Number(type ?? 0);
    return name?.startsWith('$') ? { Sequence: { id: name.slice(1), type_id: typeId } } : { SpecialToken: { id: name, type_id: typeId } };
  };
  return {
    type: 'TemplateProcessing',
    single: single.map(piece),
    pair: pair.map(piece),
    special_tokens: Object.fromEntries(specials.map(([t, id]) => [t, { id: t, ids: [id], tokens: [t] }])),
  };
}

/** BERT / DistilBERT: WordPiece, [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 [MASK]=4. */
function wordPieceTokenizer(): unknown {
  const specials = [['[PAD]', 0], ['[UNK]', 1], ['[CLS]', 2], ['[SEP]', 3], ['[MASK]', 4]] as const;
  const vocab = new Map<string, number>(specials.map(([t, id]) => [t, id]));
  fillVocab(vocab, [...WORDS, '.', ',', '!', '?', '##s', '##ing', '##ed', ...LETTERS, ...LETTERS.map((l) => `##${l}`)]);
  return {
    version: '1.0', truncation: null, padding: null, added_tokens: addedTokens(specials),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: template(['[CLS]', '$A', '[SEP]'], ['[CLS]', '$A', '[SEP]', '$B:1', '[SEP]:1'], specials.filter(([t]) => t === '[CLS]' || t === '[SEP]')),
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(vocab) },
  };
}

/** Byte-level BPE merges that build each of `words` left to right ("Ġ t" → "Ġt", "Ġt h" → "Ġth", …) until `limit` ids. */
function byteLevelMerges(vocab: Map<string, number>, words: readonly string[], limit: number): string[] {
  const merges: string[] = [];
  for (const word of words) {
    let left = word[0] ?? '';
    for (const ch of word.slice(1)) {
      const merged = left + ch;
      if (!vocab.has(merged)) {
        if (vocab.size >= limit) return merges;
        vocab.set(merged, vocab.size);
        merges.push(`${left} ${ch}`);
      }
      left = merged;
    }
  }
  return merges;
}

/** RoBERTa (<s>=0 <pad>=1 </s>=2 <unk>=3, <mask>=63) and GPT-2 (<|endoftext|>=63): byte-level BPE ("Ġ" = space). */
function byteLevelBpeTokenizer(family: 'roberta' | 'gpt2'): unknown {
  const roberta = family === 'roberta';
  const first = roberta ? ([['<s>', 0], ['<pad>', 1], ['</s>', 2], ['<unk>', 3]] as const) : [];
  const last = [roberta ? '<mask>' : '<|endoftext|>', VOCAB - 1] as const;
  const vocab = new Map<string, number>(first.map(([t, id]) => [t, id]));
  for (const c of ['Ġ', ...LETTERS]) vocab.set(c, vocab.size);
  const merges = byteLevelMerges(vocab, WORDS.map((w) => `Ġ${w}`), VOCAB - 1);
  fillVocab(vocab, [], VOCAB - 1);
  vocab.set(last[0], last[1]);
  return {
    version: '1.0', truncation: null, padding: null, added_tokens: addedTokens([...first, last]), normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: roberta, trim_offsets: true, use_regex: true },
    post_processor: roberta
      ? { type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0], trim_offsets: true, add_prefix_space: true }
      : { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: roberta ? '<unk>' : null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, vocab: Object.fromEntries(vocab), merges },
  };
}

/** ALBERT ([CLS] $A [SEP]) and T5 ($A </s>): SentencePiece-style Unigram with Metaspace "▁". */
function unigramTokenizer(family: 'albert' | 't5'): unknown {
  const specials = family === 'albert'
    ? ([['<pad>', 0], ['<unk>', 1], ['[CLS]', 2], ['[SEP]', 3], ['[MASK]', 4]] as const)
    : ([['<pad>', 0], ['</s>', 1], ['<unk>', 2]] as const);
  const vocab = new Map<string, number>(specials.map(([t, id]) => [t, id]));
  fillVocab(vocab, [...WORDS.map((w) => `▁${w}`), '▁', ...LETTERS, '.', ',']);
  const pieces = [...vocab.keys()].map((p, i): [string, number] => [p, i < specials.length ? 0 : -2 - i / 10]);
  const post = family === 'albert'
    ? template(['[CLS]', '$A', '[SEP]'], ['[CLS]', '$A', '[SEP]', '$B:1', '[SEP]:1'], specials.filter(([t]) => t === '[CLS]' || t === '[SEP]'))
    : template(['$A', '</s>'], ['$A', '</s>', '$B', '</s>'], specials.filter(([t]) => t === '</s>'));
  return {
    version: '1.0', truncation: null, padding: null, added_tokens: addedTokens(specials),
    normalizer: family === 'albert' ? { type: 'Lowercase' } : null,
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    post_processor: post,
    decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    model: { type: 'Unigram', unk_id: family === 'albert' ? 1 : 2, vocab: pieces, byte_fallback: false },
  };
}

function tokenizerJson(family: Family): unknown {
  switch (family) {
    case 'bert':
    case 'distilbert':
      return wordPieceTokenizer();
    case 'roberta':
    case 'gpt2':
      return byteLevelBpeTokenizer(family);
    case 'albert':
    case 't5':
      return unigramTokenizer(family);
  }
}

// ─── Writing ────────────────────────────────────────────────────────────────────────────────────────────────────

interface Flags {
  t5v11: boolean;
  tinyEmbeddings: boolean;
  omitDefaults: boolean;
}

function parseVariant(family: Family, variant: string | undefined): Flags {
  const flags: Flags = { t5v11: false, tinyEmbeddings: false, omitDefaults: false };
  for (const raw of (variant ?? '').split(',')) {
    const v = raw.trim();
    if (v === '') continue;
    if (family === 't5' && (v === 'v1.0' || v === 'v1.1')) flags.t5v11 = v === 'v1.1';
    else if (v === 'tiny-embeddings') flags.tinyEmbeddings = true;
    else if (v === 'omit-defaults') flags.omitDefaults = true;
    else throw new Error(`hfCheckpoints: unknown variant "${v}" for ${family}`);
  }
  return flags;
}

function tensorSpecs(opts: FixtureOptions, flags: Flags, labels: number): TensorSpec[] {
  switch (opts.family) {
    case 'bert':
      return bertTensors(opts.head, labels);
    case 'roberta':
      return robertaTensors(opts.head, labels);
    case 'distilbert':
      return distilbertTensors(opts.head, labels);
    case 'albert':
      return albertTensors(opts.head, labels);
    case 'gpt2':
      return gpt2Tensors(opts.head, labels);
    case 't5':
      return t5Tensors(opts.head, flags.t5v11, !flags.t5v11);
  }
}

/**
 * Writes `dir`/config.json, model.safetensors (F32, names sorted) and tokenizer.json for a tiny random model of
 * `opts.family` with the `opts.head` head class, and returns what it wrote. Creates `dir` if needed.
 */
export function writeHfCheckpoint(dir: string, opts: FixtureOptions): Fixture {
  const flags = parseVariant(opts.family, opts.variant);
  const labels = opts.numLabels ?? (opts.head === 'token-classification' ? TOKEN_LABELS.length : SEQUENCE_LABELS.length);
  const config = buildConfig(opts, flags, labels);
  const weights = fillTensors(tensorSpecs(opts, flags, labels), opts.seed ?? 1, flags.tinyEmbeddings);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), sortedJson(config));
  writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(weights));
  writeFileSync(join(dir, 'tokenizer.json'), `${JSON.stringify(tokenizerJson(opts.family), null, 2)}\n`);
  return { dir, config, weights };
}

/**
 * A typical unpadded input for the family (no pad ids, so RoBERTa positions are 2…T+1): BERT-likes
 * [CLS] w… [SEP], RoBERTa <s> w… </s>, GPT-2 plain ids, T5 ids ending in </s> with decoder ids starting at pad (0).
 */
export function exampleInput(family: Family): { ids: number[]; decoderIds?: number[] } {
  switch (family) {
    case 'bert':
    case 'distilbert':
    case 'albert':
      return { ids: [2, 7, 12, 33, 9, 50, 3] };
    case 'roberta':
      return { ids: [0, 7, 12, 33, 9, 50, 2] };
    case 'gpt2':
      return { ids: [5, 17, 40, 9, 62, 23] };
    case 't5':
      return { ids: [5, 17, 40, 9, 62, 1], decoderIds: [0, 8, 31, 14] };
  }
}
