/**
 * The masked-LM head applied to the predicted positions only, as BERT's pretraining code does
 * (gather_indexes in run_pretraining.py): with 15% of positions predicted, the vocabulary
 * projection — most of a tiny model's step — shrinks about 6×. Logits equal the full head's rows.
 */
import { tf, type Tensor } from '../backend/tf';
import { norm, project, type ForwardOptions } from '../models/blocks';
import type { Family } from '../models/config';
import { tiedLogits } from '../models/headOps';
import type { ModelInputs } from '../models/modelIo';
import { activation } from '../models/ops/activations';
import { embeddingLookup } from '../models/ops/embeddingLookup';
import type { TransformerModel } from '../models/transformerModel';

interface HeadNames {
  /** transform dense (module name), its LayerNorm, the output bias and the tied embedding. */
  readonly dense: string;
  readonly norm: string;
  readonly bias: string;
  readonly word: string;
  /** RobertaLMHead hard-codes exact gelu; the others use the config's activation. */
  readonly exactGelu: boolean;
}

/**
 * Hugging Face tensor names of each family's masked-LM head (mirrors families/bertLike.ts and
 * albert.ts; test/server/pretrain/maskedLmHead.test.ts checks equality with the full forward).
 */
const MASKED_LM_HEADS: Readonly<Partial<Record<Family, HeadNames>>> = {
  bert: { dense: 'cls.predictions.transform.dense', norm: 'cls.predictions.transform.LayerNorm', bias: 'cls.predictions.bias', word: 'bert.embeddings.word_embeddings', exactGelu: false },
  roberta: { dense: 'lm_head.dense', norm: 'lm_head.layer_norm', bias: 'lm_head.bias', word: 'roberta.embeddings.word_embeddings', exactGelu: true },
  distilbert: { dense: 'vocab_transform', norm: 'vocab_layer_norm', bias: 'vocab_projector.bias', word: 'distilbert.embeddings.word_embeddings', exactGelu: false },
  albert: { dense: 'predictions.dense', norm: 'predictions.LayerNorm', bias: 'predictions.bias', word: 'albert.embeddings.word_embeddings', exactGelu: false },
};

/** Whether maskedLmLogitsAt can serve this model (a masked-LM head of a known family). */
export function hasSelectableHead(model: TransformerModel): boolean {
  const names = MASKED_LM_HEADS[model.config.family];
  return model.config.head === 'masked-lm' && names !== undefined && model.params.has(`${names.dense}.weight`);
}

/**
 * Logits [M, V] of the masked-LM head at `positions` (int32 [M], flat indices into B·T), or null
 * when the model's head is not one this file knows (the caller then uses the full forward).
 */
export function maskedLmLogitsAt(model: TransformerModel, inputs: ModelInputs, positions: Tensor, opts: ForwardOptions): Tensor | null {
  const names = MASKED_LM_HEADS[model.config.family];
  if (names === undefined || !hasSelectableHead(model)) return null;
  const c = model.config;
  const p = model.params;
  // The encoder alone: the same family forward with no head ('base' computes no logits).
  const hidden = model.definition.forward(p, { ...c, head: 'base' }, inputs, opts).hidden; // [B, T, H]
  const H = hidden.shape[2] as number;
  const rows = embeddingLookup(tf.reshape(hidden, [-1, H]), positions); // [M, H]: gather with a wasm-friendly gradient
  const act = activation(names.exactGelu ? 'gelu' : c.activation);
  const t = norm(act(project(p, rows, names.dense, opts)), p.get(`${names.norm}.weight`), p.get(`${names.norm}.bias`), c.normEps); // [M, E]
  const M = positions.shape[0] as number;
  const logits = tiedLogits(tf.reshape(t, [1, M, t.shape[1] as number]), p.get(`${names.word}.weight`), p.get(names.bias)); // [1, M, V]
  return tf.reshape(logits, [M, -1]);
}
