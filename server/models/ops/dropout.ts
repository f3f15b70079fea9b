/**
 * Inverted dropout as one fused op: the keep-mask (0 or 1/keep) is drawn with the run's seeded
 * generator in the same loop that applies it, and only the mask is kept for the backward
 * (dx = dy·mask). tf.dropout made its uniform numbers in a separate op, then four kernels to turn
 * them into the mask, and kept x alive for its product's gradient.
 */
import { hostKernel } from '../../backend/hostKernel';
import { tf, type Tensor } from '../../backend/tf';

/** x with each value zeroed with probability `rate` and the rest scaled by 1/(1 − rate). */
export function dropoutMask(x: Tensor, rate: number, seed: number): Tensor {
  const op = tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
    const [xi, save] = args as [Tensor, tf.GradSaveFunc];
    const keep = 1 - rate;
    const scale = 1 / keep;
    const threshold = keep * 4294967296;
    const [y, mask] = hostKernel([xi], [xi.shape, xi.shape], (ins, outs) => {
      const [xv] = ins as [Float32Array];
      const [yv, mv] = outs as [Float32Array, Float32Array];
      // mulberry32, as random.ts's createRng, inlined: a closure call per value tripled the time.
      let state = seed >>> 0;
      for (let j = 0; j < xv.length; j++) {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = Math.imul(state ^ (state >>> 15), state | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        const m = ((t ^ (t >>> 14)) >>> 0) < threshold ? scale : 0;
        mv[j] = m;
        yv[j] = (xv[j] as number) * m;
      }
    }) as [Tensor, Tensor];
    save([mask]);
    return { value: y, gradFunc: (dy: Tensor, saved: Tensor[]) => [tf.mul(dy, saved[0] as Tensor)] };
  }) as (x: Tensor) => Tensor;
  return op(x);
}
