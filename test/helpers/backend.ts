/** Engine tests run on the WebAssembly backend, as users without tfjs-node do. */
import { initBackend } from '../../server/backend/selectBackend';

export async function useTestBackend(): Promise<void> {
  await initBackend('wasm');
}
