// Canvas drawing of attention matrices: small thumbnails for the layer × head grid and the large
// heat map of the selected map. Colours from colorScale.ts; labels stay in the DOM (textContent).
import { maxOf, rampColor } from './colorScale';

/** A cell's colour from its value and the scale's limit (rampColor; the difference map's divergingColor). */
export type CellColor = (value: number, limit: number) => readonly [number, number, number];

/** Paints a [rows, cols] matrix into a rows×cols ImageData (one pixel per cell). */
function toImage(matrix: Float32Array, rows: number, cols: number, max: number, color: CellColor): ImageData {
  const image = new ImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) {
    const [r, g, b] = color(matrix[i]!, max);
    image.data[i * 4] = r;
    image.data[i * 4 + 1] = g;
    image.data[i * 4 + 2] = b;
    image.data[i * 4 + 3] = 255;
  }
  return image;
}

/** Draws `matrix` scaled up to fill `canvas` (nearest neighbour: each cell a crisp square). */
export function drawMatrix(canvas: HTMLCanvasElement, matrix: Float32Array, rows: number, cols: number, max = maxOf(matrix), color: CellColor = rampColor): void {
  const source = document.createElement('canvas');
  source.width = cols;
  source.height = rows;
  source.getContext('2d')?.putImageData(toImage(matrix, rows, cols, max, color), 0, 0);
  const ctx = canvas.getContext('2d');
  if (ctx === null) return;
  ctx.imageSmoothingEnabled = false;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
}

/** Outlines cell (row, col) of a canvas drawn at `cell` device pixels per cell: the keyboard focus. */
export function outlineCell(canvas: HTMLCanvasElement, row: number, col: number, cell: number, color: string): void {
  const ctx = canvas.getContext('2d');
  if (ctx === null) return;
  const width = Math.max(2, Math.round(cell / 8));
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.strokeRect(col * cell + width / 2, row * cell + width / 2, cell - width, cell - width);
}

/** Cell size in CSS pixels of the large heat map: big for short texts, at least 6 px. */
export function cellSize(rows: number, cols: number, available: number): number {
  return Math.max(6, Math.min(32, Math.floor(available / Math.max(1, cols, rows))));
}

/** The cell under a pointer position relative to the canvas, or undefined outside it. */
export function cellAt(x: number, y: number, cell: number, rows: number, cols: number): { row: number; col: number } | undefined {
  const row = Math.floor(y / cell);
  const col = Math.floor(x / cell);
  return row >= 0 && col >= 0 && row < rows && col < cols ? { row, col } : undefined;
}

/**
 * A PNG-ready copy of the heat map with its token labels drawn beside it (the on-screen labels
 * are DOM text, which canvas.toDataURL cannot see).
 */
export function composeExport(heat: HTMLCanvasElement, rowLabels: readonly string[], colLabels: readonly string[], cell: number, font: string, color: string, background: string): HTMLCanvasElement {
  const out = document.createElement('canvas');
  const ctx = out.getContext('2d');
  if (ctx === null) return heat;
  ctx.font = font;
  const margin = 8 + Math.ceil(Math.max(0, ...[...rowLabels, ...colLabels].map((l) => ctx.measureText(l).width)));
  out.width = margin + heat.width + 8;
  out.height = margin + heat.height + 8;
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(heat, margin, margin);
  ctx.font = font;
  ctx.fillStyle = color;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  rowLabels.forEach((label, i) => ctx.fillText(label, margin - 4, margin + (i + 0.5) * cell));
  ctx.save();
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'left';
  colLabels.forEach((label, j) => ctx.fillText(label, -(margin - 4), margin + (j + 0.5) * cell));
  ctx.restore();
  return out;
}
