/**
 * T5 (Raffel et al., 2020): a pre-norm encoder–decoder with RMS norms, no biases, unscaled
 * attention plus a bucketed relative position bias (computed by each stack's first layer and
 * shared by all its layers), ReLU (v1.0) or gated-GELU (v1.1) feed-forward, and an LM head
 * that is either tied to the shared embedding (output rescaled by d_model^-0.5) or separate.
 */
import { tf, type Tensor } from '../../backend/tf';
import { attention, causalBias, project, dropout, feedForward, paddingBias, residual, rmsNorm, type ForwardOptions, type KeyValue } from '../blocks';
import type { TransformerConfig } from '../config';
import type { ConfigReader } from '../configKeys';
import type { FamilyDefinition } from '../family';
import { headPositions, tiedLogits } from '../headOps';
import type { ModelInputs, ModelOutput } from '../modelIo';
import { embeddingLookup } from '../ops/embeddingLookup';
import type { ParamSpec, ParameterStore } from '../parameters';
import { embeddingSpec, layerNormSpec, linearSpec } from '../paramSpecs';
import { relativePositionBias } from '../relativePosition';
import { parseActivation } from '../ops/activations';
import { UserError } from '../../errors';

const T5_SIZES = {
  tiny: { d: 128, kv: 64, heads: 2, ff: 512, layers: 2 },
  mini: { d: 256, kv: 64, heads: 4, ff: 1024, layers: 4 },
  small: { d: 512, kv: 64, heads: 8, ff: 2048, layers: 6 },
} as const;

function parse(r: ConfigReader, head: TransformerConfig['head'], labels: readonly string[]): TransformerConfig {
  const proj = r.str('feed_forward_proj', 'relu');
  if (proj !== 'relu' && proj !== 'gated-gelu') throw new UserError(`${r.source}: feed_forward_proj "${proj}" is not supported. Supported: relu (T5 v1.0), gated-gelu (T5 v1.1).`);
  // Newer configs spell the derived values out; when present they win, as in HF's T5Config.
  const act = parseActivation(r.str('dense_act_fn', proj === 'relu' ? 'relu' : 'gelu_new'), r.source);
  const gated = r.bool('is_gated_act', proj === 'gated-gelu');
  const layers = r.int('num_layers', 6);
  return {
    family: 't5', head, labels, hfConfig: r.json,
    vocabSize: r.int('vocab_size'), hiddenSize: r.int('d_model'), embeddingSize: r.int('d_model'),
    numLayers: layers, numDecoderLayers: r.optionalInt('num_decoder_layers') ?? layers,
    numHeads: r.int('num_heads'), headDim: r.int('d_kv'), intermediateSize: r.int('d_ff'),
    activation: act, gatedFfn: gated,
    normEps: r.num('layer_norm_epsilon', 1e-6), maxPositions: 0, typeVocabSize: 0,
    relativeBuckets: r.int('relative_attention_num_buckets', 32), relativeMaxDistance: r.int('relative_attention_max_distance', 128),
    tieWordEmbeddings: r.bool('tie_word_embeddings', true), hiddenDropout: r.num('dropout_rate', 0.1), attentionDropout: r.num('dropout_rate', 0.1),
    classifierDropout: r.num('dropout_rate', 0.1), initializerRange: r.num('initializer_factor', 1.0),
    padTokenId: r.int('pad_token_id', 0), bosTokenId: null, eosTokenId: r.optionalInt('eos_token_id') ?? 1,
    decoderStartTokenId: r.optionalInt('decoder_start_token_id') ?? r.int('pad_token_id', 0),
  };
}

function attentionSpecs(name: string, c: TransformerConfig, withBias: boolean): ParamSpec[] {
  const d = c.hiddenSize;
  const inner = c.numHeads * c.headDim;
  const s = [...linearSpec(`${name}.q`, d, inner, false), ...linearSpec(`${name}.k`, d, inner, false), ...linearSpec(`${name}.v`, d, inner, false), ...linearSpec(`${name}.o`, inner, d, false)];
  if (withBias) s.push(embeddingSpec(`${name}.relative_attention_bias`, c.relativeBuckets, c.numHeads));
  return s;
}

function ffnSpecs(name: string, c: TransformerConfig): ParamSpec[] {
  const d = c.hiddenSize;
  const f = c.intermediateSize;
  const wi = c.gatedFfn ? [...linearSpec(`${name}.wi_0`, d, f, false), ...linearSpec(`${name}.wi_1`, d, f, false)] : linearSpec(`${name}.wi`, d, f, false);
  return [...wi, ...linearSpec(`${name}.wo`, f, d, false)];
}

/** HF T5PreTrainedModel._init_weights: per-tensor standard deviations scaled by initializer_factor. */
function t5InitStd(name: string, c: TransformerConfig): number {
  const f = c.initializerRange;
  const d = c.hiddenSize;
  const inner = c.numHeads * c.headDim;
  if (name === 'shared.weight' || name === 'lm_head.weight') return f * 1.0;
  if (/\.q\.weight$/.test(name)) return f * (d * c.headDim) ** -0.5;
  if (/\.[kv]\.weight$/.test(name)) return f * d ** -0.5;
  if (/\.o\.weight$/.test(name)) return f * inner ** -0.5;
  if (/\.wi(_[01])?\.weight$/.test(name)) return f * d ** -0.5;
  if (/\.wo\.weight$/.test(name)) return f * c.intermediateSize ** -0.5;
  if (name.endsWith('relative_attention_bias.weight')) return f * d ** -0.5;
  return f;
}

function specs(c: TransformerConfig): ParamSpec[] {
  return rawSpecs(c).map((s) => (s.init === 'normal' ? { ...s, std: t5InitStd(s.name, c) } : s));
}

function rawSpecs(c: TransformerConfig): ParamSpec[] {
  const d = c.hiddenSize;
  const out: ParamSpec[] = [embeddingSpec('shared', c.vocabSize, d)];
  for (let i = 0; i < c.numLayers; i++) {
    const l = `encoder.block.${i}.layer`;
    out.push(...attentionSpecs(`${l}.0.SelfAttention`, c, i === 0), ...layerNormSpec(`${l}.0.layer_norm`, d, false));
    out.push(...ffnSpecs(`${l}.1.DenseReluDense`, c), ...layerNormSpec(`${l}.1.layer_norm`, d, false));
  }
  out.push(...layerNormSpec('encoder.final_layer_norm', d, false));
  for (let i = 0; i < c.numDecoderLayers; i++) {
    const l = `decoder.block.${i}.layer`;
    out.push(...attentionSpecs(`${l}.0.SelfAttention`, c, i === 0), ...layerNormSpec(`${l}.0.layer_norm`, d, false));
    out.push(...attentionSpecs(`${l}.1.EncDecAttention`, c, false), ...layerNormSpec(`${l}.1.layer_norm`, d, false));
    out.push(...ffnSpecs(`${l}.2.DenseReluDense`, c), ...layerNormSpec(`${l}.2.layer_norm`, d, false));
  }
  out.push(...layerNormSpec('decoder.final_layer_norm', d, false));
  if (c.head === 'seq2seq-lm' && !c.tieWordEmbeddings) out.push(...linearSpec('lm_head', d, c.vocabSize, false));
  return out;
}

const w = (p: ParameterStore, name: string): Tensor => p.get(`${name}.weight`);

interface AttnOut { out: Tensor; probs: Tensor; present: KeyValue }

function t5Attention(p: ParameterStore, c: TransformerConfig, name: string, x: Tensor, kvSource: Tensor, bias: Tensor, opts: ForwardOptions, past: KeyValue | null): AttnOut {
  const q = project(p, x, `${name}.q`, opts, false);
  const k = project(p, kvSource, `${name}.k`, opts, false);
  const v = project(p, kvSource, `${name}.v`, opts, false);
  const r = attention(q, k, v, c.numHeads, 1, bias, c.attentionDropout, opts, past); // T5 does not scale by 1/√d
  return { out: project(p, r.context, `${name}.o`, opts, false), probs: r.probs, present: r.present };
}

function ffn(p: ParameterStore, c: TransformerConfig, name: string, x: Tensor, opts: ForwardOptions): Tensor {
  const modules = { in: c.gatedFfn ? `${name}.wi_0` : `${name}.wi`, gate: c.gatedFfn ? `${name}.wi_1` : null, out: `${name}.wo`, bias: false };
  return feedForward(p, x, modules, c.activation, c.hiddenDropout, opts);
}

/** One pre-norm sub-layer: x + drop(f(rms(x))), keeping f's attention probabilities. */
function sublayer(p: ParameterStore, c: TransformerConfig, normName: string, x: Tensor, opts: ForwardOptions, f: (h: Tensor) => AttnOut): AttnOut {
  let kept: AttnOut | null = null;
  const out = residual(x, (h) => {
    kept = f(h);
    return kept.out;
  }, (h) => rmsNorm(h, w(p, normName), c.normEps), 'pre', c.hiddenDropout, opts);
  const k = kept as unknown as AttnOut;
  return { out, probs: k.probs, present: k.present };
}

function encode(p: ParameterStore, c: TransformerConfig, inputs: ModelInputs, opts: ForwardOptions): { hidden: Tensor; attentions: Tensor[]; hiddenStates: Tensor[] } {
  const T = inputs.inputIds.shape[1] as number;
  let h = dropout(embeddingLookup(w(p, 'shared'), inputs.inputIds), c.hiddenDropout, opts);
  const positionBias = relativePositionBias(w(p, 'encoder.block.0.layer.0.SelfAttention.relative_attention_bias'), T, T, 0, true, c.relativeMaxDistance);
  const bias = tf.add(positionBias, paddingBias(inputs.attentionMask)); // [B, h, T, T]
  const attentions: Tensor[] = [];
  const hiddenStates: Tensor[] = opts.outputHiddenStates === true ? [h] : [];
  for (let i = 0; i < c.numLayers; i++) {
    const l = `encoder.block.${i}.layer`;
    const a = sublayer(p, c, `${l}.0.layer_norm`, h, opts, (x) => t5Attention(p, c, `${l}.0.SelfAttention`, x, x, bias, opts, null));
    if (opts.outputAttentions === true) attentions.push(a.probs);
    h = tf.add(a.out, dropout(ffn(p, c, `${l}.1.DenseReluDense`, rmsNorm(a.out, w(p, `${l}.1.layer_norm`), c.normEps), opts), c.hiddenDropout, opts));
    if (opts.outputHiddenStates === true) hiddenStates.push(h);
  }
  const hidden = dropout(rmsNorm(h, w(p, 'encoder.final_layer_norm'), c.normEps), c.hiddenDropout, opts);
  if (opts.outputHiddenStates === true) hiddenStates[hiddenStates.length - 1] = hidden;
  return { hidden, attentions, hiddenStates };
}

function forward(p: ParameterStore, c: TransformerConfig, inputs: ModelInputs, opts: ForwardOptions): ModelOutput {
  const enc = inputs.encoderHidden !== undefined ? { hidden: inputs.encoderHidden, attentions: [], hiddenStates: [] } : encode(p, c, inputs, opts);
  const decoderIds = inputs.decoderInputIds;
  if (decoderIds === undefined) throw new Error('T5 needs decoder input ids (decoder_start_token_id first)');
  const Td = decoderIds.shape[1] as number;
  const pastLength = inputs.past?.[0]?.k.shape[2] ?? 0;
  let h = dropout(embeddingLookup(w(p, 'shared'), decoderIds), c.hiddenDropout, opts);
  const selfBias = tf.add(
    relativePositionBias(w(p, 'decoder.block.0.layer.0.SelfAttention.relative_attention_bias'), Td, pastLength + Td, pastLength, false, c.relativeMaxDistance),
    causalBias(Td, pastLength),
  );
  const crossBias = paddingBias(inputs.attentionMask);
  const attentions: Tensor[] = [];
  const crossAttentions: Tensor[] = [];
  const present: KeyValue[] = [];
  const hiddenStates: Tensor[] = opts.outputHiddenStates === true ? [h] : [];
  for (let i = 0; i < c.numDecoderLayers; i++) {
    const l = `decoder.block.${i}.layer`;
    const a = sublayer(p, c, `${l}.0.layer_norm`, h, opts, (x) => t5Attention(p, c, `${l}.0.SelfAttention`, x, x, selfBias, opts, inputs.past?.[i] ?? null));
    const x = sublayer(p, c, `${l}.1.layer_norm`, a.out, opts, (y) => t5Attention(p, c, `${l}.1.EncDecAttention`, y, enc.hidden, crossBias, opts, null));
    if (opts.outputAttentions === true) {
      attentions.push(a.probs);
      crossAttentions.push(x.probs);
    }
    present.push(a.present);
    h = tf.add(x.out, dropout(ffn(p, c, `${l}.2.DenseReluDense`, rmsNorm(x.out, w(p, `${l}.2.layer_norm`), c.normEps), opts), c.hiddenDropout, opts));
    if (opts.outputHiddenStates === true) hiddenStates.push(h);
  }
  const hidden = dropout(rmsNorm(h, w(p, 'decoder.final_layer_norm'), c.normEps), c.hiddenDropout, opts);
  if (opts.outputHiddenStates === true) hiddenStates[hiddenStates.length - 1] = hidden;
  let logits: Tensor | null = null;
  if (c.head === 'seq2seq-lm') {
    logits = c.tieWordEmbeddings
      ? tiedLogits(tf.mul(headPositions(hidden, opts), c.hiddenSize ** -0.5), w(p, 'shared'), null, p.transposeOf('shared.weight')) // HF rescales before the tied projection
      : project(p, headPositions(hidden, opts), 'lm_head', opts, false);
  }
  return { hidden, logits, attentions, hiddenStates, encoderHidden: enc.hidden, encoderAttentions: enc.attentions, encoderHiddenStates: enc.hiddenStates, crossAttentions, present };
}

export const T5: FamilyDefinition = {
  family: 't5',
  modelTypes: ['t5'],
  basePrefix: '',
  heads: ['base', 'seq2seq-lm'],
  architectures: { base: 'T5Model', 'seq2seq-lm': 'T5ForConditionalGeneration' },
  parseConfig: parse,
  presetHfConfig: (size, vocabSize, special) => {
    const s = T5_SIZES[size];
    return {
      model_type: 't5', vocab_size: vocabSize, d_model: s.d, d_kv: s.kv, d_ff: s.ff, num_layers: s.layers, num_decoder_layers: s.layers,
      num_heads: s.heads, relative_attention_num_buckets: 32, relative_attention_max_distance: 128, dropout_rate: 0.1,
      layer_norm_epsilon: 1e-6, initializer_factor: 1.0, feed_forward_proj: 'relu', tie_word_embeddings: true, is_encoder_decoder: true,
      pad_token_id: special.pad, eos_token_id: special.eos ?? 1, decoder_start_token_id: special.pad,
    };
  },
  specs,
  isOptionalOnLoad: (name) => name === 'lm_head.weight',
  maxInputLength: () => 4096, // relative positions: bounded by memory, not by a table
  forward,
};
