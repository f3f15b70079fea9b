/** Tensor operations shared by model heads: tied LM projections and token pooling. */
import { tf, type Tensor } from '../backend/tf';
import { matMul } from './ops/matMul';

/** h [B, T, E] · tableᵀ (+ bias) → [B, T, V]; the table is the (tied) input embedding [V, E]. */
export function tiedLogits(h: Tensor, table: Tensor, bias: Tensor | null): Tensor {
  const [B, T, E] = h.shape as [number, number, number];
  const V = table.shape[0] as number;
  let logits = matMul(tf.reshape(h, [B * T, E]), tf.transpose(table)); // [B·T, V]; explicit transpose, see ops/matMul.ts
  if (bias !== null) logits = tf.add(logits, bias);
  return tf.reshape(logits, [B, T, V]);
}

/** The first token's state [B, H] ([CLS] / <s>). */
export function firstToken(h: Tensor): Tensor {
  const [B, , H] = h.shape as [number, number, number];
  return tf.reshape(tf.slice(h, [0, 0, 0], [B, 1, H]), [B, H]);
}

/** The last real (non-padding) token's state [B, H], as GPT-2's sequence classifier pools. */
export function lastRealToken(h: Tensor, attentionMask: Tensor): Tensor {
  const [B, T, H] = h.shape as [number, number, number];
  const lengths = tf.sum(tf.cast(attentionMask, 'int32'), 1); // [B]
  const lastIndex = tf.sub(lengths, tf.scalar(1, 'int32'));
  const onehot = tf.oneHot(lastIndex, T); // [B, T]: a matmul-friendly gather with a gradient everywhere
  return tf.reshape(matMul(tf.reshape(tf.cast(onehot, 'float32'), [B, 1, T]), h), [B, H]);
}
