// The model view: a layers × heads grid of thumbnails. The grid is built once per set of maps
// (not on every click), thumbnails are painted lazily as they scroll into view, and a click only
// moves the selection.
import { el } from './dom';
import { LazyPainter } from './lazyPainter';

/** Thumbnail side in CSS pixels. */
export const THUMB = 44;

export class ModelGrid {
  private key = '';
  private readonly painter = new LazyPainter();

  constructor(private readonly grid: HTMLElement) {}

  /**
   * Shows `layers` × `heads` thumbnails; `paint` draws one. Nothing is rebuilt while `key` (which
   * names the maps and their colouring) stays the same.
   */
  show(key: string, layers: number, heads: number, paint: (canvas: HTMLCanvasElement, layer: number, head: number) => void): void {
    if (key === this.key) return;
    this.key = key;
    this.painter.clear();
    this.grid.style.gridTemplateColumns = `auto repeat(${heads}, ${THUMB}px)`;
    const cells: HTMLElement[] = [el('span', 'grid-corner')];
    for (let h = 0; h < heads; h++) cells.push(el('span', 'grid-head', `H${h}`));
    for (let l = 0; l < layers; l++) {
      cells.push(el('span', 'grid-layer', `L${l}`));
      for (let h = 0; h < heads; h++) {
        const canvas = el('canvas', 'thumb');
        canvas.width = THUMB;
        canvas.height = THUMB;
        canvas.dataset['layer'] = String(l);
        canvas.dataset['head'] = String(h);
        canvas.setAttribute('role', 'button'); // a toggle: aria-pressed marks the map on show
        canvas.setAttribute('aria-label', `layer ${l}, head ${h}`);
        this.painter.register(canvas, () => paint(canvas, l, h));
        cells.push(canvas);
      }
    }
    this.grid.replaceChildren(...cells);
  }

  /**
   * Marks the selected thumbnail (every head of `layer` when `wholeLayer`); the current map is the
   * grid's one tab stop, arrow keys move from there (main.ts).
   */
  select(layer: number, head: number, wholeLayer: boolean): void {
    for (const canvas of this.grid.querySelectorAll<HTMLCanvasElement>('canvas.thumb')) {
      const l = Number(canvas.dataset['layer']);
      const h = Number(canvas.dataset['head']);
      const selected = l === layer && (wholeLayer || h === head);
      canvas.classList.toggle('selected', selected);
      canvas.setAttribute('aria-pressed', String(selected));
      canvas.tabIndex = l === layer && h === head ? 0 : -1;
    }
  }
}
