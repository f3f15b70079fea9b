/**
 * Fixed features from a frozen encoder (feature extraction, as in BERT's paper §5.3): one pass
 * without dropout, each text pooled to one vector — the first token ([CLS]/<s>) for BERT-likes,
 * the last real token for GPT-2 (as GPT2ForSequenceClassification pools), the mean of the
 * encoder states for T5.
 */
import { tf, type Tensor } from '../../backend/tf';
import { INFERENCE } from '../../models/blocks';
import { firstToken, lastRealToken } from '../../models/headOps';
import type { ModelInputs } from '../../models/modelIo';
import type { TransformerModel } from '../../models/transformerModel';
import { disposeBatch, evalBatchOrder, makeBatch, type TokenizedExample } from '../classificationBatches';

export type Pooling = 'first-token' | 'last-token' | 'mean';

export function poolingFor(model: TransformerModel): Pooling {
  switch (model.config.family) {
    case 'gpt2':
      return 'last-token';
    case 't5':
      return 'mean';
    default:
      return 'first-token';
  }
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
  if (pooling === 'mean') {
    const [B] = inputs.inputIds.shape as [number, number];
    const start = tf.fill([B, 1], model.config.decoderStartTokenId, 'int32');
    const out = model.forward({ ...inputs, decoderInputIds: start }, INFERENCE);
    return maskedMean(out.encoderHidden ?? out.hidden, inputs.attentionMask);
  }
  const hidden = model.forward(inputs, INFERENCE).hidden; // [B, T, H]
  return pooling === 'first-token' ? firstToken(hidden) : lastRealToken(hidden, inputs.attentionMask);
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
