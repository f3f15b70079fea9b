/**
 * Synthetic full-length batches for the benchmark (no padding, so every token is computed):
 * classification batches through the fine-tuning code's makeBatch, and masked-LM batches with
 * ~15% of positions masked and a float weight mask selecting them for the loss.
 */
import { tf, type Tensor } from '../backend/tf';
import { makeBatch, type Batch } from '../finetune/classificationBatches';
import type { ModelInputs } from '../models/modelIo';
import { createRng } from '../random';
import type { BenchShape } from './benchSpec';

/** BERT-style special ids of the benchmark's vocabulary: [PAD]=0, [CLS]=2, [SEP]=3, [MASK]=4. */
const PAD = 0;
const CLS = 2;
const SEP = 3;
const MASK = 4;
const FIRST_WORD = 5;
/** BERT's masking rate. */
export const MASK_RATE = 0.15;

/** Random word ids framed by [CLS] … [SEP], `seq` long. */
function randomSequence(s: BenchShape, rng: ReturnType<typeof createRng>): number[] {
  return [CLS, ...Array.from({ length: s.seq - 2 }, () => FIRST_WORD + rng.int(s.vocab - FIRST_WORD)), SEP];
}

export function classificationBatch(s: BenchShape, seed: number): Batch {
  const rng = createRng(seed);
  return makeBatch(Array.from({ length: s.batch }, (_, i) => ({ ids: randomSequence(s, rng), label: i % 2 })), PAD);
}

export interface MaskedLmBatch {
  readonly inputs: ModelInputs;
  /** [B, T] int32: the original ids. */
  readonly targets: Tensor;
  /** [B, T] float32: 1 where the loss counts (the masked positions), else 0. */
  readonly weights: Tensor;
  dispose(): void;
}

export function maskedLmBatch(s: BenchShape, seed: number): MaskedLmBatch {
  const rng = createRng(seed);
  const n = s.batch * s.seq;
  const ids = new Int32Array(n);
  const inputIds = new Int32Array(n);
  const weights = new Float32Array(n);
  for (let b = 0; b < s.batch; b++) {
    randomSequence(s, rng).forEach((id, t) => {
      const i = b * s.seq + t;
      ids[i] = id;
      const maskable = t > 0 && t < s.seq - 1;
      weights[i] = maskable && rng.next() < MASK_RATE ? 1 : 0;
      inputIds[i] = weights[i] === 1 ? MASK : id;
    });
  }
  const inputs: ModelInputs = {
    inputIds: tf.tensor2d(inputIds, [s.batch, s.seq], 'int32'),
    attentionMask: tf.ones([s.batch, s.seq], 'int32'),
    tokenTypeIds: tf.zeros([s.batch, s.seq], 'int32'),
  };
  const targets = tf.tensor2d(ids, [s.batch, s.seq], 'int32');
  const weightTensor = tf.tensor2d(weights, [s.batch, s.seq], 'float32');
  return {
    inputs, targets, weights: weightTensor,
    dispose: () => tf.dispose([inputs.inputIds, inputs.attentionMask, inputs.tokenTypeIds as Tensor, targets, weightTensor]),
  };
}

/**
 * Mean cross-entropy over the weighted positions: logits [B, T, V], targets [B, T] int32,
 * weights [B, T]. One-hot products as in training/losses.ts (gather has no wasm gradient).
 */
export function maskedLmLoss(logits: Tensor, targets: Tensor, weights: Tensor): Tensor {
  const V = logits.shape[2] as number;
  const logProbs = tf.logSoftmax(tf.reshape(logits, [-1, V])); // [B·T, V]
  const picked = tf.sum(tf.mul(logProbs, tf.oneHot(tf.reshape(targets, [-1]), V)), -1); // [B·T]
  const w = tf.reshape(weights, [-1]);
  return tf.neg(tf.div(tf.sum(tf.mul(picked, w)), tf.maximum(tf.sum(w), 1)));
}
