/**
 * Inverted dropout with a hand-written gradient: the same kernels and numbers as tf.dropout
 * (its seeded uniform stream, keep where floor(u + keep) = 1, scale 1/keep), but the backward
 * keeps only the mask (dx = dy·mask) — tf.dropout's product kept x alive as well, and its
 * uniform values and their sums until the backward ended.
 */
import { tf, type Tensor } from '../../backend/tf';

/** x with each value zeroed with probability `rate` and the rest scaled by 1/(1 − rate). */
export function dropoutMask(x: Tensor, rate: number, seed: number): Tensor {
  const op = tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
    const [xi, save] = args as [Tensor, tf.GradSaveFunc];
    const keep = 1 - rate;
    const mask = tf.div(tf.floor(tf.add(tf.randomUniform(xi.shape, 0, 1, 'float32', seed), keep)), keep);
    save([mask]);
    return { value: tf.mul(xi, mask), gradFunc: (dy: Tensor, saved: Tensor[]) => [tf.mul(dy, saved[0] as Tensor)] };
  }) as (x: Tensor) => Tensor;
  return op(x);
}
