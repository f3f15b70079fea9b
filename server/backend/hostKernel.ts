/**
 * A fused elementwise or row-wise operation written as one JavaScript loop over the tensors'
 * float32 values, instead of a chain of backend kernels that each make a full-size intermediate.
 * On the in-process backends (wasm, pure JS) the loop reads and writes the backend's storage
 * directly; elsewhere the inputs are read with dataSync and the outputs uploaded, so the same
 * code runs everywhere.
 */
import { tf, type Tensor } from './tf';
import { rawFloat32 } from './rawTensorAccess';

/** The wasm backend's makeOutput: heap storage without the zero fill (every output is written in full). */
interface OutputMaker {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
}

/** A float32 tensor whose values the caller writes: uninitialised on the wasm backend, zeros elsewhere. */
function uninitialized(shape: readonly number[]): Tensor {
  const backend = tf.backend() as Partial<OutputMaker>;
  if (tf.getBackend() === 'wasm' && typeof backend.makeOutput === 'function') {
    return tf.engine().makeTensorFromTensorInfo(backend.makeOutput([...shape], 'float32'));
  }
  return tf.zeros([...shape], 'float32');
}

/**
 * Fresh float32 outputs of `outShapes`, filled by `body` from the values of `inputs` (float32);
 * `body` must write every output value (on the wasm backend they start uninitialised).
 * Views are taken after every output is allocated: an allocation may grow (move) the heap.
 */
export function hostKernel(inputs: readonly Tensor[], outShapes: readonly (readonly number[])[], body: (ins: Float32Array[], outs: Float32Array[]) => void): Tensor[] {
  const outs = outShapes.map((shape) => uninitialized(shape));
  const outViews = outs.map((t) => rawFloat32(t));
  const inViews = inputs.map((t) => rawFloat32(t)?.values ?? (t.dataSync() as Float32Array));
  if (outViews.every((v) => v !== null && v.exclusive)) {
    body(inViews, outViews.map((v) => (v as { values: Float32Array }).values));
    return outs;
  }
  tf.dispose(outs);
  const arrays = outShapes.map((shape) => new Float32Array(shape.reduce((a, b) => a * b, 1)));
  body(inViews, arrays);
  return arrays.map((a, i) => tf.tensor(a, [...(outShapes[i] as readonly number[])], 'float32'));
}
