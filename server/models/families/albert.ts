/**
 * ALBERT (Lan et al., 2020): BERT's encoder with factorised embeddings (width E projected to
 * the hidden size) and one set of layer weights shared by every layer. Only the common
 * num_hidden_groups = inner_group_num = 1 configuration exists in released checkpoints.
 */
import { tf, type Tensor } from '../../backend/tf';
import { project, dropout, norm, type ForwardOptions } from '../blocks';
import type { TransformerConfig } from '../config';
import { positiveCheck, type ConfigReader } from '../configKeys';
import { encoderForward, encoderSpecs, maxInputLength, type EncoderLayout } from '../encoder';
import type { FamilyDefinition } from '../family';
import { firstToken, tiedLogits } from '../headOps';
import { activation, parseActivation } from '../ops/activations';
import type { ParamSpec, ParameterStore } from '../parameters';
import { biasSpec, layerNormSpec, linearSpec } from '../paramSpecs';
import { UserError } from '../../errors';
import { PRESET_SIZES } from './bertLike';

const SHARED = 'albert.encoder.albert_layer_groups.0.albert_layers.0';
const LAYOUT: EncoderLayout = {
  word: 'albert.embeddings.word_embeddings', position: 'albert.embeddings.position_embeddings',
  tokenType: 'albert.embeddings.token_type_embeddings', embeddingNorm: 'albert.embeddings.LayerNorm',
  embeddingProjection: 'albert.encoder.embedding_hidden_mapping_in', positionIds: 'range',
  // Every layer reads the same tensors: cross-layer parameter sharing.
  layer: () => ({
    query: `${SHARED}.attention.query`, key: `${SHARED}.attention.key`, value: `${SHARED}.attention.value`,
    output: `${SHARED}.attention.dense`, attentionNorm: `${SHARED}.attention.LayerNorm`,
    ffnIn: `${SHARED}.ffn`, ffnOut: `${SHARED}.ffn_output`, outputNorm: `${SHARED}.full_layer_layer_norm`,
  }),
};

function parse(r: ConfigReader, head: TransformerConfig['head'], labels: readonly string[]): TransformerConfig {
  for (const key of ['num_hidden_groups', 'inner_group_num']) {
    if (r.int(key, 1) !== 1) throw new UserError(`${r.source}: ${key} = ${r.int(key)} is not supported (only 1, as in every released ALBERT).`);
  }
  const hidden = r.int('hidden_size');
  const heads = r.int('num_attention_heads');
  const c: TransformerConfig = {
    family: 'albert', head, labels, hfConfig: r.json,
    vocabSize: r.int('vocab_size'), hiddenSize: hidden, embeddingSize: r.int('embedding_size', 128),
    numLayers: r.int('num_hidden_layers'), numDecoderLayers: 0, numHeads: heads, headDim: hidden / heads,
    intermediateSize: r.int('intermediate_size'), activation: parseActivation(r.str('hidden_act', 'gelu_new'), r.source),
    gatedFfn: false, normEps: r.num('layer_norm_eps', 1e-12), maxPositions: r.int('max_position_embeddings', 512),
    typeVocabSize: r.int('type_vocab_size', 2), relativeBuckets: 0, relativeMaxDistance: 0, tieWordEmbeddings: true,
    hiddenDropout: r.num('hidden_dropout_prob', 0), attentionDropout: r.num('attention_probs_dropout_prob', 0),
    classifierDropout: r.num('classifier_dropout_prob', 0.1), initializerRange: r.num('initializer_range', 0.02),
    padTokenId: r.int('pad_token_id', 0), bosTokenId: r.optionalInt('bos_token_id'), eosTokenId: r.optionalInt('eos_token_id'),
    decoderStartTokenId: 0,
  };
  positiveCheck({ embedding_size: c.embeddingSize, hidden_size: hidden }, r.source);
  return c;
}

function headSpecs(c: TransformerConfig): ParamSpec[] {
  const H = c.hiddenSize;
  switch (c.head) {
    case 'base':
      return linearSpec('albert.pooler', H, H);
    case 'masked-lm':
      return [...linearSpec('predictions.dense', H, c.embeddingSize), ...layerNormSpec('predictions.LayerNorm', c.embeddingSize), biasSpec('predictions.bias', c.vocabSize)];
    case 'sequence-classification':
      return [...linearSpec('albert.pooler', H, H), ...linearSpec('classifier', H, c.labels.length)];
    case 'token-classification':
      return linearSpec('classifier', H, c.labels.length);
    default:
      throw new Error(`albert has no ${c.head} head`);
  }
}

const w = (p: ParameterStore, name: string): Tensor => p.get(`${name}.weight`);
const b = (p: ParameterStore, name: string): Tensor => p.get(`${name}.bias`);

function headForward(p: ParameterStore, c: TransformerConfig, h: Tensor, opts: ForwardOptions): Tensor | null {
  switch (c.head) {
    case 'base':
      return null;
    case 'masked-lm': {
      const t = norm(activation(c.activation)(project(p, h, 'predictions.dense', opts)), w(p, 'predictions.LayerNorm'), b(p, 'predictions.LayerNorm'), c.normEps);
      return tiedLogits(t, w(p, LAYOUT.word), p.get('predictions.bias'), p.transposeOf(`${LAYOUT.word}.weight`));
    }
    case 'sequence-classification': {
      const pooled = tf.tanh(project(p, firstToken(h), 'albert.pooler', opts));
      return project(p, dropout(pooled, c.classifierDropout, opts), 'classifier', opts);
    }
    case 'token-classification':
      return project(p, dropout(h, c.classifierDropout, opts), 'classifier', opts);
    default:
      throw new Error(`albert has no ${c.head} head`);
  }
}

export const ALBERT: FamilyDefinition = {
  family: 'albert',
  modelTypes: ['albert'],
  basePrefix: 'albert',
  heads: ['base', 'masked-lm', 'sequence-classification', 'token-classification'],
  architectures: { base: 'AlbertModel', 'masked-lm': 'AlbertForMaskedLM', 'sequence-classification': 'AlbertForSequenceClassification', 'token-classification': 'AlbertForTokenClassification' },
  parseConfig: parse,
  presetHfConfig: (size, vocabSize, special) => {
    const s = PRESET_SIZES[size];
    return {
      model_type: 'albert', vocab_size: vocabSize, embedding_size: Math.min(128, s.hidden), hidden_size: s.hidden,
      num_hidden_layers: s.layers, num_hidden_groups: 1, num_attention_heads: s.heads, intermediate_size: s.ffn, inner_group_num: 1,
      hidden_act: 'gelu_new', hidden_dropout_prob: 0, attention_probs_dropout_prob: 0, max_position_embeddings: 512, type_vocab_size: 2,
      initializer_range: 0.02, layer_norm_eps: 1e-12, classifier_dropout_prob: 0.1, pad_token_id: special.pad,
      ...(special.bos !== null ? { bos_token_id: special.bos } : {}), ...(special.eos !== null ? { eos_token_id: special.eos } : {}),
    };
  },
  specs: (c) => [...encoderSpecs(c, LAYOUT), ...headSpecs(c)],
  isOptionalOnLoad: (name) => !name.startsWith('albert.') || name.startsWith('albert.pooler'),
  maxInputLength: (c) => maxInputLength(c, LAYOUT),
  forward: (p, c, inputs, opts) => {
    const { hidden, attentions, hiddenStates } = encoderForward(p, c, LAYOUT, inputs, opts);
    return { hidden, attentions, hiddenStates, logits: headForward(p, c, hidden, opts) };
  },
};
