/** Learning-rate schedules as pure functions of the step (0-based). */

/** Linear warmup from 0 to `peak` over `warmupSteps`, then linear decay to 0 at `totalSteps`. */
export function linearWarmupDecay(step: number, peak: number, warmupSteps: number, totalSteps: number): number {
  if (warmupSteps > 0 && step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  const decaySteps = Math.max(1, totalSteps - warmupSteps);
  const done = Math.min(1, (step - warmupSteps) / decaySteps);
  return peak * Math.max(0, 1 - done);
}

/** Linear warmup, then half a cosine from `peak` down to 0 at `totalSteps`. */
export function cosineWarmupDecay(step: number, peak: number, warmupSteps: number, totalSteps: number): number {
  if (warmupSteps > 0 && step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  const progress = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
  return peak * 0.5 * (1 + Math.cos(Math.PI * progress));
}

/** Linear warmup, then constant. */
export function constantWarmup(step: number, peak: number, warmupSteps: number): number {
  return warmupSteps > 0 && step < warmupSteps ? (peak * (step + 1)) / warmupSteps : peak;
}

export type ScheduleKind = 'linear' | 'cosine' | 'constant';

export function learningRateAt(kind: ScheduleKind, step: number, peak: number, warmupSteps: number, totalSteps: number): number {
  switch (kind) {
    case 'linear':
      return linearWarmupDecay(step, peak, warmupSteps, totalSteps);
    case 'cosine':
      return cosineWarmupDecay(step, peak, warmupSteps, totalSteps);
    case 'constant':
      return constantWarmup(step, peak, warmupSteps);
  }
}
