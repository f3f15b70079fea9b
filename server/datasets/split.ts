// Seeded, stratified train/validation split and subsampling of example indices, so every class
// keeps its share and a run with the same seed sees the same rows.
import { createRng, shuffleInPlace } from '../random';

/** Example indices grouped by label, classes in ascending label order. */
function indicesByClass(labels: readonly number[]): number[][] {
  const groups = new Map<number, number[]>();
  labels.forEach((label, i) => {
    const group = groups.get(label);
    if (group === undefined) groups.set(label, [i]);
    else group.push(i);
  });
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, indices]) => indices);
}

const ascending = (a: number, b: number): number => a - b;

/**
 * Splits example indices into train and validation sets. Per class (shuffled with
 * createRng(seed)), round(valFraction × count) rows are held out, at least 1 and at most
 * count − 1 when the class has 2 or more rows; a class with one row stays in train.
 * valFraction 0 holds out nothing. Both lists come back sorted ascending.
 */
export function stratifiedSplit(
  labels: readonly number[],
  valFraction: number,
  seed: number,
): { train: number[]; val: number[] } {
  if (!(valFraction >= 0 && valFraction < 1)) {
    throw new RangeError(`valFraction must be in [0, 1), got ${valFraction}`);
  }
  const rng = createRng(seed);
  const train: number[] = [];
  const val: number[] = [];
  for (const group of indicesByClass(labels)) {
    shuffleInPlace(group, rng);
    let held = Math.round(valFraction * group.length);
    if (valFraction > 0 && group.length >= 2) held = Math.min(Math.max(held, 1), group.length - 1);
    else if (group.length < 2) held = 0;
    // Element by element: spreading a class of ~100k+ rows into push() overflows the call stack.
    for (let i = 0; i < group.length; i++) (i < held ? val : train).push(group[i] as number);
  }
  return { train: train.sort(ascending), val: val.sort(ascending) };
}

/**
 * Picks n example indices keeping class shares (largest-remainder rounding), at least one per
 * class, so the result has more than n rows only when n is below the number of classes.
 * Returns every index when n ≥ labels.length. Sorted ascending; deterministic for a seed.
 */
export function stratifiedSubsample(labels: readonly number[], n: number, seed: number): number[] {
  const total = labels.length;
  if (n >= total) return labels.map((_, i) => i);
  const groups = indicesByClass(labels);
  const quotas = groups.map((g) => (n * g.length) / total);
  const take = quotas.map((q, c) => Math.min(Math.max(1, Math.floor(q)), groups[c]?.length ?? 0));
  let left = n - take.reduce((s, k) => s + k, 0);
  // Hand out the remaining rows by largest fractional share (ties: lower class first).
  const byRemainder = quotas
    .map((q, c) => ({ c, r: q - Math.floor(q) }))
    .sort((a, b) => b.r - a.r || a.c - b.c);
  while (left > 0) {
    const before = left;
    for (const { c } of byRemainder) {
      if (left > 0 && (take[c] ?? 0) < (groups[c]?.length ?? 0)) {
        take[c] = (take[c] ?? 0) + 1;
        left--;
      }
    }
    if (left === before) break;
  }
  // The at-least-one rule can overshoot n: take back from the largest allocations.
  while (left < 0) {
    let largest = -1;
    take.forEach((k, c) => {
      if (k > 1 && (largest < 0 || k > (take[largest] ?? 0))) largest = c;
    });
    if (largest < 0) break;
    take[largest] = (take[largest] ?? 0) - 1;
    left++;
  }
  const rng = createRng(seed);
  const chosen: number[] = [];
  groups.forEach((group, c) => {
    shuffleInPlace(group, rng);
    for (const index of group.slice(0, take[c] ?? 0)) chosen.push(index);
  });
  return chosen.sort(ascending);
}
