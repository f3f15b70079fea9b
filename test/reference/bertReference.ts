/**
 * BERT forward pass in plain float64 arrays, following transformers/models/bert/modeling_bert.py (eager attention):
 * BertEmbeddings, BertLayer (post-norm), BertPooler and the MaskedLM / SequenceClassification / TokenClassification heads.
 */
import { architecture, basePrefix, bool, multiHeadAttention, num, param, str, type Config, type ReferenceOutput, type Weights } from './common';
import { activation, add, embed, layerNorm, linear, map, toArrays, type Mat } from './mathRef';

/** The encoder hyper-parameters BertLayer reads from BertConfig (defaults: configuration_bert.py). */
export interface BertEncoderConfig {
  hidden: number;
  heads: number;
  layers: number;
  intermediate: number;
  /** layer_norm_eps, default 1e-12; used by every LayerNorm of the model and of the MLM head. */
  eps: number;
  /** ACT2FN[hidden_act], default "gelu" (exact erf). */
  act: (x: number) => number;
}

export function bertEncoderConfig(config: Config): BertEncoderConfig {
  return {
    hidden: num(config, 'hidden_size'),
    heads: num(config, 'num_attention_heads'),
    layers: num(config, 'num_hidden_layers'),
    intermediate: num(config, 'intermediate_size'),
    eps: num(config, 'layer_norm_eps', 1e-12),
    act: activation(str(config, 'hidden_act', 'gelu')),
  };
}

export interface EncoderResult {
  hidden: Mat;
  attentions: number[][][][];
}

/**
 * BertEmbeddings.forward: LayerNorm(word[id] + token_type[0] + position[positionIds]) (token_type_ids default to the
 * zero buffer; dropout is a no-op at inference). `p` is the base-model prefix ("bert.", "roberta." or "").
 */
export function bertEmbeddings(weights: Weights, p: string, ids: readonly number[], positionIds: readonly number[], eps: number): Mat {
  const words = embed(param(weights, `${p}embeddings.word_embeddings.weight`), ids);
  const types = embed(param(weights, `${p}embeddings.token_type_embeddings.weight`), ids.map(() => 0));
  const positions = embed(param(weights, `${p}embeddings.position_embeddings.weight`), positionIds);
  const sum = add(add(words, types), positions);
  return layerNorm(sum, param(weights, `${p}embeddings.LayerNorm.weight`), param(weights, `${p}embeddings.LayerNorm.bias`), eps);
}

/** BertLayer.forward: attention → (dense, +residual, LayerNorm) → intermediate act → (dense, +residual, LayerNorm). */
export function bertLayer(weights: Weights, lp: string, x: Mat, c: BertEncoderConfig): { hidden: Mat; probs: number[][][] } {
  const w = (name: string) => param(weights, `${lp}${name}`);
  const { context, probs } = multiHeadAttention({
    q: linear(x, w('attention.self.query.weight'), w('attention.self.query.bias')),
    k: linear(x, w('attention.self.key.weight'), w('attention.self.key.bias')),
    v: linear(x, w('attention.self.value.weight'), w('attention.self.value.bias')),
    numHeads: c.heads,
    headDim: c.hidden / c.heads,
    scale: 1 / Math.sqrt(c.hidden / c.heads),
    causal: false,
  });
  const attended = linear(context, w('attention.output.dense.weight'), w('attention.output.dense.bias'));
  const a = layerNorm(add(attended, x), w('attention.output.LayerNorm.weight'), w('attention.output.LayerNorm.bias'), c.eps);
  const inter = map(linear(a, w('intermediate.dense.weight'), w('intermediate.dense.bias')), c.act);
  const out = linear(inter, w('output.dense.weight'), w('output.dense.bias'));
  return { hidden: layerNorm(add(out, a), w('output.LayerNorm.weight'), w('output.LayerNorm.bias'), c.eps), probs };
}

/** BertEncoder.forward: the layers in order, collecting each layer's attention probabilities. */
export function bertEncoder(weights: Weights, p: string, x: Mat, c: BertEncoderConfig): EncoderResult {
  let hidden = x;
  const attentions: number[][][][] = [];
  for (let l = 0; l < c.layers; l++) {
    const out = bertLayer(weights, `${p}encoder.layer.${l}.`, hidden, c);
    hidden = out.hidden;
    attentions.push(out.probs);
  }
  return { hidden, attentions };
}

/** BertPooler: tanh(dense(hidden[0])), the [CLS] summary used by sequence classification. */
export function bertPooler(weights: Weights, p: string, hidden: Mat): Mat {
  const first = hidden.slice(0, 1);
  return map(linear(first, param(weights, `${p}pooler.dense.weight`), param(weights, `${p}pooler.dense.bias`)), Math.tanh);
}

/**
 * BertOnlyMLMHead: transform (dense → hidden_act → LayerNorm) then the decoder, whose weight is tied to the word
 * embeddings (PreTrainedModel.tie_weights, tie_word_embeddings default true) and whose bias is cls.predictions.bias.
 */
function bertMlmHead(config: Config, weights: Weights, p: string, hidden: Mat, c: BertEncoderConfig): Mat {
  const t = map(linear(hidden, param(weights, 'cls.predictions.transform.dense.weight'), param(weights, 'cls.predictions.transform.dense.bias')), c.act);
  const n = layerNorm(t, param(weights, 'cls.predictions.transform.LayerNorm.weight'), param(weights, 'cls.predictions.transform.LayerNorm.bias'), c.eps);
  const tied = bool(config, 'tie_word_embeddings', true);
  const decoder = param(weights, tied ? `${p}embeddings.word_embeddings.weight` : 'cls.predictions.decoder.weight');
  return linear(n, decoder, param(weights, 'cls.predictions.bias'));
}

/** BertModel / BertForMaskedLM / BertForSequenceClassification / BertForTokenClassification, by architectures[0]. */
export function bertForward(config: Config, weights: Weights, ids: readonly number[]): ReferenceOutput {
  const arch = architecture(config);
  const p = basePrefix(weights, 'bert', 'embeddings.word_embeddings.weight');
  const c = bertEncoderConfig(config);
  const positions = ids.map((_, i) => i);
  const { hidden, attentions } = bertEncoder(weights, p, bertEmbeddings(weights, p, ids, positions, c.eps), c);
  const out = (logits: ReferenceOutput['logits']): ReferenceOutput => ({ hidden: toArrays(hidden), logits, attentions });
  switch (arch) {
    case 'BertModel':
      return out(null);
    case 'BertForMaskedLM':
      return out(toArrays(bertMlmHead(config, weights, p, hidden, c)));
    case 'BertForSequenceClassification': {
      const logits = linear(bertPooler(weights, p, hidden), param(weights, 'classifier.weight'), param(weights, 'classifier.bias'));
      return out(Array.from(logits[0] ?? []));
    }
    case 'BertForTokenClassification':
      return out(toArrays(linear(hidden, param(weights, 'classifier.weight'), param(weights, 'classifier.bias'))));
    default:
      throw new Error(`reference: BERT architecture ${arch} is not implemented`);
  }
}
