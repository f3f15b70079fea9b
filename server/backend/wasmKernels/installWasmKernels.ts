/**
 * Our replacements for wasm-backend kernels whose tfjs versions are slow or copy needlessly
 * (each file says why, with the measurement). Installed once, right after the wasm backend is
 * ready; TRANSFER_LAB_WASM_KERNELS=0 keeps tfjs's own kernels (for A/B measurements).
 */
import { installFastBatchMatMul } from './fastBatchMatMul';
import { installSharedIdentity } from './sharedIdentity';

let installed: readonly string[] | null = null;

/** Names of the kernels replaced (empty when switched off or where the backend lacks what they need). */
export function installWasmKernels(): readonly string[] {
  if (installed !== null) return installed;
  if (process.env['TRANSFER_LAB_WASM_KERNELS'] === '0') return [];
  installed = [
    ...(installFastBatchMatMul() ? ['BatchMatMul'] : []),
    ...(installSharedIdentity() ? ['Identity'] : []),
  ];
  return installed;
}
