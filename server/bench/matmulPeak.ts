/**
 * The machine's matmul peak on the current backend: square n×n·n×n products, median time per
 * size, GFLOP/s per size; the headline is the median over sizes (the reference the workloads'
 * achieved GFLOP/s is divided by), the best size is a detail.
 */
import { tf } from '../backend/tf';
import type { BenchSpec } from './benchSpec';
import { squareMatmulFlops } from './flops';
import { liveTensors, repeat } from './measure';
import { median } from './stats';
import type { WorkloadResult } from './workloadResult';

export async function matmulPeakWorkload(spec: BenchSpec): Promise<WorkloadResult> {
  const tensorsBefore = liveTensors();
  const details: Record<string, number> = {};
  const perSize: number[] = [];
  const timesMs: number[] = [];
  for (const n of spec.matmulSizes) {
    const a = tf.randomUniform([n, n], -1, 1, 'float32', spec.seed);
    const b = tf.randomUniform([n, n], -1, 1, 'float32', spec.seed + 1);
    try {
      // Small products are timed in groups so each timed span is well above timer resolution.
      const group = Math.max(1, Math.round((256 / n) ** 3));
      const times = await repeat(spec.warmup, Math.max(spec.steps, 3), async () => {
        for (let i = 0; i < group; i++) {
          const c = tf.matMul(a, b);
          await c.data();
          c.dispose();
        }
      });
      const ms = median(times) / group;
      timesMs.push(ms);
      const gflops = squareMatmulFlops(n) / (ms / 1000) / 1e9;
      details[`n${n}`] = gflops;
      perSize.push(gflops);
    } finally {
      tf.dispose([a, b]);
    }
  }
  details['best'] = Math.max(...perSize);
  const value = median(perSize);
  return {
    workload: 'matmul', shape: spec.shape, value, unit: 'GFLOP/s', timesMs, medianMs: median(timesMs), tokensPerSec: null,
    matmulFlops: null, gflops: value, timeToFirstTokenMs: null, tensorsBefore, tensorsAfter: liveTensors(), details,
  };
}
