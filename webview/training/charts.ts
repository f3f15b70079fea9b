// One uPlot chart of the Training panel: steps on x (0 … total steps, so the curve grows across a
// fixed axis), one or more metric series on y, themed from VS Code and redrawn on theme switches.
import uPlot from 'uplot';
import type { Columns } from './runModel';
import type { ChartTheme } from './theme';

export interface SeriesSpec {
  readonly label: string;
  readonly color: (theme: ChartTheme) => string;
  /** Dots at every value: for sparse series such as one evaluation per epoch. */
  readonly points: boolean;
  readonly format: (value: number) => string;
  /** Opacity of the line, for a raw series drawn behind its smoothed version (default 1). */
  readonly alpha?: number;
}

export interface ChartSpec {
  readonly series: readonly SeriesSpec[];
  /** Fixed y range (accuracy lives in [0, 1]); otherwise 0 … a little above the maximum. */
  readonly yRange?: readonly [number, number];
  readonly yFormat: (value: number) => string;
}

const CHART_HEIGHT = 220;
/** Width used before the container has been laid out; the ResizeObserver corrects it. */
const FALLBACK_WIDTH = 600;
const Y_HEADROOM = 1.08;
/** Height of the x axis (ticks and numbers): uPlot's default 50 leaves a gap above the legend. */
const X_AXIS_SIZE = 30;

export class MetricChart {
  private plot: uPlot | undefined;
  private data: Columns;
  private xMax = 1;

  constructor(private readonly container: HTMLElement, private readonly spec: ChartSpec, private theme: ChartTheme) {
    this.data = [[], ...spec.series.map(() => [])];
    container.dataset['points'] = '0';
  }

  /** Replaces the data; `xMax` is the run's total step count (the x axis always ends there). */
  setData(data: Columns, xMax: number): void {
    this.data = data;
    this.xMax = Math.max(1, xMax);
    this.container.dataset['points'] = String(countPoints(data));
    if (this.plot === undefined) this.plot = new uPlot(this.options(), this.data, this.container);
    else this.plot.setData(this.data);
  }

  setTheme(theme: ChartTheme): void {
    this.theme = theme;
    if (this.plot === undefined) return;
    // uPlot bakes colours into its options: rebuild it (cheap: a few thousand points at most).
    this.plot.destroy();
    this.plot = new uPlot(this.options(), this.data, this.container);
  }

  resize(): void {
    this.plot?.setSize({ width: this.width(), height: CHART_HEIGHT });
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = undefined;
  }

  private width(): number {
    const w = Math.floor(this.container.clientWidth);
    return w > 0 ? w : FALLBACK_WIDTH;
  }

  private options(): uPlot.Options {
    const t = this.theme;
    const axis = (values: (v: number) => string, size?: number): uPlot.Axis => ({
      ...(size !== undefined ? { size } : {}),
      stroke: t.muted,
      font: t.font,
      grid: { stroke: t.grid, width: 1 },
      ticks: { stroke: t.grid, width: 1, size: 4 },
      values: (_u, splits) => splits.map(values),
    });
    const fixedY = this.spec.yRange;
    return {
      width: this.width(),
      height: CHART_HEIGHT,
      // No drag-to-zoom: live data re-ranges the axes anyway, and the hover legend gives values.
      cursor: { drag: { x: false, y: false }, points: { size: 7 } },
      legend: { live: true },
      scales: {
        x: { time: false, range: (_u, _min, max) => [0, Math.max(this.xMax, max ?? 0)] },
        y: {
          range: fixedY !== undefined
            ? () => [fixedY[0], fixedY[1]]
            : (_u, _min, max) => [0, max !== null && max > 0 ? max * Y_HEADROOM : 1],
        },
      },
      axes: [axis((v) => String(Math.round(v)), X_AXIS_SIZE), axis(this.spec.yFormat)],
      series: [
        { label: 'step', value: (u, v, _s, idx) => legendValue(u, v, 0, idx, String) },
        ...this.spec.series.map((s): uPlot.Series => {
          const color = s.color(t);
          return {
            label: s.label,
            stroke: color,
            ...(s.alpha !== undefined ? { alpha: s.alpha } : {}),
            width: s.points ? t.lineWidth + 0.5 : t.lineWidth,
            spanGaps: true, // series share the x array and are null where they have no value
            points: s.points ? { show: true, size: 7, width: 1.5, stroke: color, fill: color } : { show: false },
            value: (u, v, si, idx) => legendValue(u, v, si, idx, s.format),
          };
        }),
      ],
    };
  }
}

/**
 * The legend shows the hovered step's values, and the latest ones when the cursor is elsewhere
 * (uPlot passes idx null then), so it doubles as a readout of where training stands.
 */
function legendValue(u: uPlot, v: number | null, seriesIdx: number, idx: number | null, format: (v: number) => string): string {
  if (idx !== null) return v === null ? '–' : format(v);
  const column = u.data[seriesIdx] ?? [];
  for (let i = column.length - 1; i >= 0; i--) {
    const last = column[i];
    if (last !== null && last !== undefined) return format(last);
  }
  return '–';
}

function countPoints(data: Columns): number {
  let n = 0;
  for (const column of data.slice(1) as (number | null)[][]) for (const v of column) if (v !== null) n++;
  return n;
}
