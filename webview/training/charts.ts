// One uPlot chart of the Training (and Forgetting) panel: x from 0 to a fixed end (the run's total
// steps, so a curve grows across a fixed axis) or to the data's end, one or more series on a
// linear or log y axis, themed from VS Code and redrawn on theme switches. The container carries
// what it draws as data-* attributes (points, scale, series summary) for tests and debugging.
import uPlot from 'uplot';
import { countPoints, type Columns } from './series';
import type { ChartTheme } from './theme';

export interface SeriesSpec {
  readonly label: string;
  readonly color: (theme: ChartTheme) => string;
  /** Dots at every value: for sparse series such as one evaluation per epoch. */
  readonly points: boolean;
  readonly format: (value: number) => string;
  /** Opacity of the line, for a raw series drawn behind its smoothed version (default 1). */
  readonly alpha?: number;
  /** Dash pattern in CSS pixels (default solid). */
  readonly dash?: readonly number[];
  /** Listed in the chart's legend (default true). */
  readonly legend?: boolean;
  /** A stable name for data-series ("<run>:<metric>:<role>"); the label when absent. */
  readonly key?: string;
}

export interface ChartSpec {
  readonly series: readonly SeriesSpec[];
  /** Fixed y range (accuracy lives in [0, 1]); otherwise 0 … a little above the maximum. */
  readonly yRange?: readonly [number, number];
  readonly yFormat: (value: number) => string;
  /** Logarithmic y axis (base 10); values must be positive (gaps otherwise). */
  readonly logY?: boolean;
  /** The x axis' name in the legend and its tick labels (default "step", whole numbers). */
  readonly xLabel?: string;
  readonly xFormat?: (value: number) => string;
  /** The tick spacings the x axis may use (e.g. whole seconds and minutes for time); uPlot's default when absent. */
  readonly xIncrs?: readonly number[];
  /** Plot height in CSS pixels (default 220). */
  readonly height?: number;
}

const DEFAULT_HEIGHT = 220;
/** Width used before the container has been laid out; the ResizeObserver corrects it. */
const FALLBACK_WIDTH = 600;
const Y_HEADROOM = 1.08;
/** Height of the x axis (ticks and numbers): uPlot's default 50 leaves a gap above the legend. */
const X_AXIS_SIZE = 30;

export class MetricChart {
  private plot: uPlot | undefined;
  private data: Columns;
  private xMax = 1;

  constructor(private readonly container: HTMLElement, private spec: ChartSpec, private theme: ChartTheme) {
    this.data = [[], ...spec.series.map(() => [])];
    container.dataset['points'] = '0';
  }

  /**
   * Replaces the data; `xMax` is where the x axis ends at least (the run's total steps; 0 = the
   * data's end). A new `spec` (other series, scale or axis) rebuilds the chart.
   */
  setData(data: Columns, xMax: number, spec?: ChartSpec): void {
    const rebuild = spec !== undefined && spec !== this.spec;
    if (spec !== undefined) this.spec = spec;
    this.data = data;
    this.xMax = Math.max(0, xMax);
    this.describe();
    if (this.plot === undefined || rebuild) this.build();
    else this.plot.setData(this.data);
  }

  setTheme(theme: ChartTheme): void {
    this.theme = theme;
    // uPlot bakes colours into its options: rebuild it (cheap: a few thousand points at most).
    if (this.plot !== undefined) this.build();
  }

  resize(): void {
    this.plot?.setSize({ width: this.width(), height: this.height() });
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = undefined;
  }

  /** The plot's canvas (axes and lines, no legend), for the PNG export. */
  canvas(): HTMLCanvasElement | undefined {
    return this.plot?.ctx.canvas;
  }

  /** The legend's entries as drawn: label and colour of each listed series. */
  legendEntries(): { label: string; color: string; dash: readonly number[] }[] {
    return this.spec.series.filter((s) => s.legend !== false).map((s) => ({ label: s.label, color: s.color(this.theme), dash: s.dash ?? [] }));
  }

  private build(): void {
    this.plot?.destroy();
    this.plot = new uPlot(this.options(), this.data, this.container);
    // uPlot lists every series; hide those the spec keeps out (raw lines behind their EMA).
    const rows = this.plot.root.querySelectorAll<HTMLElement>('.u-legend .u-series');
    this.spec.series.forEach((s, i) => {
      const row = rows[i + 1];
      if (row !== undefined) row.hidden = s.legend === false;
    });
  }

  /** data-points, data-scale, data-x and data-series: what the chart draws, readable from the DOM. */
  private describe(): void {
    const d = this.container.dataset;
    d['points'] = String(countPoints(this.data));
    d['scale'] = this.spec.logY === true ? 'log' : 'linear';
    d['x'] = this.spec.xLabel ?? 'step';
    d['series'] = JSON.stringify(this.spec.series.map((s, i) => {
      const column = (this.data[i + 1] ?? []) as (number | null)[];
      const values = column.filter((v): v is number => v !== null);
      return { key: s.key ?? s.label, label: s.label, points: values.length, last: values.at(-1) ?? null };
    }));
  }

  private width(): number {
    const w = Math.floor(this.container.clientWidth);
    return w > 0 ? w : FALLBACK_WIDTH;
  }

  private height(): number {
    return this.spec.height ?? DEFAULT_HEIGHT;
  }

  private yScale(): uPlot.Scale {
    const fixed = this.spec.yRange;
    if (this.spec.logY === true) {
      return {
        distr: 3,
        log: 10,
        range: (_u, min, max) => {
          if (min === null || max === null || !(min > 0) || !(max > 0)) return [0.1, 1];
          // Whole decades when the data spans more than one; within one, a tighter range (0.5 … 0.8).
          const decades = uPlot.rangeLog(min, max, 10, true);
          const [lo, hi] = decades;
          return lo !== null && hi !== null && hi / lo > 10 ? decades : uPlot.rangeLog(min, max, 10, false);
        },
      };
    }
    return {
      range: fixed !== undefined
        ? () => [fixed[0], fixed[1]]
        : (_u, _min, max) => [0, max !== null && max > 0 ? max * Y_HEADROOM : 1],
    };
  }

  private options(): uPlot.Options {
    const t = this.theme;
    // On a log scale uPlot splits 1…9 of every decade: where the axis spans decades, grid, ticks
    // and labels keep only those, or the grid is a blur.
    const decades = (_u: uPlot, splits: number[]): (number | null)[] =>
      splits.filter(isDecade).length >= 2 ? splits.map((v) => (isDecade(v) ? v : null)) : splits;
    const axis = (values: (v: number) => string, size?: number, log = false): uPlot.Axis => ({
      ...(size !== undefined ? { size } : {}),
      stroke: t.muted,
      font: t.font,
      grid: { stroke: t.grid, width: 1, ...(log ? { filter: decades } : {}) },
      ticks: { stroke: t.grid, width: 1, size: 4, ...(log ? { filter: decades } : {}) },
      ...(log ? { filter: decades } : {}),
      values: (_u, splits) => splits.map((v) => (v === null || v === undefined ? '' : values(v))),
    });
    const xFormat = this.spec.xFormat ?? ((v: number) => String(Math.round(v)));
    return {
      width: this.width(),
      height: this.height(),
      // No drag-to-zoom: live data re-ranges the axes anyway, and the hover legend gives values.
      cursor: { drag: { x: false, y: false }, points: { size: 7 } },
      legend: { live: true },
      scales: {
        x: { time: false, range: (_u, _min, max) => [0, Math.max(this.xMax, max ?? 0, 1e-9)] },
        y: this.yScale(),
      },
      axes: [
        { ...axis(xFormat, X_AXIS_SIZE), ...(this.spec.xIncrs !== undefined ? { incrs: [...this.spec.xIncrs] } : {}) },
        axis(this.spec.yFormat, undefined, this.spec.logY === true),
      ],
      series: [
        { label: this.spec.xLabel ?? 'step', value: (u, v, _s, idx) => legendValue(u, v, 0, idx, xFormat) },
        ...this.spec.series.map((s): uPlot.Series => {
          const color = s.color(t);
          return {
            label: s.label,
            stroke: color,
            ...(s.alpha !== undefined ? { alpha: s.alpha } : {}),
            ...(s.dash !== undefined && s.dash.length > 0 ? { dash: [...s.dash] } : {}),
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

/** 0.01, 0.1, 1, 10, …: the ticks a log axis labels. */
function isDecade(v: number): boolean {
  const exponent = Math.log10(v);
  return Number.isFinite(exponent) && Math.abs(exponent - Math.round(exponent)) < 1e-9;
}

/**
 * The legend shows the hovered x's values, and the latest ones when the cursor is elsewhere
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
