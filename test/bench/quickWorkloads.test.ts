/**
 * The benchmark's workloads (those `npm run bench -- --quick` runs) in-process at the tiniest
 * size: each produces a positive, finite figure and leaves no extra live tensors behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../server/backend/selectBackend';
import { resolveBenchSpec, type BenchShape, type WorkloadKind } from '../../server/bench/benchSpec';
import { isLeak, runWorkload } from '../../server/bench/runWorkload';

const TINY: Omit<BenchShape, 'family'> = { layers: 1, hidden: 16, heads: 2, ffn: 32, vocab: 64, seq: 8, batch: 2, positions: 32 };
const WORKLOADS: readonly WorkloadKind[] = ['matmul', 'train', 'mlm', 'features', 'attention', 'generate', 'load'];

for (const workload of WORKLOADS) {
  test(`bench ${workload}: runs at the tiniest size without leaking tensors`, async () => {
    const backend = await initBackend('wasm');
    const spec = resolveBenchSpec({
      workload, steps: 2, warmup: 1, newTokens: 4, matmulSizes: [16, 32],
      shape: { ...TINY, family: workload === 'generate' ? 'gpt2' : 'bert' },
    });
    const s = await runWorkload(spec, backend);
    assert.ok(Number.isFinite(s.value) && s.value > 0, `${workload}: headline ${s.value} ${s.unit}`);
    assert.equal(s.timesMs.length, workload === 'matmul' ? spec.matmulSizes.length : spec.steps);
    assert.ok(s.peakRssMb > 0);
    assert.equal(s.tensorsAfter, s.tensorsBefore, 'live tensors grew across repetitions');
    assert.equal(s.tensorsAtEnd, s.tensorsAtStart, 'tensors left alive after the model, batch and optimizer were disposed');
    assert.equal(s.leaked, false);
  });
}

test('bench train and mlm with --micro-batch: the step accumulates batch / micro-batch forward passes, leak-free', async () => {
  const backend = await initBackend('wasm');
  for (const workload of ['train', 'mlm'] as const) {
    const spec = resolveBenchSpec({ workload, steps: 2, warmup: 1, microBatch: 1, shape: { ...TINY, family: 'bert' } });
    const s = await runWorkload(spec, backend);
    assert.ok(Number.isFinite(s.value) && s.value > 0);
    assert.equal(s.details['microBatch'], 1);
    assert.equal(s.leaked, false);
  }
  assert.throws(() => resolveBenchSpec({ workload: 'train', microBatch: 3, shape: { ...TINY, family: 'bert' } }), /--micro-batch must divide --batch/);
  assert.throws(() => resolveBenchSpec({ workload: 'features', microBatch: 1, shape: { ...TINY, family: 'bert' } }), /train and mlm only/);
});

test('a leak is growth across repetitions or tensors outliving disposal, never a shrink', () => {
  const flat = { tensorsBefore: 40, tensorsAfter: 40, tensorsAtStart: 0, tensorsAtEnd: 0 };
  assert.equal(isLeak(flat), false);
  assert.equal(isLeak({ ...flat, tensorsAfter: 41 }), true);
  assert.equal(isLeak({ ...flat, tensorsAtEnd: 2 }), true);
  assert.equal(isLeak({ ...flat, tensorsAfter: 39, tensorsAtEnd: 0 }), false);
});
