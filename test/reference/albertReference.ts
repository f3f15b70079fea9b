/**
 * ALBERT forward pass, following transformers/models/albert/modeling_albert.py: factorised embeddings projected by
 * embedding_hidden_mapping_in, AlbertTransformer's shared layer groups (AlbertLayer, post-norm), pooler and heads.
 */
import { bertEmbeddings } from './bertReference';
import { architecture, basePrefix, bool, multiHeadAttention, num, param, str, type Config, type ReferenceOutput, type Weights } from './common';
import { activation, add, layerNorm, linear, map, toArrays, type Mat } from './mathRef';

export interface AlbertConfig {
  hidden: number;
  heads: number;
  layers: number;
  groups: number;
  innerGroupNum: number;
  /** layer_norm_eps, default 1e-12 (embeddings, both layer norms and the MLM head's LayerNorm). */
  eps: number;
  /** ACT2FN[hidden_act]; AlbertConfig's default is "gelu_new". */
  act: (x: number) => number;
}

export function albertConfig(config: Config): AlbertConfig {
  return {
    hidden: num(config, 'hidden_size'),
    heads: num(config, 'num_attention_heads'),
    layers: num(config, 'num_hidden_layers'),
    groups: num(config, 'num_hidden_groups', 1),
    innerGroupNum: num(config, 'inner_group_num', 1),
    eps: num(config, 'layer_norm_eps', 1e-12),
    act: activation(str(config, 'hidden_act', 'gelu_new')),
  };
}

/**
 * AlbertLayer.forward: a = LayerNorm(x + dense(attn(x))) (AlbertAttention owns dense and LayerNorm), then
 * full_layer_layer_norm(ffn_output(act(ffn(a))) + a). `lp` is e.g. "albert.encoder.albert_layer_groups.0.albert_layers.0.".
 */
export function albertLayer(weights: Weights, lp: string, x: Mat, c: AlbertConfig): { hidden: Mat; probs: number[][][] } {
  const w = (name: string) => param(weights, `${lp}${name}`);
  const headDim = c.hidden / c.heads;
  const { context, probs } = multiHeadAttention({
    q: linear(x, w('attention.query.weight'), w('attention.query.bias')),
    k: linear(x, w('attention.key.weight'), w('attention.key.bias')),
    v: linear(x, w('attention.value.weight'), w('attention.value.bias')),
    numHeads: c.heads,
    headDim,
    scale: 1 / Math.sqrt(headDim),
    causal: false,
  });
  const projected = linear(context, w('attention.dense.weight'), w('attention.dense.bias'));
  const a = layerNorm(add(x, projected), w('attention.LayerNorm.weight'), w('attention.LayerNorm.bias'), c.eps);
  const ffn = linear(map(linear(a, w('ffn.weight'), w('ffn.bias')), c.act), w('ffn_output.weight'), w('ffn_output.bias'));
  return { hidden: layerNorm(add(ffn, a), w('full_layer_layer_norm.weight'), w('full_layer_layer_norm.bias'), c.eps), probs };
}

/**
 * AlbertTransformer.forward: project embeddings to hidden_size, then for i in 0..num_hidden_layers-1 run layer group
 * ⌊i / (num_hidden_layers / num_hidden_groups)⌋, i.e. its inner_group_num layers in order; the weights are shared.
 */
export function albertTransformer(weights: Weights, p: string, embeddings: Mat, c: AlbertConfig): { hidden: Mat; attentions: number[][][][] } {
  let hidden = linear(embeddings, param(weights, `${p}encoder.embedding_hidden_mapping_in.weight`), param(weights, `${p}encoder.embedding_hidden_mapping_in.bias`));
  const attentions: number[][][][] = [];
  for (let i = 0; i < c.layers; i++) {
    const group = Math.floor(i / (c.layers / c.groups));
    for (let j = 0; j < c.innerGroupNum; j++) {
      const out = albertLayer(weights, `${p}encoder.albert_layer_groups.${group}.albert_layers.${j}.`, hidden, c);
      hidden = out.hidden;
      attentions.push(out.probs);
    }
  }
  return { hidden, attentions };
}

/** AlbertMLMHead: dense (hidden → embedding_size) → act → LayerNorm → decoder (tied to word embeddings) + predictions.bias. */
function albertMlmHead(config: Config, weights: Weights, p: string, hidden: Mat, c: AlbertConfig): Mat {
  const t = map(linear(hidden, param(weights, 'predictions.dense.weight'), param(weights, 'predictions.dense.bias')), c.act);
  const n = layerNorm(t, param(weights, 'predictions.LayerNorm.weight'), param(weights, 'predictions.LayerNorm.bias'), c.eps);
  const tied = bool(config, 'tie_word_embeddings', true);
  const decoder = param(weights, tied ? `${p}embeddings.word_embeddings.weight` : 'predictions.decoder.weight');
  return linear(n, decoder, param(weights, 'predictions.bias'));
}

/** AlbertModel's pooler (a bare nn.Linear named "pooler") and tanh on token 0, then the classifier. */
function albertSequenceHead(weights: Weights, p: string, hidden: Mat): number[] {
  const pooled = map(linear(hidden.slice(0, 1), param(weights, `${p}pooler.weight`), param(weights, `${p}pooler.bias`)), Math.tanh);
  return Array.from(linear(pooled, param(weights, 'classifier.weight'), param(weights, 'classifier.bias'))[0] ?? []);
}

/** AlbertModel / ForMaskedLM / ForSequenceClassification / ForTokenClassification. */
export function albertForward(config: Config, weights: Weights, ids: readonly number[]): ReferenceOutput {
  const arch = architecture(config);
  const p = basePrefix(weights, 'albert', 'embeddings.word_embeddings.weight');
  const c = albertConfig(config);
  const embeddings = bertEmbeddings(weights, p, ids, ids.map((_, i) => i), c.eps); // AlbertEmbeddings = BertEmbeddings at embedding_size
  const { hidden, attentions } = albertTransformer(weights, p, embeddings, c);
  const out = (logits: ReferenceOutput['logits']): ReferenceOutput => ({ hidden: toArrays(hidden), logits, attentions });
  switch (arch) {
    case 'AlbertModel':
      return out(null);
    case 'AlbertForMaskedLM':
      return out(toArrays(albertMlmHead(config, weights, p, hidden, c)));
    case 'AlbertForSequenceClassification':
      return out(albertSequenceHead(weights, p, hidden));
    case 'AlbertForTokenClassification':
      return out(toArrays(linear(hidden, param(weights, 'classifier.weight'), param(weights, 'classifier.bias'))));
    default:
      throw new Error(`reference: ALBERT architecture ${arch} is not implemented`);
  }
}
