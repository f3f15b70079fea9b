/** Losses as tensor functions; one-hot products avoid gather's gradient (missing on wasm). */
import { tf, type Tensor } from '../backend/tf';

/** Mean cross-entropy of logits [N, C] against int32 class ids [N]. */
export function crossEntropy(logits: Tensor, labels: Tensor): Tensor {
  const numClasses = logits.shape[logits.shape.length - 1] ?? 0;
  const logProbs = tf.logSoftmax(logits);
  const picked = tf.sum(tf.mul(logProbs, tf.oneHot(labels, numClasses)), -1); // [N]
  return tf.neg(tf.mean(picked));
}
