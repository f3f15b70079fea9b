/**
 * BERT (and models sharing its layout, e.g. MiniLM), RoBERTa (positions offset past the padding
 * index, type_vocab_size 1) and DistilBERT (no token types, its own tensor names): one encoder
 * (../encoder.ts) with three layouts, and their heads under Hugging Face's names.
 */
import { tf, type Tensor } from '../../backend/tf';
import { project, dropout, norm, type ForwardOptions } from '../blocks';
import type { Family, HeadKind, SizePreset, TransformerConfig } from '../config';
import type { ConfigReader } from '../configKeys';
import { encoderForward, encoderSpecs, maxInputLength, type EncoderLayout } from '../encoder';
import type { FamilyDefinition, SpecialTokenIds } from '../family';
import { firstToken, tiedLogits } from '../headOps';
import type { ModelInputs, ModelOutput } from '../modelIo';
import { activation, parseActivation } from '../ops/activations';
import type { ParamSpec, ParameterStore } from '../parameters';
import { biasSpec, layerNormSpec, linearSpec } from '../paramSpecs';

type BertLike = 'bert' | 'roberta' | 'distilbert';

export const PRESET_SIZES: Record<SizePreset, { layers: number; hidden: number; heads: number; ffn: number }> = {
  tiny: { layers: 2, hidden: 128, heads: 2, ffn: 512 },
  mini: { layers: 4, hidden: 256, heads: 4, ffn: 1024 },
  small: { layers: 4, hidden: 512, heads: 8, ffn: 2048 },
};

function bertLayout(prefix: string, positions: EncoderLayout['positionIds']): EncoderLayout {
  const e = `${prefix}.embeddings`;
  return {
    word: `${e}.word_embeddings`, position: `${e}.position_embeddings`, tokenType: `${e}.token_type_embeddings`,
    embeddingNorm: `${e}.LayerNorm`, embeddingProjection: null, positionIds: positions,
    layer: (i) => {
      const l = `${prefix}.encoder.layer.${i}`;
      return {
        query: `${l}.attention.self.query`, key: `${l}.attention.self.key`, value: `${l}.attention.self.value`,
        output: `${l}.attention.output.dense`, attentionNorm: `${l}.attention.output.LayerNorm`,
        ffnIn: `${l}.intermediate.dense`, ffnOut: `${l}.output.dense`, outputNorm: `${l}.output.LayerNorm`,
      };
    },
  };
}

const DISTILBERT_LAYOUT: EncoderLayout = {
  word: 'distilbert.embeddings.word_embeddings', position: 'distilbert.embeddings.position_embeddings', tokenType: null,
  embeddingNorm: 'distilbert.embeddings.LayerNorm', embeddingProjection: null, positionIds: 'range',
  layer: (i) => {
    const l = `distilbert.transformer.layer.${i}`;
    return {
      query: `${l}.attention.q_lin`, key: `${l}.attention.k_lin`, value: `${l}.attention.v_lin`, output: `${l}.attention.out_lin`,
      attentionNorm: `${l}.sa_layer_norm`, ffnIn: `${l}.ffn.lin1`, ffnOut: `${l}.ffn.lin2`, outputNorm: `${l}.output_layer_norm`,
    };
  },
};

const LAYOUTS: Record<BertLike, EncoderLayout> = {
  bert: bertLayout('bert', 'range'),
  roberta: bertLayout('roberta', 'after-padding'),
  distilbert: DISTILBERT_LAYOUT,
};

/** Head tensor names per family (HF's modeling files). */
const HEAD_NAMES = {
  bert: { pooler: 'bert.pooler.dense', mlmDense: 'cls.predictions.transform.dense', mlmNorm: 'cls.predictions.transform.LayerNorm', mlmBias: 'cls.predictions.bias' },
  roberta: { pooler: 'roberta.pooler.dense', mlmDense: 'lm_head.dense', mlmNorm: 'lm_head.layer_norm', mlmBias: 'lm_head.bias' },
  distilbert: { pooler: null, mlmDense: 'vocab_transform', mlmNorm: 'vocab_layer_norm', mlmBias: 'vocab_projector.bias' },
} as const;

function parse(family: BertLike, r: ConfigReader, head: HeadKind, labels: readonly string[]): TransformerConfig {
  const distil = family === 'distilbert';
  const hidden = distil ? r.int('dim', 768) : r.int('hidden_size');
  const heads = distil ? r.int('n_heads', 12) : r.int('num_attention_heads');
  const hiddenDropout = distil ? r.num('dropout', 0.1) : r.num('hidden_dropout_prob', 0.1);
  const classifierDropout = distil ? r.num('seq_classif_dropout', 0.2) : r.num('classifier_dropout', hiddenDropout);
  return {
    family, head, labels, hfConfig: r.json,
    vocabSize: r.int('vocab_size'), hiddenSize: hidden, embeddingSize: hidden,
    numLayers: distil ? r.int('n_layers', 6) : r.int('num_hidden_layers'), numDecoderLayers: 0,
    numHeads: heads, headDim: hidden / heads,
    intermediateSize: distil ? r.int('hidden_dim', 4 * hidden) : r.int('intermediate_size'),
    activation: parseActivation(distil ? r.str('activation', 'gelu') : r.str('hidden_act', 'gelu'), r.source),
    gatedFfn: false,
    normEps: distil ? 1e-12 : r.num('layer_norm_eps', 1e-12), // DistilBERT hard-codes eps=1e-12
    maxPositions: r.int('max_position_embeddings', 512),
    typeVocabSize: distil ? 0 : r.int('type_vocab_size', 2),
    relativeBuckets: 0, relativeMaxDistance: 0, tieWordEmbeddings: r.bool('tie_word_embeddings', true),
    hiddenDropout, attentionDropout: distil ? r.num('attention_dropout', 0.1) : r.num('attention_probs_dropout_prob', 0.1),
    classifierDropout, initializerRange: r.num('initializer_range', 0.02),
    padTokenId: r.int('pad_token_id', family === 'roberta' ? 1 : 0),
    bosTokenId: r.optionalInt('bos_token_id'), eosTokenId: r.optionalInt('eos_token_id'), decoderStartTokenId: 0,
  };
}

function presetHfConfig(family: BertLike, size: SizePreset, vocabSize: number, special: SpecialTokenIds): Record<string, unknown> {
  const s = PRESET_SIZES[size];
  if (family === 'distilbert') {
    return {
      model_type: 'distilbert', vocab_size: vocabSize, dim: s.hidden, n_layers: s.layers, n_heads: s.heads, hidden_dim: s.ffn,
      activation: 'gelu', dropout: 0.1, attention_dropout: 0.1, max_position_embeddings: 512, initializer_range: 0.02,
      pad_token_id: special.pad, seq_classif_dropout: 0.2, qa_dropout: 0.1, sinusoidal_pos_embds: false, tie_weights_: true,
    };
  }
  const roberta = family === 'roberta';
  return {
    model_type: family, vocab_size: vocabSize, hidden_size: s.hidden, num_hidden_layers: s.layers, num_attention_heads: s.heads,
    intermediate_size: s.ffn, hidden_act: 'gelu', hidden_dropout_prob: 0.1, attention_probs_dropout_prob: 0.1,
    max_position_embeddings: roberta ? 514 : 512, type_vocab_size: roberta ? 1 : 2, initializer_range: 0.02,
    layer_norm_eps: roberta ? 1e-5 : 1e-12, pad_token_id: special.pad, position_embedding_type: 'absolute',
    ...(special.bos !== null ? { bos_token_id: special.bos } : {}), ...(special.eos !== null ? { eos_token_id: special.eos } : {}),
  };
}

function headSpecs(family: BertLike, c: TransformerConfig): ParamSpec[] {
  const H = c.hiddenSize;
  const L = c.labels.length;
  const n = HEAD_NAMES[family];
  switch (c.head) {
    case 'base':
      return n.pooler === null ? [] : linearSpec(n.pooler, H, H);
    case 'masked-lm':
      return [...linearSpec(n.mlmDense, H, H), ...layerNormSpec(n.mlmNorm, H), biasSpec(n.mlmBias, c.vocabSize)];
    case 'sequence-classification':
      if (family === 'roberta') return [...linearSpec('classifier.dense', H, H), ...linearSpec('classifier.out_proj', H, L)];
      if (family === 'distilbert') return [...linearSpec('pre_classifier', H, H), ...linearSpec('classifier', H, L)];
      return [...linearSpec(n.pooler ?? '', H, H), ...linearSpec('classifier', H, L)];
    case 'token-classification':
      return linearSpec('classifier', H, L);
    default:
      throw new Error(`${family} has no ${c.head} head`);
  }
}

const w = (p: ParameterStore, name: string): Tensor => p.get(`${name}.weight`);
const b = (p: ParameterStore, name: string): Tensor => p.get(`${name}.bias`);

function headForward(family: BertLike, p: ParameterStore, c: TransformerConfig, h: Tensor, opts: ForwardOptions): Tensor | null {
  const n = HEAD_NAMES[family];
  switch (c.head) {
    case 'base':
      return null;
    case 'masked-lm': {
      // RobertaLMHead hard-codes exact gelu; BERT and DistilBERT use the config's activation.
      const act = activation(family === 'roberta' ? 'gelu' : c.activation);
      const t = norm(act(project(p, h, n.mlmDense, opts)), w(p, n.mlmNorm), b(p, n.mlmNorm), c.normEps);
      return tiedLogits(t, w(p, LAYOUTS[family].word), p.get(n.mlmBias), p.transposeOf(`${LAYOUTS[family].word}.weight`));
    }
    case 'sequence-classification': {
      const cls = firstToken(h);
      const drop = (x: Tensor): Tensor => dropout(x, c.classifierDropout, opts);
      if (family === 'roberta') {
        const x = tf.tanh(project(p, drop(cls), 'classifier.dense', opts));
        return project(p, drop(x), 'classifier.out_proj', opts);
      }
      if (family === 'distilbert') {
        const x = tf.relu(project(p, cls, 'pre_classifier', opts));
        return project(p, drop(x), 'classifier', opts);
      }
      const pooled = tf.tanh(project(p, cls, n.pooler ?? '', opts));
      return project(p, drop(pooled), 'classifier', opts);
    }
    case 'token-classification':
      return project(p, dropout(h, c.classifierDropout, opts), 'classifier', opts);
    default:
      throw new Error(`${family} has no ${c.head} head`);
  }
}

function define(family: BertLike, architectures: FamilyDefinition['architectures']): FamilyDefinition {
  const layout = LAYOUTS[family];
  const pooler = HEAD_NAMES[family].pooler;
  return {
    family: family as Family,
    modelTypes: family === 'bert' ? ['bert', 'minilm'] : [family],
    basePrefix: family,
    heads: ['base', 'masked-lm', 'sequence-classification', 'token-classification'],
    architectures,
    parseConfig: (r, head, labels) => parse(family, r, head, labels),
    presetHfConfig: (size, vocabSize, special) => presetHfConfig(family, size, vocabSize, special),
    specs: (c) => [...encoderSpecs(c, layout), ...headSpecs(family, c)],
    isOptionalOnLoad: (name) => !name.startsWith(`${family}.`) || (pooler !== null && name.startsWith(pooler)),
    maxInputLength: (c) => maxInputLength(c, layout),
    forward: (p: ParameterStore, c: TransformerConfig, inputs: ModelInputs, opts: ForwardOptions): ModelOutput => {
      const { hidden, attentions, hiddenStates } = encoderForward(p, c, layout, inputs, opts);
      return { hidden, attentions, hiddenStates, logits: headForward(family, p, c, hidden, opts) };
    },
  };
}

export const BERT = define('bert', {
  base: 'BertModel', 'masked-lm': 'BertForMaskedLM', 'sequence-classification': 'BertForSequenceClassification', 'token-classification': 'BertForTokenClassification',
});
export const ROBERTA = define('roberta', {
  base: 'RobertaModel', 'masked-lm': 'RobertaForMaskedLM', 'sequence-classification': 'RobertaForSequenceClassification', 'token-classification': 'RobertaForTokenClassification',
});
export const DISTILBERT = define('distilbert', {
  base: 'DistilBertModel', 'masked-lm': 'DistilBertForMaskedLM', 'sequence-classification': 'DistilBertForSequenceClassification', 'token-classification': 'DistilBertForTokenClassification',
});
