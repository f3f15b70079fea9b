/**
 * Kernel-by-kernel time of one training step on the current backend, split into phases by
 * profiling three nested pieces of work: forward + loss, forward + backward (variableGrads), and
 * the whole Trainer step (adds accumulation, clipping and AdamW). The wasm backend runs kernels
 * synchronously, so tfjs's per-kernel times are wall times; what they do not cover (random
 * numbers made in JavaScript, tape bookkeeping, tensor creation) is reported as "outside kernels".
 */
import { tf } from '../../server/backend/tf';
import type { TrainSetup } from '../../server/bench/trainWorkloads';

type KernelInfo = Awaited<ReturnType<typeof tf.profile>>['kernels'][number];

export interface PhaseProfile {
  readonly wallMs: number;
  readonly kernels: readonly KernelInfo[];
}

export interface StepProfile {
  readonly forward: PhaseProfile;
  /** Forward and backward together; backward alone is the difference to `forward`. */
  readonly gradients: PhaseProfile;
  /** The whole Trainer.trainStep. */
  readonly step: PhaseProfile;
}

/**
 * tf.profile also lists each customGrad op (our matMul, embeddingLookup) as a scope named
 * "forward" around the kernels it runs; only registered kernels are kept, so nothing counts twice.
 */
async function profiled(fn: () => Promise<void>): Promise<PhaseProfile> {
  const t0 = performance.now();
  const info = await tf.profile(async () => {
    await fn();
    return [];
  });
  const backend = tf.getBackend();
  return { wallMs: performance.now() - t0, kernels: info.kernels.filter((k) => tf.getKernel(k.name, backend) !== undefined) };
}

export async function profileStep(setup: TrainSetup): Promise<StepProfile> {
  const vars = setup.model.params.variables();
  const forward = await profiled(async () => {
    const loss = tf.tidy(setup.loss);
    await loss.data();
    loss.dispose();
  });
  const gradients = await profiled(async () => {
    const { value, grads } = tf.variableGrads(setup.loss as () => tf.Scalar, vars);
    await value.data();
    tf.dispose([value, ...Object.values(grads)]);
  });
  const step = await profiled(async () => void (await setup.trainer.trainStep(setup.loss)));
  return { forward, gradients, step };
}

export const kernelMs = (k: KernelInfo): number => (typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0);
export const sumMs = (ks: readonly KernelInfo[]): number => ks.reduce((a, k) => a + kernelMs(k), 0);

export interface KernelRow {
  readonly key: string;
  readonly forwardMs: number;
  readonly backwardMs: number;
  readonly optimizerMs: number;
  readonly totalMs: number;
  readonly calls: number;
}

function byKey(ks: readonly KernelInfo[], key: (k: KernelInfo) => string): Map<string, { ms: number; calls: number }> {
  const out = new Map<string, { ms: number; calls: number }>();
  for (const k of ks) {
    const e = out.get(key(k)) ?? { ms: 0, calls: 0 };
    e.ms += kernelMs(k);
    e.calls += 1;
    out.set(key(k), e);
  }
  return out;
}

/** Per kernel name (or name + input shapes): time in each phase, sorted by total. */
export function kernelTable(p: StepProfile, key: (k: KernelInfo) => string = (k) => k.name): KernelRow[] {
  const fwd = byKey(p.forward.kernels, key);
  const grad = byKey(p.gradients.kernels, key);
  const step = byKey(p.step.kernels, key);
  return [...step.entries()]
    .map(([k, s]) => {
      const f = fwd.get(k)?.ms ?? 0;
      const g = grad.get(k)?.ms ?? 0;
      return { key: k, forwardMs: f, backwardMs: Math.max(0, g - f), optimizerMs: Math.max(0, s.ms - g), totalMs: s.ms, calls: s.calls };
    })
    .sort((a, b) => b.totalMs - a.totalMs);
}

export const withShapes = (k: KernelInfo): string => `${k.name} ${k.inputShapes.map((s) => `[${s.join('×')}]`).join(' ')}`;
