/**
 * Layer normalisation over the last axis (Ba et al., 2016), with HF's eps from the config, with
 * a hand-written gradient: the backward keeps only the normalised values and each row's 1/σ
 * (tfjs's own differentiation of the ~10 kernels kept every intermediate, full size, until the
 * backward ended), and sums over rows with one pass (columnSums) instead of tfjs's Sum, which
 * the wasm backend runs as a transpose and a reduction.
 */
import { tf, type Tensor } from '../../backend/tf';
import { columnSums } from './matMul';

export function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, eps: number): Tensor {
  const op = tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
    const [xi, g, b, save] = args as [Tensor, Tensor, Tensor, tf.GradSaveFunc];
    const axis = xi.shape.length - 1;
    const { mean, variance } = tf.moments(xi, axis, true);
    const rstd = tf.rsqrt(tf.add(variance, eps));
    const normed = tf.mul(tf.sub(xi, mean), rstd);
    save([normed, rstd, g]);
    return {
      value: tf.add(tf.mul(normed, g), b),
      // dx = r·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) with dx̂ = dy·γ; dγ = Σ dy·x̂ and dβ = Σ dy over rows.
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [n, r, gs] = saved as [Tensor, Tensor, Tensor];
        const dx = tf.tidy(() => {
          const dn = tf.mul(dy, gs);
          const centred = tf.sub(dn, tf.mean(dn, axis, true));
          return tf.mul(tf.sub(centred, tf.mul(n, tf.mean(tf.mul(dn, n), axis, true))), r);
        });
        return [dx, tf.tidy(() => columnSums(tf.mul(dy, n))), columnSums(dy)];
      },
    };
  }) as (x: Tensor, gamma: Tensor, beta: Tensor) => Tensor;
  return op(x, gamma, beta);
}
