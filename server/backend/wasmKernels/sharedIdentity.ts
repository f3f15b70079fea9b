/**
 * Identity (tf.clone) on the wasm backend without a copy. tfjs keeps every tensor a gradient
 * needs as keep(clone(t)); the wasm backend's Identity copies the data, so recording a forward
 * pass on the tape duplicated every saved activation and every weight a product reads (bert-base:
 * +850 MiB of heap at batch 1). Sharing the storage with a reference count — what the wasm
 * Reshape and the CPU backend's Identity do — is safe because no wasm kernel writes into its
 * inputs; the only in-place writers here (AdamW's moments) first check that the storage is
 * exclusive (backend/rawTensorAccess.ts).
 */
import { tf } from '../tf';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

function isRefCounting(b: unknown): b is RefCountingBackend {
  return typeof (b as Partial<RefCountingBackend> | undefined)?.incRef === 'function';
}

export function installSharedIdentity(): boolean {
  const original = tf.getKernel('Identity', 'wasm');
  if (original === undefined || !isRefCounting(tf.findBackend('wasm'))) return false;
  const kernelFunc = (args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string' || !isRefCounting(args.backend)) return original.kernelFunc(args) as tf.TensorInfo;
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ kernelName: 'Identity', backendName: 'wasm', kernelFunc: kernelFunc as tf.KernelFunc });
  return true;
}
