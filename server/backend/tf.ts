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
