/**
 * Axis maths for the report's SVG charts: data extents, "nice" tick values (1, 2, 5 × 10^k),
 * linear and log10 mappings to pixels, and compact number formatting for tick labels.
 */

export type Point = readonly [x: number, y: number];

/** [min, max] of the finite values, or null when there are none. */
export function extent(values: Iterable<number>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return lo <= hi ? [lo, hi] : null;
}

/** Widens a degenerate or tight domain so a flat series still gets an axis. */
export function padDomain([lo, hi]: readonly [number, number]): [number, number] {
  if (hi > lo) return [lo, hi];
  const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
  return [lo - d, hi + d];
}

/** Nice step for about `count` intervals over `span`: 1, 2 or 5 × 10^k. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/** The domain rounded out to whole steps, and the ticks inside it. */
export function niceTicks(domain: readonly [number, number], count = 5): { domain: [number, number]; ticks: number[] } {
  const [lo, hi] = padDomain(domain);
  const step = niceStep(hi - lo, count);
  const start = Math.floor(lo / step) * step;
  const end = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let i = 0; start + i * step <= end + step * 1e-9; i++) ticks.push(+(start + i * step).toPrecision(12));
  return { domain: [start, end], ticks };
}

/** Maps [d0, d1] onto [r0, r1], on a log10 scale when `log` (values ≤ 0 are clamped to d0). */
export function scale(domain: readonly [number, number], range: readonly [number, number], log = false): (v: number) => number {
  const t = log ? (v: number): number => Math.log10(Math.max(v, domain[0])) : (v: number): number => v;
  const d0 = t(domain[0]);
  const span = t(domain[1]) - d0 || 1;
  return (v) => range[0] + ((t(v) - d0) / span) * (range[1] - range[0]);
}

/** Compact labels: 0.25, 1.5k, 3e-5, 12%. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a < 1e-3) return v.toExponential(1).replace(/\.0e/, 'e');
  if (a >= 1e5) return `${+(v / 1000).toPrecision(3)}k`;
  return String(+v.toPrecision(4));
}

export const formatPercent = (v: number): string => `${+(v * 100).toFixed(1)}%`;

/** At most `max` points: per bucket, the lowest and the highest y in x order (spikes survive). */
export function decimate(points: readonly Point[], max = 800): readonly Point[] {
  if (points.length <= max) return points;
  const size = Math.ceil((points.length * 2) / max);
  const out: Point[] = [];
  for (let i = 0; i < points.length; i += size) {
    const bucket = points.slice(i, i + size);
    let lo = bucket[0] as Point;
    let hi = lo;
    for (const p of bucket) {
      if (p[1] < lo[1]) lo = p;
      if (p[1] > hi[1]) hi = p;
    }
    out.push(...(lo === hi ? [lo] : lo[0] < hi[0] ? [lo, hi] : [hi, lo]));
  }
  return out;
}
