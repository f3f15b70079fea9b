/**
 * GPT-2 forward pass, following transformers/models/gpt2/modeling_gpt2.py (GPT2Attention._attn, eager): pre-norm
 * GPT2Block with Conv1D weights stored [in, out], causal attention, ln_f, the tied LM head and the classifiers.
 */
import { architecture, basePrefix, bool, multiHeadAttention, num, param, str, type Config, type ReferenceOutput, type Weights } from './common';
import { activation, add, columns, conv1d, embed, layerNorm, linear, map, toArrays, type Mat } from './mathRef';

interface Gpt2Config {
  hidden: number;
  heads: number;
  layers: number;
  /** layer_norm_epsilon, default 1e-5 (ln_1, ln_2, ln_f). */
  eps: number;
  /** ACT2FN[activation_function], default "gelu_new" (tanh approximation). */
  act: (x: number) => number;
  scaleAttnWeights: boolean;
  scaleByInverseLayerIdx: boolean;
}

function gpt2Config(config: Config): Gpt2Config {
  return {
    hidden: num(config, 'n_embd'),
    heads: num(config, 'n_head'),
    layers: num(config, 'n_layer'),
    eps: num(config, 'layer_norm_epsilon', 1e-5),
    act: activation(str(config, 'activation_function', 'gelu_new')),
    scaleAttnWeights: bool(config, 'scale_attn_weights', true),
    scaleByInverseLayerIdx: bool(config, 'scale_attn_by_inverse_layer_idx', false),
  };
}

/** GPT2Attention: c_attn → split q | k | v along features → causal softmax(q kᵀ / √d) v → c_proj. */
function gpt2Attention(weights: Weights, lp: string, x: Mat, layer: number, c: Gpt2Config): { out: Mat; probs: number[][][] } {
  const qkv = conv1d(x, param(weights, `${lp}attn.c_attn.weight`, [c.hidden, 3 * c.hidden]), param(weights, `${lp}attn.c_attn.bias`));
  const headDim = c.hidden / c.heads;
  let scale = c.scaleAttnWeights ? 1 / Math.sqrt(headDim) : 1;
  if (c.scaleByInverseLayerIdx) scale /= layer + 1;
  const { context, probs } = multiHeadAttention({
    q: columns(qkv, 0, c.hidden),
    k: columns(qkv, c.hidden, c.hidden),
    v: columns(qkv, 2 * c.hidden, c.hidden),
    numHeads: c.heads,
    headDim,
    scale,
    causal: true,
  });
  return { out: conv1d(context, param(weights, `${lp}attn.c_proj.weight`), param(weights, `${lp}attn.c_proj.bias`)), probs };
}

/** GPT2Block.forward: x + attn(ln_1(x)), then + mlp(ln_2(·)) with GPT2MLP = c_proj(act(c_fc(·))). */
function gpt2Block(weights: Weights, lp: string, x: Mat, layer: number, c: Gpt2Config): { hidden: Mat; probs: number[][][] } {
  const w = (name: string) => param(weights, `${lp}${name}`);
  const { out, probs } = gpt2Attention(weights, lp, layerNorm(x, w('ln_1.weight'), w('ln_1.bias'), c.eps), layer, c);
  const h = add(out, x);
  const m = conv1d(map(conv1d(layerNorm(h, w('ln_2.weight'), w('ln_2.bias'), c.eps), w('mlp.c_fc.weight'), w('mlp.c_fc.bias')), c.act), w('mlp.c_proj.weight'), w('mlp.c_proj.bias'));
  return { hidden: add(h, m), probs };
}

/**
 * GPT2ForSequenceClassification's pooled row: the last token when config.pad_token_id is unset, otherwise the last
 * token that is not pad_token_id (`(arange(T) * (ids != pad)).argmax(-1)` in current transformers; older versions
 * took the token before the first pad — the same row whenever the ids hold no pad id, as in this contract).
 */
export function gpt2ClassificationIndex(ids: readonly number[], padTokenId: number | null): number {
  if (padTokenId === null) return ids.length - 1;
  let last = 0;
  ids.forEach((id, i) => {
    if (id !== padTokenId) last = i;
  });
  return last;
}

function padTokenId(config: Config): number | null {
  const v = config['pad_token_id'];
  return typeof v === 'number' ? v : null;
}

/** GPT2Model / GPT2LMHeadModel / GPT2ForSequenceClassification / GPT2ForTokenClassification. */
export function gpt2Forward(config: Config, weights: Weights, ids: readonly number[]): ReferenceOutput {
  const arch = architecture(config);
  const p = basePrefix(weights, 'transformer', 'wte.weight');
  const c = gpt2Config(config);
  let hidden = add(embed(param(weights, `${p}wte.weight`), ids), embed(param(weights, `${p}wpe.weight`), ids.map((_, i) => i)));
  const attentions: number[][][][] = [];
  for (let l = 0; l < c.layers; l++) {
    const out = gpt2Block(weights, `${p}h.${l}.`, hidden, l, c);
    hidden = out.hidden;
    attentions.push(out.probs);
  }
  hidden = layerNorm(hidden, param(weights, `${p}ln_f.weight`), param(weights, `${p}ln_f.bias`), c.eps);
  const out = (logits: ReferenceOutput['logits']): ReferenceOutput => ({ hidden: toArrays(hidden), logits, attentions });
  switch (arch) {
    case 'GPT2Model':
      return out(null);
    case 'GPT2LMHeadModel': {
      const tied = bool(config, 'tie_word_embeddings', true);
      return out(toArrays(linear(hidden, param(weights, tied ? `${p}wte.weight` : 'lm_head.weight')))); // lm_head has no bias
    }
    case 'GPT2ForSequenceClassification': {
      const i = gpt2ClassificationIndex(ids, padTokenId(config));
      const row = hidden.slice(i, i + 1);
      return out(Array.from(linear(row, param(weights, 'score.weight'))[0] ?? [])); // score has no bias
    }
    case 'GPT2ForTokenClassification':
      return out(toArrays(linear(hidden, param(weights, 'classifier.weight'), param(weights, 'classifier.bias'))));
    default:
      throw new Error(`reference: GPT-2 architecture ${arch} is not implemented`);
  }
}
