/**
 * T5 forward pass, following transformers/models/t5/modeling_t5.py and configuration_t5.py: T5Attention (no
 * 1/√d scaling, relative position bias from the first block, shared by the stack), T5LayerNorm (RMS), pre-norm blocks.
 */
import { architecture, bool, multiHeadAttention, num, param, str, type Config, type ReferenceOutput, type Weights } from './common';
import { activation, add, embed, linear, map, multiply, rmsNorm, scale, toArrays, type Mat } from './mathRef';

export interface T5Config {
  dModel: number;
  dKv: number;
  heads: number;
  encoderLayers: number;
  decoderLayers: number;
  numBuckets: number;
  maxDistance: number;
  /** layer_norm_epsilon, default 1e-6 (every T5LayerNorm). */
  eps: number;
  act: (x: number) => number;
  gated: boolean;
}

/**
 * T5Config.__init__: feed_forward_proj "relu" → dense_act_fn "relu"; "gated-X" → gated with X, except "gated-gelu",
 * which maps to "gelu_new" for backwards compatibility. Explicit dense_act_fn / is_gated_act keys in config.json
 * override (PretrainedConfig sets leftover kwargs as attributes after the derivation).
 */
export function t5Config(config: Config): T5Config {
  const proj = str(config, 'feed_forward_proj', 'relu');
  const parts = proj.split('-');
  const derivedAct = proj === 'gated-gelu' ? 'gelu_new' : (parts[parts.length - 1] ?? proj);
  const layers = num(config, 'num_layers', 6);
  return {
    dModel: num(config, 'd_model'),
    dKv: num(config, 'd_kv'),
    heads: num(config, 'num_heads'),
    encoderLayers: layers,
    decoderLayers: num(config, 'num_decoder_layers', layers),
    numBuckets: num(config, 'relative_attention_num_buckets', 32),
    maxDistance: num(config, 'relative_attention_max_distance', 128),
    eps: num(config, 'layer_norm_epsilon', 1e-6),
    act: activation(str(config, 'dense_act_fn', derivedAct)),
    gated: bool(config, 'is_gated_act', parts[0] === 'gated'),
  };
}

/**
 * T5Attention._relative_position_bucket for one relative position (memory − query). Bidirectional: half the buckets
 * for keys after the query. Per direction, distances below max_exact = buckets/2 get their own bucket; larger ones
 * max_exact + ⌊log(d / max_exact) / log(max_distance / max_exact) · (buckets − max_exact)⌋, capped at buckets − 1.
 * The logarithm is evaluated in float32 (Math.fround) as torch does on `relative_position.float()`.
 */
export function relativePositionBucket(relativePosition: number, bidirectional: boolean, numBuckets: number, maxDistance: number): number {
  let buckets = numBuckets;
  let offset = 0;
  let distance: number;
  if (bidirectional) {
    buckets = Math.floor(buckets / 2);
    if (relativePosition > 0) offset = buckets;
    distance = Math.abs(relativePosition);
  } else {
    distance = -Math.min(relativePosition, 0);
  }
  const maxExact = Math.floor(buckets / 2);
  if (distance < maxExact) return offset + distance;
  const f = Math.fround;
  const logRatio = f(Math.log(f(distance / maxExact)));
  const scaled = f(f(logRatio / f(Math.log(maxDistance / maxExact))) * (buckets - maxExact));
  return offset + Math.min(maxExact + Math.trunc(scaled), buckets - 1);
}

/** T5Attention.compute_bias: [head][query][key] = relative_attention_bias[bucket(key − query)][head]. */
export function relativePositionBias(weights: Weights, name: string, tq: number, tk: number, bidirectional: boolean, c: T5Config): number[][][] {
  const table = param(weights, name, [c.numBuckets, c.heads]);
  return Array.from({ length: c.heads }, (_, h) =>
    Array.from({ length: tq }, (_, i) =>
      Array.from({ length: tk }, (_, j) => {
        const bucket = relativePositionBucket(j - i, bidirectional, c.numBuckets, c.maxDistance);
        return table.data[bucket * c.heads + h] ?? NaN;
      }),
    ),
  );
}

interface SublayerArgs {
  weights: Weights;
  /** e.g. "decoder.block.1.layer.1." (the sublayer: its layer_norm and attention module). */
  lp: string;
  module: 'SelfAttention' | 'EncDecAttention';
  x: Mat;
  /** Cross-attention: keys and values come from the encoder output; self-attention: from layer_norm(x). */
  encoderHidden?: Mat;
  /** The stack's shared position bias (self-attention only; cross-attention has none). */
  bias?: number[][][];
  causal: boolean;
  c: T5Config;
}

/**
 * T5LayerSelfAttention / T5LayerCrossAttention: x + o(attention(layer_norm(x))), where T5Attention has q, k, v, o
 * without biases and scores = q kᵀ + position_bias (no 1/√d scaling).
 */
function t5AttentionSublayer(s: SublayerArgs): { hidden: Mat; probs: number[][][] } {
  const w = (name: string) => param(s.weights, `${s.lp}${s.module}.${name}.weight`);
  const n = rmsNorm(s.x, param(s.weights, `${s.lp}layer_norm.weight`), s.c.eps);
  const kv = s.encoderHidden ?? n;
  const { context, probs } = multiHeadAttention({
    q: linear(n, w('q')),
    k: linear(kv, w('k')),
    v: linear(kv, w('v')),
    numHeads: s.c.heads,
    headDim: s.c.dKv,
    scale: 1,
    causal: s.causal,
    ...(s.bias === undefined ? {} : { bias: s.bias }),
  });
  return { hidden: add(s.x, linear(context, w('o'))), probs };
}

/** T5LayerFF: x + DenseReluDense(layer_norm(x)); DenseReluDense = wo(act(wi ·)) or wo(act(wi_0 ·) ⊙ wi_1 ·) when gated. */
function t5FeedForward(weights: Weights, lp: string, x: Mat, c: T5Config): Mat {
  const w = (name: string) => param(weights, `${lp}${name}`);
  const n = rmsNorm(x, w('layer_norm.weight'), c.eps);
  const inner = c.gated
    ? multiply(map(linear(n, w('DenseReluDense.wi_0.weight')), c.act), linear(n, w('DenseReluDense.wi_1.weight')))
    : map(linear(n, w('DenseReluDense.wi.weight')), c.act);
  return add(x, linear(inner, w('DenseReluDense.wo.weight')));
}

export interface T5StackResult {
  hidden: Mat;
  attentions: number[][][][];
  crossAttentions: number[][][][];
}

/** T5Stack (encoder): embed_tokens = shared, block.N.layer.0 self-attention (bidirectional bias), layer.1 FF, final_layer_norm. */
export function t5Encoder(weights: Weights, ids: readonly number[], c: T5Config): T5StackResult {
  let hidden = embed(param(weights, 'shared.weight'), ids);
  const bias = relativePositionBias(weights, 'encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight', ids.length, ids.length, true, c);
  const attentions: number[][][][] = [];
  for (let l = 0; l < c.encoderLayers; l++) {
    const lp = `encoder.block.${l}.layer.`;
    const sa = t5AttentionSublayer({ weights, lp: `${lp}0.`, module: 'SelfAttention', x: hidden, bias, causal: false, c });
    attentions.push(sa.probs);
    hidden = t5FeedForward(weights, `${lp}1.`, sa.hidden, c);
  }
  return { hidden: rmsNorm(hidden, param(weights, 'encoder.final_layer_norm.weight'), c.eps), attentions, crossAttentions: [] };
}

/** T5Stack (decoder): causal self-attention (unidirectional bias), layer.1 cross-attention (no bias), layer.2 FF. */
export function t5Decoder(weights: Weights, decoderIds: readonly number[], encoderHidden: Mat, c: T5Config): T5StackResult {
  let hidden = embed(param(weights, 'shared.weight'), decoderIds);
  const n = decoderIds.length;
  const bias = relativePositionBias(weights, 'decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight', n, n, false, c);
  const attentions: number[][][][] = [];
  const crossAttentions: number[][][][] = [];
  for (let l = 0; l < c.decoderLayers; l++) {
    const lp = `decoder.block.${l}.layer.`;
    const sa = t5AttentionSublayer({ weights, lp: `${lp}0.`, module: 'SelfAttention', x: hidden, bias, causal: true, c });
    const ca = t5AttentionSublayer({ weights, lp: `${lp}1.`, module: 'EncDecAttention', x: sa.hidden, encoderHidden, causal: false, c });
    attentions.push(sa.probs);
    crossAttentions.push(ca.probs);
    hidden = t5FeedForward(weights, `${lp}2.`, ca.hidden, c);
  }
  return { hidden: rmsNorm(hidden, param(weights, 'decoder.final_layer_norm.weight'), c.eps), attentions, crossAttentions };
}

/**
 * T5ForConditionalGeneration's LM head: with tie_word_embeddings (default true) the decoder output is rescaled by
 * d_model^-0.5 and projected on shared.weight; untied (T5 v1.1) it is projected on lm_head.weight unscaled.
 */
function t5LmHead(config: Config, weights: Weights, hidden: Mat, c: T5Config): Mat {
  if (bool(config, 'tie_word_embeddings', true)) return linear(scale(hidden, c.dModel ** -0.5), param(weights, 'shared.weight'));
  return linear(hidden, param(weights, 'lm_head.weight'));
}

/** T5Model / T5ForConditionalGeneration on (ids, decoderIds). */
export function t5Forward(config: Config, weights: Weights, ids: readonly number[], decoderIds: readonly number[] | undefined): ReferenceOutput {
  const arch = architecture(config);
  if (decoderIds === undefined || decoderIds.length === 0) throw new Error('reference: T5 needs decoder ids');
  const c = t5Config(config);
  const enc = t5Encoder(weights, ids, c);
  const dec = t5Decoder(weights, decoderIds, enc.hidden, c);
  let logits: number[][] | null;
  if (arch === 'T5Model') logits = null;
  else if (arch === 'T5ForConditionalGeneration') logits = toArrays(t5LmHead(config, weights, dec.hidden, c));
  else throw new Error(`reference: T5 architecture ${arch} is not implemented`);
  return {
    hidden: toArrays(dec.hidden),
    logits,
    attentions: dec.attentions,
    encoder_hidden: toArrays(enc.hidden),
    encoder_attentions: enc.attentions,
    decoder_attentions: dec.attentions,
    cross_attentions: dec.crossAttentions,
  };
}
