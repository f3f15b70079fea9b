/**
 * Heat maps (rows × columns of values, darker = larger, a tooltip per cell) and horizontal bar
 * charts as inline SVG, for per-layer and per-head diagnostics.
 */
import { h, type Markup } from './html';
import { extent, formatNumber } from './chartScale';

export interface HeatMapSpec {
  readonly title: string;
  /** Shown above the map: what a row and a column are. */
  readonly caption: string;
  readonly rowLabels: readonly string[];
  readonly colLabels: readonly string[];
  /** values[row][col]; null = not measured. */
  readonly values: readonly (readonly (number | null)[])[];
  readonly format?: (v: number) => string;
}

const LABEL_W = 96;
const WIDTH = 640;
const ROW_H = 18;
const HEADER_H = 18;
const MAX_COL_LABELS = 12;

const fmt = (v: number): string => String(Math.round(v * 100) / 100);

/** Values spanning more than this ratio are shaded on a log scale, so small ones still show. */
const LOG_RATIO = 20;

/** Opacity 0.06…1 for v in [lo, hi], linear or log10. */
function shading(lo: number, hi: number): { opacity: (v: number) => string; log: boolean } {
  const log = lo > 0 && hi / lo > LOG_RATIO;
  const t = log ? (v: number): number => Math.log10(Math.max(v, lo)) : (v: number): number => v;
  const span = t(hi) - t(lo);
  return { log, opacity: (v) => (0.06 + 0.94 * (span > 0 ? (t(v) - t(lo)) / span : 1)).toFixed(3) };
}

export function heatMap(spec: HeatMapSpec): Markup {
  const format = spec.format ?? formatNumber;
  const range = extent(spec.values.flatMap((r) => r.flatMap((v) => (v === null ? [] : [v]))));
  if (range === null || spec.colLabels.length === 0) return h('figure', {}, h('figcaption', {}, spec.title), h('p', { class: 'muted' }, 'No values recorded.'));
  const [lo, hi] = range;
  const shade = shading(lo, hi);
  const cellW = Math.max(2, Math.min(56, (WIDTH - LABEL_W) / spec.colLabels.length));
  const width = LABEL_W + cellW * spec.colLabels.length;
  const height = HEADER_H + ROW_H * spec.rowLabels.length;
  const labelEvery = Math.ceil(spec.colLabels.length / MAX_COL_LABELS);
  const header = spec.colLabels.map((c, j) => (j % labelEvery === 0 ? h('text', { x: fmt(LABEL_W + cellW * (j + 0.5)), y: 12, 'text-anchor': 'middle' }, c) : null));
  const rows = spec.rowLabels.map((r, i) => [
    h('text', { x: LABEL_W - 6, y: HEADER_H + ROW_H * i + 13, 'text-anchor': 'end' }, r),
    (spec.values[i] ?? []).map((v, j) => (v === null ? null : h('rect', {
      class: 'heat', x: fmt(LABEL_W + cellW * j), y: HEADER_H + ROW_H * i, width: fmt(Math.max(1, cellW - 1)), height: ROW_H - 1, 'fill-opacity': shade.opacity(v),
    }, h('title', {}, `${r} · ${spec.colLabels[j] ?? ''}: ${format(v)}`)))),
  ]);
  return h('figure', {},
    h('figcaption', {}, spec.title),
    h('p', { class: 'muted' }, `${spec.caption} Lightest ${format(lo)}, darkest ${format(hi)}${shade.log ? ' (log scale)' : ''}; hover a cell for its value.`),
    h('svg', { viewBox: `0 0 ${fmt(width)} ${height}`, role: 'img', 'aria-label': spec.title, style: `max-width: ${Math.ceil(width)}px` }, header, rows));
}

export interface BarChartSpec {
  readonly title: string;
  readonly caption: string;
  readonly items: readonly { readonly label: string; readonly value: number }[];
  /** The value a full-width bar stands for (default: the largest). */
  readonly max?: number;
  readonly format?: (v: number) => string;
}

export function barChart(spec: BarChartSpec): Markup {
  const format = spec.format ?? formatNumber;
  const max = spec.max ?? Math.max(0, ...spec.items.map((i) => i.value));
  const barW = WIDTH - LABEL_W - 60;
  const bars = spec.items.map((item, i) => {
    const w = max > 0 && Number.isFinite(item.value) ? Math.max(0, Math.min(1, item.value / max)) * barW : 0;
    const y = ROW_H * i;
    return [
      h('text', { x: LABEL_W - 6, y: y + 13, 'text-anchor': 'end' }, item.label),
      h('rect', { class: 'bar', x: LABEL_W, y: y + 2, width: fmt(w), height: ROW_H - 4 }, h('title', {}, `${item.label}: ${format(item.value)}`)),
      h('text', { x: fmt(LABEL_W + w + 4), y: y + 13 }, format(item.value)),
    ];
  });
  return h('figure', {},
    h('figcaption', {}, spec.title),
    h('p', { class: 'muted' }, spec.caption),
    h('svg', { viewBox: `0 0 ${WIDTH} ${Math.max(ROW_H, ROW_H * spec.items.length)}`, role: 'img', 'aria-label': spec.title }, bars));
}
