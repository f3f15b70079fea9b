/** Feed-forward activations by their Hugging Face `hidden_act` names. */
import { tf, type Tensor } from '../../backend/tf';
import { UserError } from '../../errors';

export const SUPPORTED_ACTIVATIONS = ['gelu', 'gelu_new', 'gelu_pytorch_tanh', 'relu', 'tanh'] as const;
export type Activation = (typeof SUPPORTED_ACTIVATIONS)[number];

const SQRT_HALF = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const TANH_CUBIC = 0.044715;

/**
 * An elementwise activation with a hand-written derivative: `forward` returns the value and the
 * tensors the derivative needs (x first); the backward keeps only those, where tfjs's own
 * differentiation of the formula kept every full-size intermediate of the layer's widest tensor
 * until the backward ended.
 */
function withDerivative(forward: (x: Tensor) => { y: Tensor; keep: Tensor[] }, derivative: (kept: Tensor[]) => Tensor): (x: Tensor) => Tensor {
  return tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [Tensor, tf.GradSaveFunc];
    const { y, keep } = forward(x);
    save(keep);
    return { value: y, gradFunc: (dy: Tensor, saved: Tensor[]) => [tf.tidy(() => tf.mul(dy, derivative(saved)))] };
  }) as (x: Tensor) => Tensor;
}

/** Exact gelu: 0.5·x·(1 + erf(x/√2)), HF's "gelu"; derivative 0.5·(1 + erf(x/√2)) + x·e^{−x²/2}/√(2π). */
const geluExact = withDerivative(
  (x) => {
    const cdf2 = tf.add(tf.erf(tf.mul(x, SQRT_HALF)), 1); // 2Φ(x)
    return { y: tf.mul(tf.mul(x, 0.5), cdf2), keep: [x, cdf2] };
  },
  ([x, cdf2]) => tf.add(tf.mul(cdf2 as Tensor, 0.5), tf.mul(x as Tensor, tf.mul(tf.exp(tf.mul(tf.mul(x as Tensor, x as Tensor), -0.5)), INV_SQRT_2PI))),
);

/** Tanh approximation, HF's "gelu_new"; x·x·x instead of pow(x, 3), which is ~20× slower in wasm. */
function tanhInner(x: Tensor): Tensor {
  return tf.tanh(tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), TANH_CUBIC)), SQRT_2_OVER_PI));
}
const geluTanh = withDerivative(
  (x) => {
    const t = tanhInner(x);
    return { y: tf.mul(tf.mul(x, 0.5), tf.add(t, 1)), keep: [x, t] };
  },
  // 0.5·(1 + t) + 0.5·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²)
  ([x, t]) => {
    const inner = tf.mul(tf.add(tf.mul(tf.mul(x as Tensor, x as Tensor), 3 * TANH_CUBIC), 1), 0.5 * SQRT_2_OVER_PI);
    return tf.add(tf.mul(tf.add(t as Tensor, 1), 0.5), tf.mul(tf.mul(x as Tensor, tf.sub(1, tf.mul(t as Tensor, t as Tensor))), inner));
  },
);

export function activation(name: Activation): (x: Tensor) => Tensor {
  switch (name) {
    case 'gelu':
      return geluExact;
    case 'gelu_new':
    case 'gelu_pytorch_tanh':
      return geluTanh;
    case 'relu':
      return (x) => tf.relu(x);
    case 'tanh':
      return (x) => tf.tanh(x);
  }
}

export function parseActivation(value: unknown, source: string): Activation {
  if (typeof value === 'string' && (SUPPORTED_ACTIVATIONS as readonly string[]).includes(value)) return value as Activation;
  throw new UserError(
    `${source}: hidden_act "${String(value)}" is not supported. Supported: ${SUPPORTED_ACTIVATIONS.join(', ')}.`,
  );
}
