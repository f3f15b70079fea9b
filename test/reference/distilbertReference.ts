/**
 * DistilBERT forward pass, following transformers/models/distilbert/modeling_distilbert.py: Embeddings (no token
 * types), TransformerBlock (post-norm, every LayerNorm eps=1e-12 hard-coded, not read from the config) and the heads.
 */
import { architecture, basePrefix, bool, multiHeadAttention, num, param, str, type Config, type ReferenceOutput, type Weights } from './common';
import { activation, add, embed, layerNorm, linear, map, relu, toArrays, type Mat } from './mathRef';

/** nn.LayerNorm(dim, eps=1e-12) everywhere in modeling_distilbert.py; DistilBertConfig has no eps key. */
export const DISTILBERT_EPS = 1e-12;

interface DistilConfig {
  dim: number;
  heads: number;
  layers: number;
  /** get_activation(config.activation), default "gelu". */
  act: (x: number) => number;
}

function distilConfig(config: Config): DistilConfig {
  return {
    dim: num(config, 'dim'),
    heads: num(config, 'n_heads'),
    layers: num(config, 'n_layers'),
    act: activation(str(config, 'activation', 'gelu')),
  };
}

/** Embeddings.forward: LayerNorm(word[id] + position[0..T-1]). Sinusoidal tables are stored like learned ones. */
function distilEmbeddings(weights: Weights, p: string, ids: readonly number[]): Mat {
  const words = embed(param(weights, `${p}embeddings.word_embeddings.weight`), ids);
  const positions = embed(param(weights, `${p}embeddings.position_embeddings.weight`), ids.map((_, i) => i));
  return layerNorm(add(words, positions), param(weights, `${p}embeddings.LayerNorm.weight`), param(weights, `${p}embeddings.LayerNorm.bias`), DISTILBERT_EPS);
}

/** TransformerBlock.forward: sa_layer_norm(out_lin(attn) + x), then output_layer_norm(lin2(act(lin1(·))) + ·). */
function distilBlock(weights: Weights, lp: string, x: Mat, c: DistilConfig): { hidden: Mat; probs: number[][][] } {
  const w = (name: string) => param(weights, `${lp}${name}`);
  const headDim = c.dim / c.heads;
  const { context, probs } = multiHeadAttention({
    q: linear(x, w('attention.q_lin.weight'), w('attention.q_lin.bias')),
    k: linear(x, w('attention.k_lin.weight'), w('attention.k_lin.bias')),
    v: linear(x, w('attention.v_lin.weight'), w('attention.v_lin.bias')),
    numHeads: c.heads,
    headDim,
    scale: 1 / Math.sqrt(headDim), // q / sqrt(dim_per_head) before the matmul: the same scores
    causal: false,
  });
  const sa = layerNorm(add(linear(context, w('attention.out_lin.weight'), w('attention.out_lin.bias')), x), w('sa_layer_norm.weight'), w('sa_layer_norm.bias'), DISTILBERT_EPS);
  const ff = linear(map(linear(sa, w('ffn.lin1.weight'), w('ffn.lin1.bias')), c.act), w('ffn.lin2.weight'), w('ffn.lin2.bias'));
  return { hidden: layerNorm(add(ff, sa), w('output_layer_norm.weight'), w('output_layer_norm.bias'), DISTILBERT_EPS), probs };
}

/** DistilBertForMaskedLM: vocab_transform → activation → vocab_layer_norm → vocab_projector (weight tied to word embeddings). */
function distilMlmHead(config: Config, weights: Weights, p: string, hidden: Mat, c: DistilConfig): Mat {
  const t = map(linear(hidden, param(weights, 'vocab_transform.weight'), param(weights, 'vocab_transform.bias')), c.act);
  const n = layerNorm(t, param(weights, 'vocab_layer_norm.weight'), param(weights, 'vocab_layer_norm.bias'), DISTILBERT_EPS);
  const tied = bool(config, 'tie_word_embeddings', true);
  const projector = param(weights, tied ? `${p}embeddings.word_embeddings.weight` : 'vocab_projector.weight');
  return linear(n, projector, param(weights, 'vocab_projector.bias'));
}

/** DistilBertForSequenceClassification: hidden[0] → pre_classifier → ReLU → classifier. */
function distilSequenceHead(weights: Weights, hidden: Mat): number[] {
  const pooled = map(linear(hidden.slice(0, 1), param(weights, 'pre_classifier.weight'), param(weights, 'pre_classifier.bias')), relu);
  return Array.from(linear(pooled, param(weights, 'classifier.weight'), param(weights, 'classifier.bias'))[0] ?? []);
}

/** DistilBertModel / ForMaskedLM / ForSequenceClassification / ForTokenClassification. */
export function distilbertForward(config: Config, weights: Weights, ids: readonly number[]): ReferenceOutput {
  const arch = architecture(config);
  const p = basePrefix(weights, 'distilbert', 'embeddings.word_embeddings.weight');
  const c = distilConfig(config);
  let hidden = distilEmbeddings(weights, p, ids);
  const attentions: number[][][][] = [];
  for (let l = 0; l < c.layers; l++) {
    const out = distilBlock(weights, `${p}transformer.layer.${l}.`, hidden, c);
    hidden = out.hidden;
    attentions.push(out.probs);
  }
  const out = (logits: ReferenceOutput['logits']): ReferenceOutput => ({ hidden: toArrays(hidden), logits, attentions });
  switch (arch) {
    case 'DistilBertModel':
      return out(null);
    case 'DistilBertForMaskedLM':
      return out(toArrays(distilMlmHead(config, weights, p, hidden, c)));
    case 'DistilBertForSequenceClassification':
      return out(distilSequenceHead(weights, hidden));
    case 'DistilBertForTokenClassification':
      return out(toArrays(linear(hidden, param(weights, 'classifier.weight'), param(weights, 'classifier.bias'))));
    default:
      throw new Error(`reference: DistilBERT architecture ${arch} is not implemented`);
  }
}
