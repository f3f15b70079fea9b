/**
 * The post-norm Transformer encoder shared by BERT, RoBERTa, DistilBERT and ALBERT: one layer
 * implementation, configured by a layout that names each family's tensors. ALBERT's layout
 * returns the same names for every layer (cross-layer sharing) and adds an embedding projection.
 */
import { tf, type Tensor } from '../backend/tf';
import { attention, project, dropout, feedForward, norm, paddingBias, residual, type ForwardOptions } from './blocks';
import type { TransformerConfig } from './config';
import type { ModelInputs } from './modelIo';
import { embeddingLookup } from './ops/embeddingLookup';
import type { ParamSpec, ParameterStore } from './parameters';
import { embeddingSpec, layerNormSpec, linearSpec } from './paramSpecs';

/** Tensor-name prefixes (without ".weight"/".bias") of one encoder layer. */
export interface EncoderLayerNames {
  readonly query: string;
  readonly key: string;
  readonly value: string;
  readonly output: string;
  readonly attentionNorm: string;
  readonly ffnIn: string;
  readonly ffnOut: string;
  readonly outputNorm: string;
}

export interface EncoderLayout {
  readonly word: string;
  readonly position: string;
  /** null: the family has no segment embeddings (DistilBERT). */
  readonly tokenType: string | null;
  readonly embeddingNorm: string;
  /** ALBERT: Linear from embedding width to hidden width. */
  readonly embeddingProjection: string | null;
  /** RoBERTa numbers positions from padding_idx + 1 and skips padding. */
  readonly positionIds: 'range' | 'after-padding';
  layer(i: number): EncoderLayerNames;
}

function uniqueByName(specs: ParamSpec[]): ParamSpec[] {
  const seen = new Set<string>();
  return specs.filter((s) => !seen.has(s.name) && seen.add(s.name) !== undefined);
}

export function encoderSpecs(c: TransformerConfig, l: EncoderLayout): ParamSpec[] {
  const H = c.hiddenSize;
  const E = c.embeddingSize;
  const specs: ParamSpec[] = [embeddingSpec(l.word, c.vocabSize, E), embeddingSpec(l.position, c.maxPositions, E)];
  if (l.tokenType !== null) specs.push(embeddingSpec(l.tokenType, c.typeVocabSize, E));
  specs.push(...layerNormSpec(l.embeddingNorm, E));
  if (l.embeddingProjection !== null) specs.push(...linearSpec(l.embeddingProjection, E, H));
  for (let i = 0; i < c.numLayers; i++) {
    const n = l.layer(i);
    const inner = c.numHeads * c.headDim;
    specs.push(
      ...linearSpec(n.query, H, inner), ...linearSpec(n.key, H, inner), ...linearSpec(n.value, H, inner),
      ...linearSpec(n.output, inner, H), ...layerNormSpec(n.attentionNorm, H),
      ...linearSpec(n.ffnIn, H, c.intermediateSize), ...linearSpec(n.ffnOut, c.intermediateSize, H), ...layerNormSpec(n.outputNorm, H),
    );
  }
  return uniqueByName(specs);
}

const w = (p: ParameterStore, name: string): Tensor => p.get(`${name}.weight`);
const b = (p: ParameterStore, name: string): Tensor => p.get(`${name}.bias`);

/** HF's create_position_ids_from_input_ids: padding_idx + cumulative count of real tokens. */
function positionIds(ids: Tensor, mode: EncoderLayout['positionIds'], padId: number): Tensor {
  const [B, T] = ids.shape as [number, number];
  if (mode === 'range') return tf.tile(tf.expandDims(tf.range(0, T, 1, 'int32'), 0), [B, 1]);
  const notPad = tf.cast(tf.notEqual(ids, padId), 'int32');
  return tf.add(tf.mul(tf.cumsum(notPad, 1), notPad), tf.scalar(padId, 'int32')); // stays int32 for the lookup
}

/** Longest input the position table allows (RoBERTa loses padding_idx + 1 rows to its offset). */
export function maxInputLength(c: TransformerConfig, l: EncoderLayout): number {
  return l.positionIds === 'after-padding' ? c.maxPositions - c.padTokenId - 1 : c.maxPositions;
}

function embed(p: ParameterStore, c: TransformerConfig, l: EncoderLayout, inputs: ModelInputs, opts: ForwardOptions): Tensor {
  const [B, T] = inputs.inputIds.shape as [number, number];
  const parts = [
    embeddingLookup(w(p, l.word), inputs.inputIds), // [B, T, E]
    embeddingLookup(w(p, l.position), positionIds(inputs.inputIds, l.positionIds, c.padTokenId)),
  ];
  if (l.tokenType !== null) parts.push(embeddingLookup(w(p, l.tokenType), inputs.tokenTypeIds ?? tf.zeros([B, T], 'int32')));
  let x = dropout(norm(tf.addN(parts), w(p, l.embeddingNorm), b(p, l.embeddingNorm), c.normEps), c.hiddenDropout, opts);
  if (l.embeddingProjection !== null) x = project(p, x, l.embeddingProjection, opts); // [B, T, E] -> [B, T, H]
  return x;
}

function encoderLayer(p: ParameterStore, c: TransformerConfig, n: EncoderLayerNames, x: Tensor, bias: Tensor, opts: ForwardOptions): { out: Tensor; probs: Tensor } {
  let probs: Tensor | null = null;
  const selfAttention = (h: Tensor): Tensor => {
    const q = project(p, h, n.query, opts);
    const k = project(p, h, n.key, opts);
    const v = project(p, h, n.value, opts);
    const r = attention(q, k, v, c.numHeads, 1 / Math.sqrt(c.headDim), bias, c.attentionDropout, opts);
    probs = r.probs;
    return project(p, r.context, n.output, opts);
  };
  const normalize = (name: string) => (h: Tensor): Tensor => norm(h, w(p, name), b(p, name), c.normEps);
  const afterAttention = residual(x, selfAttention, normalize(n.attentionNorm), 'post', c.hiddenDropout, opts);
  const ffn = (h: Tensor): Tensor =>
    feedForward(p, h, { in: n.ffnIn, gate: null, out: n.ffnOut, bias: true }, c.activation, 0, opts);
  const out = residual(afterAttention, ffn, normalize(n.outputNorm), 'post', c.hiddenDropout, opts);
  return { out, probs: probs as unknown as Tensor };
}

/** Embeddings and every layer: [B, T] ids → [B, T, H], with per-layer attention probabilities. */
export function encoderForward(
  p: ParameterStore, c: TransformerConfig, l: EncoderLayout, inputs: ModelInputs, opts: ForwardOptions,
): { hidden: Tensor; attentions: Tensor[]; hiddenStates: Tensor[] } {
  const [, T] = inputs.inputIds.shape as [number, number];
  if (T > maxInputLength(c, l)) throw new Error(`sequence length ${T} exceeds the model's maximum of ${maxInputLength(c, l)} tokens`);
  let h = embed(p, c, l, inputs, opts);
  const bias = paddingBias(inputs.attentionMask);
  const attentions: Tensor[] = [];
  const hiddenStates: Tensor[] = opts.outputHiddenStates === true ? [h] : [];
  for (let i = 0; i < c.numLayers; i++) {
    const { out, probs } = encoderLayer(p, c, l.layer(i), h, bias, opts);
    if (opts.outputAttentions === true) attentions.push(probs);
    h = out;
    if (opts.outputHiddenStates === true) hiddenStates.push(h);
  }
  return { hidden: h, attentions, hiddenStates };
}
