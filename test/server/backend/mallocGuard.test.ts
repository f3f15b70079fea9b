/** The wasm heap's malloc throws when the heap is full instead of handing out offset 0 (mallocGuard.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installMallocGuard } from '../../../server/backend/wasmKernels/mallocGuard';

test('a failed allocation throws an out-of-memory error; good ones and empty ones pass through', () => {
  let full = false;
  const wasm = { _malloc: (_: number): number => -1, asm: { malloc: (bytes: number): number => (full && bytes > 0 ? 0 : 64) } };
  assert.equal(installMallocGuard({ wasm }), true);
  assert.equal(wasm._malloc(1024), 64);
  full = true;
  assert.equal(wasm._malloc(0), 64);
  assert.throws(() => wasm._malloc(3 * 2 ** 30), /WebAssembly heap out of memory: 3072 MiB/);
});

test('a backend without the expected module is left alone', () => {
  assert.equal(installMallocGuard({}), false);
  assert.equal(installMallocGuard({ wasm: { _malloc: () => 0 } }), false);
  assert.equal(installMallocGuard(undefined), false);
});
