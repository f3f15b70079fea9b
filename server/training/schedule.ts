/** Learning-rate schedules as pure functions of the step (0-based). */

/** Linear warmup from 0 to `peak` over `warmupSteps`, then linear decay to 0 at `totalSteps`. */
export function linearWarmupDecay(step: number, peak: number, warmupSteps: number, totalSteps: number): number {
  if (warmupSteps > 0 && step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  const decaySteps = Math.max(1, totalSteps - warmupSteps);
  const done = Math.min(1, (step - warmupSteps) / decaySteps);
  return peak * Math.max(0, 1 - done);
}
