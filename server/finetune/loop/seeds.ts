/**
 * Every random choice of the training loop as a pure function of (seed, epoch, step): batch order
 * per epoch and dropout masks per micro-batch. A run resumed mid-epoch therefore draws exactly the
 * batches and masks the uninterrupted run would have drawn.
 */
import type { ForwardOptions } from '../../models/blocks';
import { createRng } from '../../random';

/** A 32-bit hash of small integers (murmur3's finaliser over a multiplicative combination). */
export function mixSeed(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** The seed of epoch `epoch`'s batch order. */
export const epochSeed = (seed: number, epoch: number): number => mixSeed(seed, 0xba7c, epoch);

/** Training-mode forward options whose dropout seeds depend only on (seed, step, micro-batch). */
export function trainingOptions(seed: number, step: number, micro: number): ForwardOptions {
  const rng = createRng(mixSeed(seed, 0xd70b, step, micro));
  return { training: true, nextSeed: () => rng.int(2 ** 31) };
}
