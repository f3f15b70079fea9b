/**
 * Matrix products whose gradients avoid the WebAssembly backend's slow transposed-matmul paths:
 * tfjs's own MatMul gradient calls matMul(…, transposeA/B = true), 10–40× slower than an explicit
 * transpose followed by a plain matmul (see shared ENGINE-NOTES.md, trap 2). Where our
 * BatchMatMul is installed, the transposes go to it as flags (productT): the native BLAS reads
 * them in place, the WebAssembly kernel transposes explicitly as this file otherwise would.
 */
import { hostKernel } from '../../backend/hostKernel';
import { tf, type Tensor } from '../../backend/tf';
import { matMulTakesTransposes } from '../../backend/wasmKernels/fastBatchMatMul';

function swapLastTwo(x: Tensor): Tensor {
  const perm = x.shape.map((_, i) => i);
  const n = perm.length;
  perm[n - 1] = n - 2;
  perm[n - 2] = n - 1;
  return tf.transpose(x, perm);
}

/** op(a)·op(b), op transposing the last two dimensions when asked (see the file's comment). */
export function productT(a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Tensor {
  if (matMulTakesTransposes()) return tf.matMul(a, b, transposeA, transposeB);
  return tf.matMul(transposeA ? swapLastTwo(a) : a, transposeB ? swapLastTwo(b) : b);
}

/**
 * a·b for rank-2 ([M,K]·[K,N]) or equal-batch rank-3/4 tensors ([...,M,K]·[...,K,N]).
 * Gradients: da = dy·bᵀ, db = aᵀ·dy, each with an explicit transpose.
 */
export const matMul: (a: Tensor, b: Tensor) => Tensor = tf.customGrad(
  (...args: (Tensor | tf.GradSaveFunc)[]) => {
    const [a, b, save] = args as [Tensor, Tensor, tf.GradSaveFunc];
    save([a, b]);
    return {
      value: tf.matMul(a, b),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sa, sb] = saved as [Tensor, Tensor];
        // Each in its own tidy: tfjs runs a custom gradient outside any per-node scope, so the
        // transposed copies (and the wasm matmul's packed copy of each) would otherwise live
        // until the whole backward pass ends — for bert-base, every weight twice over.
        return [tf.tidy(() => productT(dy, sb, false, true)), tf.tidy(() => productT(sa, dy, true, false))];
      },
    };
  },
) as (a: Tensor, b: Tensor) => Tensor;

/** Σ over rows of dy [N, out] → [out], one pass (tfjs's Sum on the wasm backend transposes first). */
export function columnSums(dy: Tensor): Tensor {
  const out = dy.shape[dy.shape.length - 1] as number;
  const rows = dy.size / out;
  const [sums] = hostKernel([dy], [[out]], (ins, outs) => {
    const [d] = ins as [Float32Array];
    const acc = new Float64Array(out);
    for (let r = 0, o = 0; r < rows; r++, o += out) for (let j = 0; j < out; j++) acc[j] = (acc[j] as number) + (d[o + j] as number);
    (outs[0] as Float32Array).set(acc);
  }) as [Tensor];
  return sums;
}

/** x [N, in] · w [in, out] + b [out], with the bias gradient as column sums (see columnSums). */
const affine: (x: Tensor, w: Tensor, b: Tensor) => Tensor = tf.customGrad(
  (...args: (Tensor | tf.GradSaveFunc)[]) => {
    const [x, w, b, save] = args as [Tensor, Tensor, Tensor, tf.GradSaveFunc];
    save([x, w]);
    return {
      value: tf.add(tf.matMul(x, w), b),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sx, sw] = saved as [Tensor, Tensor];
        // tidy per product: see matMul above
        return [tf.tidy(() => productT(dy, sw, false, true)), tf.tidy(() => productT(sx, dy, true, false)), columnSums(dy)];
      },
    };
  },
) as (x: Tensor, w: Tensor, b: Tensor) => Tensor;

/**
 * A dense layer: x [..., in] · w [in, out] + bias [out] → [..., out]. Weights are stored
 * [in, out] (Hugging Face stores Linear weights [out, in]; checkpoints transpose on load/save)
 * so that the forward product needs no transpose.
 */
export function linear(x: Tensor, w: Tensor, bias: Tensor | null): Tensor {
  const inDim = x.shape[x.shape.length - 1] ?? 0;
  const outDim = w.shape[1] ?? 0;
  if (w.shape[0] !== inDim) throw new Error(`linear: input width ${inDim} does not match weight [${w.shape.join(', ')}]`);
  const lead = x.shape.slice(0, -1);
  const x2d = tf.reshape(x, [-1, inDim]); // [..., in] -> [N, in]
  const y = bias === null ? matMul(x2d, w) : affine(x2d, w, bias); // [N, out]
  return tf.reshape(y, [...lead, outDim]);
}
