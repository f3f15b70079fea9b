/**
 * The building blocks every family is assembled from, in dependency order: dropout, dense,
 * norms (LayerNorm, T5's RMS norm), scaled dot-product attention (masks, relative bias, KV
 * cache, probabilities returned), feed-forward (plain or gated) and the residual wrapper
 * (post-norm as in BERT, pre-norm as in GPT-2 and T5). No family-specific code lives here.
 */
import { tf, type Tensor } from '../backend/tf';
import { activation, type Activation } from './ops/activations';
import { dropoutMask } from './ops/dropout';
import { layerNorm } from './ops/layerNorm';
import { linear, matMul } from './ops/matMul';
import type { ParameterStore } from './parameters';

export interface ForwardOptions {
  /** Dropout is active only when training. */
  readonly training: boolean;
  /** Draws a fresh dropout seed; called once per dropout site so a run is reproducible. */
  readonly nextSeed: () => number;
  readonly outputAttentions?: boolean;
  /** Also return every layer's hidden state (embeddings first, as HF's output_hidden_states). */
  readonly outputHiddenStates?: boolean;
  /**
   * Decoder LM heads (GPT-2, T5): logits for the last position only ([B, 1, V]), as decoding
   * needs; the prompt pass then skips the vocabulary projection of every other position.
   */
  readonly lastPositionLogits?: boolean;
}

export const INFERENCE: ForwardOptions = Object.freeze({ training: false, nextSeed: () => 0 });

/** Keys and values of earlier positions, per layer: [B, heads, Tpast, D]. */
export interface KeyValue {
  readonly k: Tensor;
  readonly v: Tensor;
}

export function dropout(x: Tensor, rate: number, opts: ForwardOptions): Tensor {
  return opts.training && rate > 0 ? dropoutMask(x, rate, opts.nextSeed()) : x;
}

export function dense(x: Tensor, w: Tensor, b: Tensor | null): Tensor {
  return linear(x, w, b);
}

/**
 * The linear module `name` of a model: x·W (+ b), plus its adapter (LoRA) when one is attached.
 * Every linear layer of every family goes through here, so adapters can target any of them.
 */
export function project(p: ParameterStore, x: Tensor, name: string, opts: ForwardOptions, bias = true): Tensor {
  const y = dense(x, p.get(`${name}.weight`), bias ? p.get(`${name}.bias`) : null);
  const adapter = p.adapter(name);
  return adapter === undefined ? y : tf.add(y, adapter.apply(x, opts.training, opts.nextSeed));
}

/** T5LayerNorm: x · rsqrt(mean(x²) + eps) · w — no mean subtraction, no bias. */
export function rmsNorm(x: Tensor, w: Tensor, eps: number): Tensor {
  const variance = tf.mean(tf.mul(x, x), -1, true);
  return tf.mul(tf.mul(x, tf.rsqrt(tf.add(variance, eps))), w);
}

export function norm(x: Tensor, w: Tensor, b: Tensor | null, eps: number): Tensor {
  return b === null ? rmsNorm(x, w, eps) : layerNorm(x, w, b, eps);
}

/** [B, T, h·D] → [B, h, T, D] */
function splitHeads(x: Tensor, heads: number): Tensor {
  const [B, T, HD] = x.shape as [number, number, number];
  return tf.transpose(tf.reshape(x, [B, T, heads, HD / heads]), [0, 2, 1, 3]);
}

/** [B, h, T, D] → [B, T, h·D] */
function mergeHeads(x: Tensor): Tensor {
  const [B, h, T, D] = x.shape as [number, number, number, number];
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [B, T, h * D]);
}

export interface AttentionResult {
  /** [B, Tq, h·D] context, before the output projection. */
  readonly context: Tensor;
  /** [B, h, Tq, Tk] attention probabilities. */
  readonly probs: Tensor;
  /** Keys and values including this call's, for the next decoding step. */
  readonly present: KeyValue;
}

/**
 * softmax(q·kᵀ·scale + bias)·v over heads. q [B, Tq, h·D], k and v [B, Tk, h·D] (already
 * projected); `bias` broadcasts to [B, h, Tq, Tk] (padding mask, causal mask, relative bias);
 * `past` is prepended to k and v (the KV cache: each new token costs O(T), not O(T²)).
 */
export function attention(
  q: Tensor, k: Tensor, v: Tensor, heads: number, scale: number, bias: Tensor | null, dropoutRate: number,
  opts: ForwardOptions, past: KeyValue | null = null,
): AttentionResult {
  const qh = splitHeads(q, heads); // [B, h, Tq, D]
  let kh = splitHeads(k, heads); // [B, h, Tk, D]
  let vh = splitHeads(v, heads);
  if (past !== null) {
    kh = tf.concat([past.k, kh], 2);
    vh = tf.concat([past.v, vh], 2);
  }
  const kT = tf.transpose(kh, [0, 1, 3, 2]); // [B, h, D, Tk]: explicit, see ops/matMul.ts
  let scores = matMul(qh, kT); // [B, h, Tq, Tk]
  if (scale !== 1) scores = tf.mul(scores, scale);
  if (bias !== null) scores = tf.add(scores, bias);
  const probs = tf.softmax(scores);
  const context = mergeHeads(matMul(dropout(probs, dropoutRate, opts), vh)); // [B, Tq, h·D]
  return { context, probs, present: { k: kh, v: vh } };
}

/** A large negative number for masked scores; finite so a fully masked row stays finite. */
export const MASKED = -1e9;

/** [B, T] 1/0 mask → [B, 1, 1, T] additive bias. */
export function paddingBias(attentionMask: Tensor): Tensor {
  const [B, T] = attentionMask.shape as [number, number];
  return tf.reshape(tf.mul(tf.sub(1, tf.cast(attentionMask, 'float32')), MASKED), [B, 1, 1, T]);
}

/** [1, 1, Tq, Tpast+Tq] bias letting query i see keys ≤ Tpast + i. */
export function causalBias(tq: number, tpast: number): Tensor {
  const tk = tpast + tq;
  const data = new Float32Array(tq * tk);
  for (let i = 0; i < tq; i++) for (let j = tpast + i + 1; j < tk; j++) data[i * tk + j] = MASKED;
  return tf.tensor4d(data, [1, 1, tq, tk]);
}

export interface FeedForwardModules {
  /** Plain: `in`. Gated (T5 v1.1): `in` is wi_0 (activated), `gate` is wi_1 (linear). */
  readonly in: string;
  readonly gate: string | null;
  readonly out: string;
  readonly bias: boolean;
}

export function feedForward(p: ParameterStore, x: Tensor, m: FeedForwardModules, act: Activation, dropoutRate: number, opts: ForwardOptions): Tensor {
  let inner = activation(act)(project(p, x, m.in, opts, m.bias)); // [B, T, I]
  if (m.gate !== null) inner = tf.mul(inner, project(p, x, m.gate, opts, m.bias));
  return project(p, dropout(inner, dropoutRate, opts), m.out, opts, m.bias); // [B, T, H]
}

/**
 * The residual connection around a sub-layer. Post-norm (BERT): norm(x + drop(f(x))).
 * Pre-norm (GPT-2, T5): x + drop(f(norm(x))).
 */
export function residual(
  x: Tensor, sublayer: (input: Tensor) => Tensor, normalize: (input: Tensor) => Tensor,
  placement: 'pre' | 'post', dropoutRate: number, opts: ForwardOptions,
): Tensor {
  if (placement === 'post') return normalize(tf.add(x, dropout(sublayer(x), dropoutRate, opts)));
  return tf.add(x, dropout(sublayer(normalize(x)), dropoutRate, opts));
}
