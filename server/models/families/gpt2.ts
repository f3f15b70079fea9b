/**
 * GPT-2 (Radford et al., 2019): a pre-norm causal decoder with Conv1D weights (held [in, out]
 * in checkpoints already), a fused query/key/value projection, learned positions, a final norm
 * and an LM head tied to the token embeddings. `past` makes generation O(T) per new token.
 */
import { tf, type Tensor } from '../../backend/tf';
import { attention, causalBias, project, dropout, feedForward, norm, paddingBias, residual, type ForwardOptions, type KeyValue } from '../blocks';
import type { TransformerConfig } from '../config';
import type { ConfigReader } from '../configKeys';
import type { FamilyDefinition } from '../family';
import { headPositions, lastRealToken, tiedLogits } from '../headOps';
import type { ModelInputs, ModelOutput } from '../modelIo';
import { embeddingLookup } from '../ops/embeddingLookup';
import { parseActivation } from '../ops/activations';
import type { ParamSpec, ParameterStore } from '../parameters';
import { conv1dSpec, embeddingSpec, layerNormSpec, linearSpec } from '../paramSpecs';
import { PRESET_SIZES } from './bertLike';

const P = 'transformer';

function parse(r: ConfigReader, head: TransformerConfig['head'], labels: readonly string[]): TransformerConfig {
  const hidden = r.int('n_embd', 768);
  const heads = r.int('n_head', 12);
  return {
    family: 'gpt2', head, labels, hfConfig: r.json,
    vocabSize: r.int('vocab_size', 50257), hiddenSize: hidden, embeddingSize: hidden, numLayers: r.int('n_layer', 12), numDecoderLayers: 0,
    numHeads: heads, headDim: hidden / heads, intermediateSize: r.optionalInt('n_inner') ?? 4 * hidden,
    activation: parseActivation(r.str('activation_function', 'gelu_new'), r.source), gatedFfn: false,
    normEps: r.num('layer_norm_epsilon', 1e-5), maxPositions: r.int('n_positions', 1024), typeVocabSize: 0,
    relativeBuckets: 0, relativeMaxDistance: 0, tieWordEmbeddings: r.bool('tie_word_embeddings', true),
    hiddenDropout: r.num('resid_pdrop', 0.1), attentionDropout: r.num('attn_pdrop', 0.1),
    classifierDropout: r.num('summary_first_dropout', 0.1), initializerRange: r.num('initializer_range', 0.02),
    // GPT-2 has no padding token; batches pad with eos and mask it out.
    padTokenId: r.optionalInt('pad_token_id') ?? r.optionalInt('eos_token_id') ?? 0,
    bosTokenId: r.optionalInt('bos_token_id'), eosTokenId: r.optionalInt('eos_token_id'), decoderStartTokenId: 0,
  };
}

function specs(c: TransformerConfig): ParamSpec[] {
  const H = c.hiddenSize;
  const out: ParamSpec[] = [embeddingSpec(`${P}.wte`, c.vocabSize, H), embeddingSpec(`${P}.wpe`, c.maxPositions, H)];
  for (let i = 0; i < c.numLayers; i++) {
    const l = `${P}.h.${i}`;
    out.push(
      ...layerNormSpec(`${l}.ln_1`, H), ...conv1dSpec(`${l}.attn.c_attn`, H, 3 * H), ...conv1dSpec(`${l}.attn.c_proj`, H, H),
      ...layerNormSpec(`${l}.ln_2`, H), ...conv1dSpec(`${l}.mlp.c_fc`, H, c.intermediateSize), ...conv1dSpec(`${l}.mlp.c_proj`, c.intermediateSize, H),
    );
  }
  out.push(...layerNormSpec(`${P}.ln_f`, H));
  if (c.head === 'sequence-classification') out.push(...linearSpec('score', H, c.labels.length, false));
  if (c.head === 'token-classification') out.push(...linearSpec('classifier', H, c.labels.length));
  return out;
}

const w = (p: ParameterStore, name: string): Tensor => p.get(`${name}.weight`);
const b = (p: ParameterStore, name: string): Tensor => p.get(`${name}.bias`);

function block(p: ParameterStore, c: TransformerConfig, i: number, x: Tensor, bias: Tensor, opts: ForwardOptions, past: KeyValue | null) {
  const l = `${P}.h.${i}`;
  const H = c.hiddenSize;
  let probs: Tensor | null = null;
  let present: KeyValue | null = null;
  const selfAttention = (h: Tensor): Tensor => {
    const qkv = project(p, h, `${l}.attn.c_attn`, opts); // [B, T, 3H]
    const [q, k, v] = tf.split(qkv, [H, H, H], 2);
    const r = attention(q as Tensor, k as Tensor, v as Tensor, c.numHeads, 1 / Math.sqrt(c.headDim), bias, c.attentionDropout, opts, past);
    probs = r.probs;
    present = r.present;
    return project(p, r.context, `${l}.attn.c_proj`, opts);
  };
  const normalize = (name: string) => (h: Tensor): Tensor => norm(h, w(p, name), b(p, name), c.normEps);
  const afterAttention = residual(x, selfAttention, normalize(`${l}.ln_1`), 'pre', c.hiddenDropout, opts);
  const mlp = (h: Tensor): Tensor => feedForward(p, h, { in: `${l}.mlp.c_fc`, gate: null, out: `${l}.mlp.c_proj`, bias: true }, c.activation, 0, opts);
  const out = residual(afterAttention, mlp, normalize(`${l}.ln_2`), 'pre', c.hiddenDropout, opts);
  return { out, probs: probs as unknown as Tensor, present: present as unknown as KeyValue };
}

/**
 * inputs.attentionMask covers past and current tokens ([B, Tpast + T]); positions continue
 * after the past.
 */
function forward(p: ParameterStore, c: TransformerConfig, inputs: ModelInputs, opts: ForwardOptions): ModelOutput {
  const [B, T] = inputs.inputIds.shape as [number, number];
  const pastLength = inputs.past?.[0]?.k.shape[2] ?? 0;
  if (pastLength + T > c.maxPositions) throw new Error(`sequence length ${pastLength + T} exceeds n_positions ${c.maxPositions}`);
  const positions = tf.tile(tf.expandDims(tf.range(pastLength, pastLength + T, 1, 'int32'), 0), [B, 1]);
  let h = tf.add(embeddingLookup(w(p, `${P}.wte`), inputs.inputIds), embeddingLookup(w(p, `${P}.wpe`), positions)); // [B, T, H]
  h = dropout(h, c.hiddenDropout, opts);
  const bias = tf.add(causalBias(T, pastLength), paddingBias(inputs.attentionMask)); // [B, 1, T, Tpast + T]
  const attentions: Tensor[] = [];
  const present: KeyValue[] = [];
  const hiddenStates: Tensor[] = opts.outputHiddenStates === true ? [h] : [];
  for (let i = 0; i < c.numLayers; i++) {
    const r = block(p, c, i, h, bias, opts, inputs.past?.[i] ?? null);
    if (opts.outputAttentions === true) attentions.push(r.probs);
    present.push(r.present);
    h = r.out;
    if (opts.outputHiddenStates === true) hiddenStates.push(h);
  }
  const hidden = norm(h, w(p, `${P}.ln_f`), b(p, `${P}.ln_f`), c.normEps);
  if (opts.outputHiddenStates === true) hiddenStates[hiddenStates.length - 1] = hidden; // HF: the last entry is after ln_f
  return { hidden, attentions, hiddenStates, present, logits: head(p, c, hidden, inputs, opts) };
}

function head(p: ParameterStore, c: TransformerConfig, hidden: Tensor, inputs: ModelInputs, opts: ForwardOptions): Tensor | null {
  switch (c.head) {
    case 'causal-lm':
      return tiedLogits(headPositions(hidden, opts), w(p, `${P}.wte`), null, p.transposeOf(`${P}.wte.weight`));
    case 'sequence-classification':
      return project(p, lastRealToken(hidden, inputs.attentionMask), 'score', opts, false);
    case 'token-classification':
      return project(p, dropout(hidden, c.classifierDropout, opts), 'classifier', opts);
    default:
      return null;
  }
}

export const GPT2: FamilyDefinition = {
  family: 'gpt2',
  modelTypes: ['gpt2'],
  basePrefix: P,
  heads: ['base', 'causal-lm', 'sequence-classification', 'token-classification'],
  architectures: { base: 'GPT2Model', 'causal-lm': 'GPT2LMHeadModel', 'sequence-classification': 'GPT2ForSequenceClassification', 'token-classification': 'GPT2ForTokenClassification' },
  parseConfig: parse,
  presetHfConfig: (size, vocabSize, special) => {
    const s = PRESET_SIZES[size];
    return {
      model_type: 'gpt2', vocab_size: vocabSize, n_positions: 512, n_embd: s.hidden, n_layer: s.layers, n_head: s.heads, n_inner: null,
      activation_function: 'gelu_new', resid_pdrop: 0.1, embd_pdrop: 0.1, attn_pdrop: 0.1, layer_norm_epsilon: 1e-5,
      initializer_range: 0.02, scale_attn_weights: true, use_cache: true, tie_word_embeddings: true,
      bos_token_id: special.bos ?? special.eos ?? special.pad, eos_token_id: special.eos ?? special.pad,
    };
  },
  specs,
  isOptionalOnLoad: (name) => !name.startsWith(`${P}.`),
  maxInputLength: (c) => c.maxPositions,
  forward,
};
