// PNG export of the comparison: each heat map with its token labels (composeExport), side by
// side under its title, on the panel's background.
import { composeExport } from './heatmap';

export interface ExportPart {
  readonly title: string;
  readonly canvas: HTMLCanvasElement;
}

const GAP = 16;

/** One canvas holding every part, labelled, left to right. */
export function composeSideBySide(parts: readonly ExportPart[], rows: readonly string[], cols: readonly string[], cell: number, font: string, color: string, background: string): HTMLCanvasElement {
  const images = parts.map((p) => composeExport(p.canvas, rows, cols, cell, font, color, background));
  const titleHeight = 24;
  const out = document.createElement('canvas');
  out.width = images.reduce((w, c) => w + c.width, 0) + GAP * (images.length - 1);
  out.height = titleHeight + Math.max(0, ...images.map((c) => c.height));
  const ctx = out.getContext('2d');
  if (ctx === null) return images[0] ?? out;
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.font = font;
  ctx.fillStyle = color;
  ctx.textBaseline = 'middle';
  let x = 0;
  images.forEach((image, i) => {
    ctx.fillText(parts[i]!.title, x + 8, titleHeight / 2);
    ctx.drawImage(image, x, titleHeight);
    x += image.width + GAP;
  });
  return out;
}
