/**
 * A BERT-style Transformer encoder (Devlin et al., 2019), read top to bottom in dependency
 * order: embeddings → self-attention → feed-forward → layer → encoder. Post-norm placement and
 * the tensor names of Hugging Face's BertModel; attention probabilities returned on request.
 */
import { tf, type Tensor } from '../backend/tf';
import type { BertConfig } from './bertConfig';
import { activation } from './ops/activations';
import { embeddingLookup } from './ops/embeddingLookup';
import { layerNorm } from './ops/layerNorm';
import { linear, matMul } from './ops/matMul';
import type { ParamSpec, ParameterStore } from './parameters';

export interface EncoderInputs {
  /** [B, T] int32 token ids. */
  readonly inputIds: Tensor;
  /** [B, T] int32, 1 for real tokens, 0 for padding. */
  readonly attentionMask: Tensor;
  /** [B, T] int32 segment ids (0 for single texts). */
  readonly tokenTypeIds: Tensor;
}

export interface ForwardOptions {
  /** Dropout is active only when training. */
  readonly training: boolean;
  /** Draws a fresh dropout seed; called once per dropout site so a run is reproducible. */
  readonly nextSeed: () => number;
  readonly outputAttentions?: boolean;
}

export interface EncoderOutput {
  /** [B, T, H] last hidden state. */
  readonly hidden: Tensor;
  /** Per layer [B, heads, T, T] attention probabilities (empty unless requested). */
  readonly attentions: Tensor[];
}

const linearSpecs = (name: string, inDim: number, outDim: number): ParamSpec[] => [
  { name: `${name}.weight`, shape: [inDim, outDim], init: 'normal', transposedInCheckpoint: true },
  { name: `${name}.bias`, shape: [outDim], init: 'zeros', transposedInCheckpoint: false },
];
const normSpecs = (name: string, dim: number): ParamSpec[] => [
  { name: `${name}.weight`, shape: [dim], init: 'ones', transposedInCheckpoint: false },
  { name: `${name}.bias`, shape: [dim], init: 'zeros', transposedInCheckpoint: false },
];
const tableSpec = (name: string, rows: number, dim: number): ParamSpec => ({
  name: `${name}.weight`, shape: [rows, dim], init: 'normal', transposedInCheckpoint: false,
});

/** The encoder's parameters under `prefix` (e.g. "bert"), in HF naming. */
export function bertEncoderSpecs(c: BertConfig, prefix: string): ParamSpec[] {
  const H = c.hiddenSize;
  const specs: ParamSpec[] = [
    tableSpec(`${prefix}.embeddings.word_embeddings`, c.vocabSize, H),
    tableSpec(`${prefix}.embeddings.position_embeddings`, c.maxPositions, H),
    tableSpec(`${prefix}.embeddings.token_type_embeddings`, c.typeVocabSize, H),
    ...normSpecs(`${prefix}.embeddings.LayerNorm`, H),
  ];
  for (let i = 0; i < c.numLayers; i++) {
    const l = `${prefix}.encoder.layer.${i}`;
    specs.push(
      ...linearSpecs(`${l}.attention.self.query`, H, H),
      ...linearSpecs(`${l}.attention.self.key`, H, H),
      ...linearSpecs(`${l}.attention.self.value`, H, H),
      ...linearSpecs(`${l}.attention.output.dense`, H, H),
      ...normSpecs(`${l}.attention.output.LayerNorm`, H),
      ...linearSpecs(`${l}.intermediate.dense`, H, c.intermediateSize),
      ...linearSpecs(`${l}.output.dense`, c.intermediateSize, H),
      ...normSpecs(`${l}.output.LayerNorm`, H),
    );
  }
  return specs;
}

export function dropout(x: Tensor, rate: number, opts: ForwardOptions): Tensor {
  return opts.training && rate > 0 ? tf.dropout(x, rate, undefined, opts.nextSeed()) : x;
}

function dense(p: ParameterStore, name: string, x: Tensor): Tensor {
  return linear(x, p.get(`${name}.weight`), p.get(`${name}.bias`));
}

function norm(p: ParameterStore, name: string, x: Tensor, eps: number): Tensor {
  return layerNorm(x, p.get(`${name}.weight`), p.get(`${name}.bias`), eps);
}

function embeddings(p: ParameterStore, prefix: string, c: BertConfig, inputs: EncoderInputs, opts: ForwardOptions): Tensor {
  const [B, T] = inputs.inputIds.shape as [number, number];
  if (T > c.maxPositions) throw new Error(`sequence length ${T} exceeds max_position_embeddings ${c.maxPositions}`);
  const e = `${prefix}.embeddings`;
  const positions = tf.tile(tf.expandDims(tf.range(0, T, 1, 'int32'), 0), [B, 1]); // [B, T]
  const sum = tf.addN([
    embeddingLookup(p.get(`${e}.word_embeddings.weight`), inputs.inputIds), // [B, T, H]
    embeddingLookup(p.get(`${e}.position_embeddings.weight`), positions),
    embeddingLookup(p.get(`${e}.token_type_embeddings.weight`), inputs.tokenTypeIds),
  ]);
  return dropout(norm(p, `${e}.LayerNorm`, sum, c.layerNormEps), c.hiddenDropout, opts);
}

/** [B, T] mask of 1/0 → [B, 1, 1, T] additive bias: 0 where attended, -1e9 where padded. */
export function attentionBias(attentionMask: Tensor): Tensor {
  const [B, T] = attentionMask.shape as [number, number];
  const masked = tf.sub(1, tf.cast(attentionMask, 'float32'));
  return tf.reshape(tf.mul(masked, -1e9), [B, 1, 1, T]);
}

function splitHeads(x: Tensor, heads: number): Tensor {
  const [B, T, H] = x.shape as [number, number, number];
  // [B, T, H] -> [B, T, heads, D] -> [B, heads, T, D]
  return tf.transpose(tf.reshape(x, [B, T, heads, H / heads]), [0, 2, 1, 3]);
}

function selfAttention(
  p: ParameterStore, l: string, c: BertConfig, x: Tensor, bias: Tensor, opts: ForwardOptions,
): { out: Tensor; probs: Tensor } {
  const [B, T, H] = x.shape as [number, number, number];
  const D = H / c.numHeads;
  const q = splitHeads(dense(p, `${l}.attention.self.query`, x), c.numHeads); // [B, h, T, D]
  const k = splitHeads(dense(p, `${l}.attention.self.key`, x), c.numHeads);
  const v = splitHeads(dense(p, `${l}.attention.self.value`, x), c.numHeads);
  const kT = tf.transpose(k, [0, 1, 3, 2]); // [B, h, D, T]: explicit, see ops/matMul.ts
  const scores = tf.add(tf.mul(matMul(q, kT), 1 / Math.sqrt(D)), bias); // [B, h, T, T]
  const probs = tf.softmax(scores);
  const context = matMul(dropout(probs, c.attentionDropout, opts), v); // [B, h, T, D]
  const merged = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [B, T, H]); // [B, T, H]
  const projected = dropout(dense(p, `${l}.attention.output.dense`, merged), c.hiddenDropout, opts);
  return { out: norm(p, `${l}.attention.output.LayerNorm`, tf.add(projected, x), c.layerNormEps), probs };
}

function feedForward(p: ParameterStore, l: string, c: BertConfig, x: Tensor, opts: ForwardOptions): Tensor {
  const act = activation(c.hiddenAct);
  const inner = act(dense(p, `${l}.intermediate.dense`, x)); // [B, T, I]
  const out = dropout(dense(p, `${l}.output.dense`, inner), c.hiddenDropout, opts); // [B, T, H]
  return norm(p, `${l}.output.LayerNorm`, tf.add(out, x), c.layerNormEps);
}

/** Runs embeddings and every layer. Call inside tf.tidy (or tf.variableGrads). */
export function bertEncoder(
  p: ParameterStore, prefix: string, c: BertConfig, inputs: EncoderInputs, opts: ForwardOptions,
): EncoderOutput {
  let h = embeddings(p, prefix, c, inputs, opts);
  const bias = attentionBias(inputs.attentionMask);
  const attentions: Tensor[] = [];
  for (let i = 0; i < c.numLayers; i++) {
    const l = `${prefix}.encoder.layer.${i}`;
    const { out, probs } = selfAttention(p, l, c, h, bias, opts);
    if (opts.outputAttentions === true) attentions.push(probs);
    h = feedForward(p, l, c, out, opts);
  }
  return { hidden: h, attentions };
}
