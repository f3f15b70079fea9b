// The heat maps' colour scale: a sequential ramp (viridis-like, readable on light and dark
// backgrounds and for common colour-vision deficiencies) from 0 to a maximum. Pure functions.

/** Anchor colours of the ramp, low to high (viridis at 0, .25, .5, .75, 1). */
const RAMP: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** `value` in [0, max] → [r, g, b] (0–255); out-of-range and non-finite values clamp. */
export function rampColor(value: number, max = 1): [number, number, number] {
  const t = max > 0 && Number.isFinite(value) ? Math.min(1, Math.max(0, value / max)) : 0;
  const pos = t * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(pos));
  const f = pos - i;
  const a = RAMP[i]!;
  const b = RAMP[i + 1]!;
  return [0, 1, 2].map((c) => Math.round(a[c]! + (b[c]! - a[c]!) * f)) as [number, number, number];
}

/** Maximum of a matrix (0 for an empty one): the top of the scale when not fixed at 1. */
export function maxOf(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  return max;
}
