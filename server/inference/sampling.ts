/** Picking the next token from logits: greedy, temperature, top-k and nucleus (top-p) sampling. */
import type { Rng } from '../random';

export interface SamplingOptions {
  /** 0 means greedy (argmax). */
  readonly temperature: number;
  /** Keep the k most likely tokens (0: all). */
  readonly topK: number;
  /** Keep the smallest set whose probability reaches p (1: all). */
  readonly topP: number;
}

export const GREEDY: SamplingOptions = Object.freeze({ temperature: 0, topK: 0, topP: 1 });

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] ?? -Infinity) > (values[best] ?? -Infinity)) best = i;
  return best;
}

export function sampleToken(logits: ArrayLike<number>, o: SamplingOptions, rng: Rng): number {
  if (o.temperature <= 0) return argmax(logits);
  let ids = Array.from({ length: logits.length }, (_, i) => i).sort((a, b) => (logits[b] ?? 0) - (logits[a] ?? 0));
  if (o.topK > 0) ids = ids.slice(0, o.topK);
  const max = logits[ids[0] ?? 0] ?? 0;
  let probs = ids.map((i) => Math.exp(((logits[i] ?? 0) - max) / o.temperature));
  let total = probs.reduce((a, b) => a + b, 0);
  if (o.topP < 1) {
    let cum = 0;
    let keep = 0;
    while (keep < probs.length && cum < o.topP * total) cum += probs[keep++] ?? 0;
    ids = ids.slice(0, Math.max(1, keep));
    probs = probs.slice(0, ids.length);
    total = probs.reduce((a, b) => a + b, 0);
  }
  let r = rng.next() * total;
  for (let i = 0; i < ids.length; i++) {
    r -= probs[i] ?? 0;
    if (r <= 0) return ids[i] ?? 0;
  }
  return ids[ids.length - 1] ?? 0;
}
