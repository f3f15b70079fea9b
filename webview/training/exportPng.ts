// The PNG export of the Training panel: every shown chart's canvas stacked under its title and a
// legend drawn as text (uPlot's legend is DOM, which the canvases do not contain), on the
// theme's background, at the screen's pixel ratio.
export interface PngChart {
  readonly title: string;
  readonly canvas: HTMLCanvasElement;
  readonly legend: readonly { readonly label: string; readonly color: string; readonly dash: readonly number[] }[];
}

export interface PngStyle {
  /** CSS font size in pixels and family. */
  readonly fontSize: number;
  readonly fontFamily: string;
  readonly foreground: string;
  readonly muted: string;
  readonly background: string;
  /** Device pixels per CSS pixel (the canvases are drawn at this ratio). */
  readonly ratio: number;
}

/** A canvas holding `heading`, then each chart with its title above and legend below. */
export function composeChartsPng(heading: string, charts: readonly PngChart[], style: PngStyle): HTMLCanvasElement {
  const r = style.ratio;
  const pad = Math.round(16 * r);
  const line = Math.round(style.fontSize * 1.6 * r);
  const width = Math.max(...charts.map((c) => c.canvas.width), Math.round(400 * r)) + 2 * pad;
  const out = document.createElement('canvas');
  const ctx = out.getContext('2d');
  if (ctx === null) throw new Error('This webview cannot draw on a canvas.');
  const font = (weight: string, scale = 1): string => `${weight} ${Math.round(style.fontSize * scale * r)}px ${style.fontFamily}`;
  // Legend rows wrap: lay them out first to know the height.
  ctx.font = font('normal');
  const legendRows = charts.map((c) => wrapLegend(ctx, c.legend.map((e) => e.label), width - 2 * pad, r));
  out.width = width;
  out.height = pad + line * 1.5 + charts.reduce((h, c, i) => h + line + c.canvas.height + (legendRows[i]?.length ?? 0) * line + pad, 0);
  ctx.fillStyle = style.background;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.textBaseline = 'middle';
  let y = pad;
  ctx.font = font('600', 1.3);
  ctx.fillStyle = style.foreground;
  ctx.fillText(heading, pad, y + line / 2);
  y += line * 1.5;
  charts.forEach((chart, i) => {
    ctx.font = font('600', 1.05);
    ctx.fillStyle = style.foreground;
    ctx.fillText(chart.title, pad, y + line / 2);
    y += line;
    ctx.drawImage(chart.canvas, pad, y);
    y += chart.canvas.height;
    ctx.font = font('normal');
    for (const row of legendRows[i] ?? []) {
      for (const item of row) {
        const entry = chart.legend[item.index];
        if (entry === undefined) continue;
        ctx.strokeStyle = entry.color;
        ctx.lineWidth = 2 * r;
        ctx.setLineDash(entry.dash.map((d) => d * r));
        ctx.beginPath();
        ctx.moveTo(pad + item.x, y + line / 2);
        ctx.lineTo(pad + item.x + SWATCH * r, y + line / 2);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = style.muted;
        ctx.fillText(entry.label, pad + item.x + (SWATCH + 6) * r, y + line / 2);
      }
      y += line;
    }
    y += pad;
  });
  return out;
}

/** Width of a legend entry's line sample, CSS pixels. */
const SWATCH = 18;

/** Legend entries placed left to right, wrapping at `width`: rows of { index, x }. */
function wrapLegend(ctx: CanvasRenderingContext2D, labels: readonly string[], width: number, r: number): { index: number; x: number }[][] {
  const rows: { index: number; x: number }[][] = [];
  let row: { index: number; x: number }[] = [];
  let x = 0;
  labels.forEach((label, index) => {
    const w = (SWATCH + 6 + 18) * r + ctx.measureText(label).width;
    if (x > 0 && x + w > width) {
      rows.push(row);
      row = [];
      x = 0;
    }
    row.push({ index, x });
    x += w;
  });
  if (row.length > 0) rows.push(row);
  return rows;
}
