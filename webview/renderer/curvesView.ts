// The curves output (`application/vnd.transfer-lab.curves+json`): a run's step and eval events as
// an SVG line chart (train loss, validation loss; validation accuracy on its own 0–100% axis).
// Built with createElementNS and textContent only; colours come from the notebook's theme variables.
import { extent, linearScale, pathData, ticks, type CurvePoint, type CurvesPayload } from './curves';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 640;
const HEIGHT = 260;
/** Widest the chart is drawn, in CSS pixels (it scales down with narrower outputs). */
const MAX_WIDTH = 800;
const MARGIN = { top: 30, right: 56, bottom: 34, left: 56 };
/** Baseline of the legend row, above the plot area so it never covers a curve. */
const LEGEND_Y = 14;

interface Series {
  readonly label: string;
  readonly color: string;
  readonly points: readonly CurvePoint[];
  readonly axis: 'loss' | 'accuracy';
  readonly dashed?: boolean;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

const fmt = (v: number): string => String(Number(v.toPrecision(3)));

function chart(payload: CurvesPayload): SVGSVGElement {
  const series: Series[] = [
    { label: 'train loss', color: 'var(--vscode-charts-blue, #3794ff)', points: payload.trainLoss, axis: 'loss' },
    { label: 'val loss', color: 'var(--vscode-charts-orange, #d18616)', points: payload.valLoss, axis: 'loss' },
    { label: 'val accuracy', color: 'var(--vscode-charts-green, #89d185)', points: payload.valAccuracy, axis: 'accuracy', dashed: true },
  ].filter((s) => s.points.length > 0) as Series[];
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, width: '100%', role: 'img', 'font-size': 11, 'font-family': 'var(--vscode-font-family, sans-serif)' });
  root.style.maxWidth = `${MAX_WIDTH}px`; // wide notebooks: keep the labels at a reading size
  root.append(svg('title', {}, payload.title ?? 'Training curves'));
  const all = series.map((s) => s.points);
  const [x0, x1] = extent(all, (p) => p.step) ?? [0, 1];
  const [l0, l1] = extent(series.filter((s) => s.axis === 'loss').map((s) => s.points), (p) => p.value) ?? [0, 1];
  const x = linearScale(x0, x1, MARGIN.left, WIDTH - MARGIN.right);
  const yLoss = linearScale(Math.min(0, l0), l1, HEIGHT - MARGIN.bottom, MARGIN.top);
  const yAcc = linearScale(0, 1, HEIGHT - MARGIN.bottom, MARGIN.top);
  const axisColor = 'var(--vscode-descriptionForeground, #888)';
  const grid = svg('g', { stroke: 'var(--vscode-editorWidget-border, #8884)', 'stroke-width': 1 });
  const labels = svg('g', { fill: axisColor });
  for (const t of ticks(Math.min(0, l0), l1, 5)) {
    grid.append(svg('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: yLoss(t), y2: yLoss(t), 'stroke-opacity': 0.35 }));
    labels.append(svg('text', { x: MARGIN.left - 6, y: yLoss(t) + 4, 'text-anchor': 'end' }, fmt(t)));
  }
  // Steps are whole numbers: no tick at 2.5.
  for (const t of ticks(x0, x1, 6).filter(Number.isInteger)) labels.append(svg('text', { x: x(t), y: HEIGHT - MARGIN.bottom + 16, 'text-anchor': 'middle' }, fmt(t)));
  labels.append(svg('text', { x: (MARGIN.left + WIDTH - MARGIN.right) / 2, y: HEIGHT - 4, 'text-anchor': 'middle' }, 'step'));
  if (payload.valAccuracy.length > 0) {
    for (const t of [0, 0.5, 1]) labels.append(svg('text', { x: WIDTH - MARGIN.right + 6, y: yAcc(t) + 4 }, `${t * 100}%`));
  }
  root.append(grid, labels);
  for (const s of series) {
    const y = s.axis === 'loss' ? yLoss : yAcc;
    root.append(svg('path', { d: pathData(s.points, x, y), fill: 'none', stroke: s.color, 'stroke-width': 1.6, ...(s.dashed === true ? { 'stroke-dasharray': '5 3' } : {}) }));
    if (s.points.length <= 30) for (const p of s.points) root.append(svg('circle', { cx: x(p.step), cy: y(p.value), r: 2.5, fill: s.color }));
  }
  // Legend: one row above the plot.
  let lx = MARGIN.left + 8;
  for (const s of series) {
    root.append(svg('rect', { x: lx, y: LEGEND_Y - 4, width: 10, height: 3, fill: s.color }));
    const text = svg('text', { x: lx + 14, y: LEGEND_Y, fill: 'var(--vscode-foreground, currentColor)' }, s.label);
    root.append(text);
    lx += 24 + s.label.length * 6.2;
  }
  return root;
}

/** Draws `payload` into `element` (already emptied). */
export function renderCurves(payload: CurvesPayload, element: HTMLElement): void {
  if (payload.title !== null) {
    const title = document.createElement('div');
    title.textContent = payload.title;
    title.setAttribute('role', 'heading');
    element.append(title);
  }
  if (payload.trainLoss.length + payload.valLoss.length + payload.valAccuracy.length === 0) {
    const empty = document.createElement('div');
    empty.textContent = 'No step or eval events yet.';
    element.append(empty);
    return;
  }
  element.append(chart(payload));
}
