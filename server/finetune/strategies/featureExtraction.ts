/**
 * Fixed features from a frozen encoder (feature extraction, as in BERT's paper §5.3): one pass
 * without dropout, each text pooled to one vector: the last real token for GPT-2 (as
 * GPT2ForSequenceClassification pools: a causal model's only state that has seen the whole text),
 * the masked mean of the encoder states for every encoder (BERT-likes and T5). Masked-LM
 * pretraining never trains [CLS] to summarise the text (that was NSP's job, which RoBERTa and our
 * pretraining drop), and mean pooling gives better frozen sentence features than [CLS]
 * (Reimers & Gurevych, 2019, Sentence-BERT, §6); on SMS spam with 400 labels and a tiny BERT
 * pretrained for the demo, mean pooling took the linear probe from the majority rate to ~95 %.
 */
import { tf, type Tensor } from '../../backend/tf';
import { INFERENCE } from '../../models/blocks';
import { lastRealToken } from '../../models/headOps';
import type { ModelInputs } from '../../models/modelIo';
import type { TransformerModel } from '../../models/transformerModel';
import { disposeBatch, evalBatchOrder, makeBatch, type TokenizedExample } from '../classificationBatches';

export type Pooling = 'last-token' | 'mean';

export function poolingFor(model: TransformerModel): Pooling {
  return model.config.family === 'gpt2' ? 'last-token' : 'mean';
}

/** Encoder passes run so far (a cache hit runs none; tests read it). */
export const FEATURE_STATS = { encoderBatches: 0 };

/** Masked mean over positions: h [B, T, H], mask [B, T] → [B, H]. */
function maskedMean(h: Tensor, mask: Tensor): Tensor {
  const m = tf.expandDims(tf.cast(mask, 'float32'), 2); // [B, T, 1]
  return tf.div(tf.sum(tf.mul(h, m), 1), tf.maximum(tf.sum(m, 1), 1));
}

/** Pooled features [B, H] of one batch (synchronous tensor code). */
export function pooledFeatures(model: TransformerModel, inputs: ModelInputs, pooling: Pooling): Tensor {
  const hidden = textStates(model, inputs); // [B, T, H]
  return pooling === 'mean' ? maskedMean(hidden, inputs.attentionMask) : lastRealToken(hidden, inputs.attentionMask);
}

/** The hidden states over the input text: the encoder's for T5 (its decoder is given only the start token). */
function textStates(model: TransformerModel, inputs: ModelInputs): Tensor {
  if (model.config.family !== 't5') return model.forward(inputs, INFERENCE).hidden;
  const [B] = inputs.inputIds.shape as [number, number];
  const start = tf.fill([B, 1], model.config.decoderStartTokenId, 'int32');
  const out = model.forward({ ...inputs, decoderInputIds: start }, INFERENCE);
  return out.encoderHidden ?? out.hidden;
}

/** Features of every example, row-major [N, H], in the examples' order. */
export async function extractFeatures(model: TransformerModel, examples: readonly TokenizedExample[], padId: number, batchSize: number, pooling: Pooling): Promise<Float32Array> {
  const H = model.config.hiddenSize;
  const out = new Float32Array(examples.length * H);
  for (const idx of evalBatchOrder(examples, batchSize)) {
    const batch = makeBatch(idx.map((i) => examples[i] as TokenizedExample), padId);
    const pooled = tf.tidy(() => pooledFeatures(model, batch.inputs, pooling));
    const data = await pooled.data();
    pooled.dispose();
    disposeBatch(batch);
    FEATURE_STATS.encoderBatches++;
    idx.forEach((row, j) => out.set(data.subarray(j * H, (j + 1) * H), row * H));
  }
  return out;
}
