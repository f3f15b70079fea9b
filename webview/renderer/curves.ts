// The `application/vnd.transfer-lab.curves+json` payload (docs/notebook-mime.md) and the pure
// geometry of its chart: validation of the untrusted JSON, then scales and SVG path data for the
// train-loss, validation-loss and validation-accuracy series. No DOM (tested in test/webview/).

export interface CurvePoint {
  readonly step: number;
  readonly value: number;
}

export interface CurvesPayload {
  readonly title: string | null;
  /** Train loss per optimisation step. */
  readonly trainLoss: readonly CurvePoint[];
  /** Validation loss and accuracy per evaluation. */
  readonly valLoss: readonly CurvePoint[];
  readonly valAccuracy: readonly CurvePoint[];
}

const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * Reads a payload `{ title?, events: [{type:'step', step, loss} | {type:'eval', step, valLoss,
 * valAccuracy}] }` (extra fields and other event types are ignored). Throws with what is wrong.
 */
export function parseCurves(json: unknown): CurvesPayload {
  if (typeof json !== 'object' || json === null) throw new Error('expected a JSON object with an "events" array');
  const { title, events } = json as Record<string, unknown>;
  if (!Array.isArray(events)) throw new Error('"events" must be an array of step and eval events');
  const trainLoss: CurvePoint[] = [];
  const valLoss: CurvePoint[] = [];
  const valAccuracy: CurvePoint[] = [];
  for (const e of events as unknown[]) {
    if (typeof e !== 'object' || e === null) continue;
    const r = e as Record<string, unknown>;
    if (!isFiniteNumber(r['step'])) continue;
    const step = r['step'];
    if (r['type'] === 'step' && isFiniteNumber(r['loss'])) trainLoss.push({ step, value: r['loss'] });
    if (r['type'] === 'eval') {
      if (isFiniteNumber(r['valLoss'])) valLoss.push({ step, value: r['valLoss'] });
      if (isFiniteNumber(r['valAccuracy'])) valAccuracy.push({ step, value: r['valAccuracy'] });
    }
  }
  const byStep = (a: CurvePoint, b: CurvePoint): number => a.step - b.step;
  return { title: typeof title === 'string' ? title : null, trainLoss: trainLoss.sort(byStep), valLoss: valLoss.sort(byStep), valAccuracy: valAccuracy.sort(byStep) };
}

/** A linear map from [d0, d1] to [r0, r1]; a degenerate domain maps to the middle of the range. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (x: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2;
  return (x) => r0 + ((x - d0) / (d1 - d0)) * (r1 - r0);
}

/** [min, max] over every point of the series, or undefined when they are all empty. */
export function extent(series: readonly (readonly CurvePoint[])[], pick: (p: CurvePoint) => number): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) for (const p of s) {
    lo = Math.min(lo, pick(p));
    hi = Math.max(hi, pick(p));
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/** SVG path data through the points ("M x,y L x,y …"), coordinates rounded to 0.1 px. */
export function pathData(points: readonly CurvePoint[], x: (step: number) => number, y: (value: number) => number): string {
  const r = (v: number): number => Math.round(v * 10) / 10;
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${r(x(p.step))},${r(y(p.value))}`).join(' ');
}

/** About `count` round tick values covering [lo, hi] (steps of 1, 2 or 5 × 10^k). */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}
