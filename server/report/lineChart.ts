/**
 * Line charts as inline SVG (no scripts): nice ticks, optional log-scaled x, dashed series,
 * markers, horizontal reference lines, and an HTML legend. Colours come from the stylesheet's
 * palette classes (c0…c5), so the chart follows the light or dark scheme.
 */
import { h, type Child, type Markup } from './html';
import { decimate, extent, formatNumber, niceTicks, padDomain, scale, type Point } from './chartScale';

export interface ChartSeries {
  readonly name: string;
  readonly points: readonly Point[];
  readonly dashed?: boolean;
  /** A dot on every point: for sparse series such as one value per evaluation. */
  readonly markers?: boolean;
  /** Palette index 0…5 (default: the series' position). */
  readonly color?: number;
}

export interface LineChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  /** Horizontal dashed lines such as the base model's probe loss. */
  readonly refLines?: readonly { readonly name: string; readonly y: number }[];
  /** Log10 x axis (label budgets); ticks then default to the x values present. */
  readonly logX?: boolean;
  readonly xTicks?: readonly number[];
  readonly yFormat?: (v: number) => string;
  /** Fixed y range, e.g. [0, 1] for accuracies. */
  readonly yDomain?: readonly [number, number];
}

const W = 640;
const H = 240;
const M = { left: 58, right: 14, top: 10, bottom: 38 };
const PALETTE_SIZE = 6;

const fmt = (v: number): string => String(Math.round(v * 10) / 10);
const finite = (p: Point): boolean => Number.isFinite(p[0]) && Number.isFinite(p[1]);

interface Frame {
  readonly x: (v: number) => number;
  readonly y: (v: number) => number;
  readonly xTicks: readonly number[];
  readonly yTicks: readonly number[];
}

function frameFor(spec: LineChartSpec, series: readonly ChartSeries[]): Frame | null {
  const xs = extent(series.flatMap((s) => s.points.map((p) => p[0])));
  const ys = extent([...series.flatMap((s) => s.points.map((p) => p[1])), ...(spec.refLines ?? []).map((r) => r.y)]);
  if (xs === null || ys === null) return null;
  const xNice = spec.logX === true ? { domain: padDomain(xs), ticks: [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))] } : niceTicks(xs, 6);
  const yNice = spec.yDomain !== undefined ? niceTicks(spec.yDomain, 5) : niceTicks(ys, 5);
  return {
    x: scale(xNice.domain, [M.left, W - M.right], spec.logX === true),
    y: scale(yNice.domain, [H - M.bottom, M.top]),
    xTicks: spec.xTicks ?? xNice.ticks,
    yTicks: yNice.ticks,
  };
}

function axes(spec: LineChartSpec, f: Frame): Child[] {
  const yFormat = spec.yFormat ?? formatNumber;
  return [
    f.yTicks.map((t) => [
      h('line', { class: 'gridline', x1: M.left, x2: W - M.right, y1: fmt(f.y(t)), y2: fmt(f.y(t)) }),
      h('text', { x: M.left - 6, y: fmt(f.y(t) + 4), 'text-anchor': 'end' }, yFormat(t)),
    ]),
    f.xTicks.map((t) => h('text', { x: fmt(f.x(t)), y: H - M.bottom + 15, 'text-anchor': 'middle' }, formatNumber(t))),
    h('rect', { class: 'frame', x: M.left, y: M.top, width: W - M.left - M.right, height: H - M.top - M.bottom }),
    h('text', { x: (M.left + W - M.right) / 2, y: H - 4, 'text-anchor': 'middle' }, spec.xLabel),
    h('text', { x: 12, y: (M.top + H - M.bottom) / 2, 'text-anchor': 'middle', transform: `rotate(-90 12 ${(M.top + H - M.bottom) / 2})` }, spec.yLabel),
  ];
}

function seriesMarks(s: ChartSeries, index: number, f: Frame): Child {
  const cls = `c${(s.color ?? index) % PALETTE_SIZE}`;
  const pts = decimate(s.points.filter(finite));
  const path = pts.map((p) => `${fmt(f.x(p[0]))},${fmt(f.y(p[1]))}`).join(' ');
  return [
    pts.length > 1 ? h('polyline', { class: `line ${cls}${s.dashed === true ? ' dashed' : ''}`, points: path }) : null,
    s.markers === true || pts.length === 1
      ? pts.map((p) => h('circle', { class: cls, cx: fmt(f.x(p[0])), cy: fmt(f.y(p[1])), r: 2.8 }, h('title', {}, `${s.name}: ${formatNumber(p[1])} at ${formatNumber(p[0])}`)))
      : null,
  ];
}

function legend(spec: LineChartSpec): Markup {
  return h('ul', { class: 'legend' },
    spec.series.map((s, i) => h('li', { class: `c${(s.color ?? i) % PALETTE_SIZE}` }, h('span', { class: `swatch${s.dashed === true ? ' dashed' : ''}` }), h('span', { class: 'label' }, s.name))),
    (spec.refLines ?? []).map((r) => h('li', {}, h('span', { class: 'swatch dashed' }), h('span', { class: 'label' }, `${r.name} (${formatNumber(r.y)})`))));
}

/** A `<figure>` with the chart, or a one-line note when no series has a finite point. */
export function lineChart(spec: LineChartSpec): Markup {
  const series = spec.series.map((s) => ({ ...s, points: s.points.filter(finite) }));
  const f = frameFor(spec, series);
  if (f === null) return h('figure', {}, h('figcaption', {}, spec.title), h('p', { class: 'muted' }, 'No values recorded.'));
  const refs = (spec.refLines ?? []).map((r) => h('line', { class: 'ref', x1: M.left, x2: W - M.right, y1: fmt(f.y(r.y)), y2: fmt(f.y(r.y)) }, h('title', {}, `${r.name}: ${formatNumber(r.y)}`)));
  const svg = h('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': spec.title }, axes(spec, f), refs, series.map((s, i) => seriesMarks(s, i, f)));
  return h('figure', {}, h('figcaption', {}, spec.title), svg, legend(spec));
}
