/**
 * Kernel-by-kernel time of a training step on the current backend. The step is profiled several
 * times and each kernel's time is the median over those runs (kernels line up by position: the
 * step runs the same sequence every time). Phases are found by position too: the loss closure
 * launches a marker kernel (LinSpace, used nowhere else) right after the forward, and a
 * forward+backward run alone gives the count where gradient norm and AdamW begin. (A forward run
 * outside the gradient tape launches fewer kernels, so its count cannot mark the boundary.) The
 * wasm backend runs kernels synchronously, so tfjs's per-kernel times are wall times; what they
 * miss (random numbers made in JavaScript, tape bookkeeping, tensor creation) is "outside kernels".
 */
import { tf, type Tensor } from '../../server/backend/tf';
import type { TrainSetup } from '../../server/bench/trainWorkloads';
import { median } from '../../server/bench/stats';

type KernelInfo = Awaited<ReturnType<typeof tf.profile>>['kernels'][number];
export type Phase = 'forward' | 'backward' | 'optimizer';

export interface ProfiledKernel {
  readonly name: string;
  readonly inputShapes: readonly (readonly number[])[];
  readonly ms: number;
  readonly phase: Phase;
}

export interface StepProfile {
  readonly kernels: readonly ProfiledKernel[];
  /** Median profiled step wall time, and of (wall − Σ kernels). */
  readonly wallMs: number;
  readonly outsideKernelsMs: number;
  readonly runs: number;
}

/**
 * tf.profile also lists each customGrad op (our matMul, embeddingLookup) as a scope named
 * "forward" around the kernels it runs; only registered kernels are kept, so nothing counts twice.
 */
async function profiled(fn: () => Promise<void>): Promise<{ wallMs: number; kernels: KernelInfo[] }> {
  const t0 = performance.now();
  const info = await tf.profile(async () => {
    await fn();
    return [];
  });
  const backend = tf.getBackend();
  return { wallMs: performance.now() - t0, kernels: info.kernels.filter((k) => tf.getKernel(k.name, backend) !== undefined) };
}

export const kernelMs = (k: KernelInfo): number => (typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0);

const MARKER = 'LinSpace';

export async function profileStep(setup: TrainSetup, runs: number): Promise<StepProfile> {
  const vars = setup.model.params.variables();
  const marked = (): Tensor => {
    const loss = setup.loss();
    tf.linspace(0, 1, 2); // the marker: freed with the forward's scope
    return loss;
  };
  const gradients = await profiled(async () => {
    const { value, grads } = tf.variableGrads(marked as () => tf.Scalar, vars);
    await value.data();
    tf.dispose([value, ...Object.values(grads)]);
  });
  const steps: { wallMs: number; kernels: KernelInfo[] }[] = [];
  for (let i = 0; i < runs; i++) steps.push(await profiled(async () => void (await setup.trainer.trainStep(marked))));
  const first = steps[0]?.kernels ?? [];
  const aligned = steps.every((s) => s.kernels.length === first.length && s.kernels.every((k, i) => k.name === first[i]?.name));
  if (!aligned) throw new Error('profiled steps launched different kernel sequences; cannot take per-kernel medians');
  const marker = first.findIndex((k) => k.name === MARKER);
  if (marker < 0 || first.filter((k) => k.name === MARKER).length !== 1) throw new Error(`expected exactly one ${MARKER} kernel (the forward marker) in a step`);
  const phaseOf = (i: number): Phase => (i < marker ? 'forward' : i < gradients.kernels.length ? 'backward' : 'optimizer');
  const kernels = first
    .map((k, i) => ({ name: k.name, inputShapes: k.inputShapes, phase: phaseOf(i), ms: median(steps.map((s) => kernelMs(s.kernels[i] as KernelInfo))) }))
    .filter((_, i) => i !== marker);
  return {
    kernels,
    wallMs: median(steps.map((s) => s.wallMs)),
    outsideKernelsMs: median(steps.map((s) => s.wallMs - s.kernels.reduce((a, k) => a + kernelMs(k), 0))),
    runs,
  };
}

export const sumMs = (ks: readonly ProfiledKernel[]): number => ks.reduce((a, k) => a + k.ms, 0);

export interface KernelRow {
  readonly key: string;
  readonly forwardMs: number;
  readonly backwardMs: number;
  readonly optimizerMs: number;
  readonly totalMs: number;
  readonly calls: number;
}

export const withShapes = (k: ProfiledKernel): string => `${k.name} ${k.inputShapes.map((s) => `[${s.join('×')}]`).join(' ')}`;

/** Per kernel name (or name + input shapes): time in each phase, sorted by total. */
export function kernelTable(p: StepProfile, key: (k: ProfiledKernel) => string = (k) => k.name): KernelRow[] {
  const rows = new Map<string, { forwardMs: number; backwardMs: number; optimizerMs: number; calls: number }>();
  for (const k of p.kernels) {
    const r = rows.get(key(k)) ?? { forwardMs: 0, backwardMs: 0, optimizerMs: 0, calls: 0 };
    r[`${k.phase}Ms`] += k.ms;
    r.calls += 1;
    rows.set(key(k), r);
  }
  return [...rows.entries()]
    .map(([k, r]) => ({ key: k, ...r, totalMs: r.forwardMs + r.backwardMs + r.optimizerMs }))
    .sort((a, b) => b.totalMs - a.totalMs);
}
