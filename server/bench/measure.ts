/** Small measuring helpers shared by the workloads: wall time, repetitions, peak RSS, live tensors. */
import { tf } from '../backend/tf';

/** Milliseconds `fn` takes, awaited. */
export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** `warmup` untimed then `steps` timed runs of `fn`; the timed durations in ms. */
export async function repeat(warmup: number, steps: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) times.push(await timeMs(fn));
  return times;
}

/** Peak resident set size of this process so far, MiB (per workload when each runs in its own process). */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export const liveTensors = (): number => tf.memory().numTensors;
