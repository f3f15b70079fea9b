/**
 * The one TensorFlow.js entry point of the engine. Everything in server/ imports `tf` from here,
 * never from a backend package, so the backend chain in selectBackend.ts stays the single place
 * that decides where kernels run.
 */
import * as tf from '@tensorflow/tfjs-core';
// Gradients are registered separately from ops in tfjs-core; training needs all of them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';

export { tf };
export type Tensor = tf.Tensor;
export type Variable = tf.Variable;

/**
 * tf.tidy for results typed as interfaces (tidy keeps every tensor reachable through plain
 * objects and arrays in the result, but its TensorContainer type has no room for interfaces).
 */
export function tidyKeep<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}
