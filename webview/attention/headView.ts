// The head view (after bertviz): query tokens on the left, key tokens on the right and one line
// per attention weight of the chosen layer's chosen heads, in the head's colour, as opaque as
// the weight. Hovering a token isolates its lines (a query's row, or a key's column).
import { headColor, headLines, type HeadFocus } from './headLines';
import { el } from './dom';

/** Height of a token row in CSS pixels. */
const ROW = 18;
/** Width of the band where the lines are drawn. */
const BAND = 180;

export interface HeadViewData {
  readonly rows: readonly string[];
  readonly cols: readonly string[];
  /** The chosen heads' [rows, cols] maps. */
  readonly heads: readonly { readonly head: number; readonly matrix: Float32Array }[];
}

/** The head view's DOM: head toggles, the two token columns and the canvas between them. */
export class HeadView {
  readonly card = el('section', 'card head-card');
  readonly toggles = el('div', 'head-toggles');
  private readonly left = el('div', 'head-tokens head-queries');
  private readonly right = el('div', 'head-tokens head-keys');
  private readonly canvas = el('canvas', 'head-lines');
  private data: HeadViewData | undefined;
  private focus: HeadFocus | null = null;

  constructor(title: HTMLElement, private readonly onToggleHead: (head: number, on: boolean) => void) {
    const body = el('div', 'head-body');
    body.append(this.left, this.canvas, this.right);
    this.canvas.setAttribute('role', 'img');
    this.card.append(title, this.toggles, el('div', 'head-hint', 'Lines: query token (left) → key token (right), opacity = weight. Hover a token to isolate its attention.'), body);
    for (const [column, side] of [[this.left, 'query'], [this.right, 'key']] as const) {
      column.addEventListener('mouseover', (e) => {
        const token = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
        if (token !== null) this.setFocus({ side, index: Number(token.dataset['index']) });
      });
      column.addEventListener('mouseleave', () => this.setFocus(null));
    }
  }

  /** Rebuilds the toggles for `heads` heads (`shown` ticked) and draws `data`. */
  render(heads: number, shown: ReadonlySet<number>, data: HeadViewData): void {
    this.toggles.replaceChildren(...Array.from({ length: heads }, (_, h) => {
      const label = el('label', 'head-toggle');
      const input = el('input', '');
      input.type = 'checkbox';
      input.checked = shown.has(h);
      input.dataset['head'] = String(h);
      input.addEventListener('change', () => this.onToggleHead(h, input.checked));
      const swatch = el('span', 'head-swatch');
      swatch.style.backgroundColor = headColor(h);
      label.append(input, swatch, el('span', '', `H${h}`));
      return label;
    }));
    this.data = data;
    this.focus = null;
    const token = (text: string, index: number): HTMLElement => {
      const node = el('div', 'head-token', text);
      node.dataset['index'] = String(index);
      node.title = text;
      return node;
    };
    this.left.replaceChildren(...data.rows.map(token));
    this.right.replaceChildren(...data.cols.map(token));
    const height = ROW * Math.max(data.rows.length, data.cols.length);
    for (const column of [this.left, this.right]) column.style.gridAutoRows = `${ROW}px`;
    this.canvas.style.width = `${BAND}px`;
    this.canvas.style.height = `${height}px`;
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(BAND * ratio);
    this.canvas.height = Math.max(1, Math.round(height * ratio));
    this.canvas.setAttribute('aria-label', `Head view: ${data.heads.map((h) => `H${h.head}`).join(', ') || 'no head'} chosen, ${data.rows.length} query and ${data.cols.length} key tokens`);
    this.draw();
  }

  private setFocus(focus: HeadFocus | null): void {
    if (focus?.side === this.focus?.side && focus?.index === this.focus?.index) return;
    this.focus = focus;
    for (const [column, side] of [[this.left, 'query'], [this.right, 'key']] as const) {
      column.querySelector('.head-token.focused')?.classList.remove('focused');
      if (focus?.side === side) column.querySelector(`[data-index="${focus.index}"]`)?.classList.add('focused');
    }
    this.draw();
  }

  private draw(): void {
    const ctx = this.canvas.getContext('2d');
    const data = this.data;
    if (ctx === null || data === undefined) return;
    const ratio = window.devicePixelRatio || 1;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, BAND, this.canvas.height / ratio);
    ctx.lineWidth = 2;
    for (const { head, matrix } of data.heads) {
      ctx.strokeStyle = headColor(head);
      for (const line of headLines(matrix, data.rows.length, data.cols.length, this.focus)) {
        ctx.globalAlpha = Math.min(1, line.weight);
        ctx.beginPath();
        ctx.moveTo(2, (line.from + 0.5) * ROW);
        ctx.lineTo(BAND - 2, (line.to + 0.5) * ROW);
        ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
  }
}
