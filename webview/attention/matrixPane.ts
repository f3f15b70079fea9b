// One heat map with its token labels: a title, key tokens on top, query tokens on the left, the
// canvas and its colour scale below. The Attention panel shows one (the selected map) or,
// when comparing, three: base, fine-tuned and their difference. Labels are set with textContent.
import { drawMatrix, type CellColor } from './heatmap';
import { el } from './dom';
import { poolMatrix } from './pool';

export class MatrixPane {
  readonly root = el('div', 'pane');
  readonly title = el('h3', 'pane-title');
  readonly scale = el('span', 'scale');
  readonly colLabels = el('div', 'col-labels');
  readonly rowLabels = el('div', 'row-labels');
  readonly canvas: HTMLCanvasElement;

  /** `canvasClass`: `heat` for the inspected model's map (the one with keyboard access), `heat-compare` beside it. */
  constructor(name: string, className: string, canvasClass: 'heat' | 'heat-compare') {
    this.canvas = el('canvas', canvasClass);
    this.root.classList.add(className);
    this.title.textContent = name;
    const head = el('div', 'pane-head');
    head.append(this.title);
    const matrix = el('div', 'matrix');
    matrix.append(el('div', 'corner', 'query ↓  key →'), this.colLabels, this.rowLabels, this.canvas);
    this.root.append(head, matrix, this.scale);
  }

  /** The pane's heading (a long model name is clamped on screen; the tooltip has all of it). */
  setTitle(text: string): void {
    this.title.textContent = text;
    this.title.title = text;
  }

  /** Rebuilds the axis labels (query rows, key columns) at `cell` CSS pixels per token. */
  setLabels(rows: readonly string[], cols: readonly string[], cell: number): void {
    setAxisLabels(this.rowLabels, this.colLabels, this.canvas, rows, cols, cell);
  }

  /**
   * Draws `matrix` at the size setLabels gave the canvas. Below one device pixel per token (three
   * long texts side by side) the map is max-pooled to the canvas, so no peak is skipped.
   */
  draw(matrix: Float32Array, rows: number, cols: number, cell: number, limit: number, color?: CellColor): void {
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = Math.max(1, Math.round(cell * cols * ratio));
    this.canvas.height = Math.max(1, Math.round(cell * rows * ratio));
    const pooled = poolMatrix(matrix, rows, cols, this.canvas.height, this.canvas.width);
    drawMatrix(this.canvas, pooled.values, pooled.rows, pooled.cols, limit, color);
  }
}

/** Axis labels of a heat map: one element per token, sized to `cell` CSS pixels; the canvas sized to match. */
export function setAxisLabels(rowLabels: HTMLElement, colLabels: HTMLElement, canvas: HTMLCanvasElement, rows: readonly string[], cols: readonly string[], cell: number): void {
  const label = (text: string, cls: string): HTMLElement => {
    const node = el('div', cls, text);
    node.title = text;
    return node;
  };
  rowLabels.replaceChildren(...rows.map((t) => label(t, 'row-label')));
  colLabels.replaceChildren(...cols.map((t) => label(t, 'col-label')));
  rowLabels.style.gridAutoRows = `${cell}px`;
  colLabels.style.gridAutoColumns = `${cell}px`;
  canvas.style.width = `${cell * cols.length}px`;
  canvas.style.height = `${cell * rows.length}px`;
}
