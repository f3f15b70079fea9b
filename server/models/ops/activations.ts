/** Feed-forward activations by their Hugging Face `hidden_act` names. */
import { tf, type Tensor } from '../../backend/tf';
import { UserError } from '../../errors';

export const SUPPORTED_ACTIVATIONS = ['gelu', 'gelu_new', 'gelu_pytorch_tanh', 'relu', 'tanh'] as const;
export type Activation = (typeof SUPPORTED_ACTIVATIONS)[number];

const SQRT_HALF = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Exact gelu: 0.5·x·(1 + erf(x/√2)), HF's "gelu". */
function geluExact(x: Tensor): Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, SQRT_HALF)), 1));
}

/** Tanh approximation, HF's "gelu_new"; x·x·x instead of pow(x, 3), which is ~20× slower in wasm. */
function geluTanh(x: Tensor): Tensor {
  const cube = tf.mul(tf.mul(x, x), x);
  const inner = tf.mul(tf.add(x, tf.mul(cube, 0.044715)), SQRT_2_OVER_PI);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

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
