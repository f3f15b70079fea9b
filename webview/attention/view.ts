// The Attention panel's DOM: header, controls (encoder/decoder/cross, mean over heads, rollout,
// export), the layer × head grid of thumbnails and the large heat map with token labels on both
// axes. Every token label is set with textContent.
import { createButton, createProgressRing } from '../ui/toolkit';

export type MapKind = 'encoder' | 'decoder' | 'cross';

export interface ViewActions {
  readonly onKind: (kind: MapKind) => void;
  readonly onMean: (on: boolean) => void;
  readonly onRollout: (on: boolean) => void;
  readonly onSelect: (layer: number, head: number) => void;
  readonly onExport: (format: 'png' | 'json') => void;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function toggle(label: string, onChange: (on: boolean) => void): { wrap: HTMLLabelElement; input: HTMLInputElement } {
  const wrap = el('label', 'toggle');
  const input = el('input', '');
  input.type = 'checkbox';
  input.addEventListener('change', () => onChange(input.checked));
  wrap.append(input, el('span', '', label));
  return { wrap, input };
}

export class AttentionView {
  readonly title = el('h1', 'title', 'Attention');
  readonly subtitle = el('div', 'subtitle');
  readonly text = el('div', 'source-text');
  readonly notice = el('div', 'notice');
  readonly errorBox = el('div', 'error-box');
  readonly loading = el('div', 'empty');
  readonly content = el('div', 'content');
  readonly kind = el('select', 'kind');
  readonly mean: HTMLInputElement;
  readonly rollout: HTMLInputElement;
  readonly rolloutWrap: HTMLLabelElement;
  readonly grid = el('div', 'grid');
  readonly mapTitle = el('h2', 'map-title');
  readonly scale = el('span', 'scale');
  readonly colLabels = el('div', 'col-labels');
  readonly rowLabels = el('div', 'row-labels');
  readonly heat = el('canvas', 'heat');
  readonly readout = el('div', 'readout', 'Hover a cell, or focus the map and use the arrow keys, to read its weight.');

  constructor(root: HTMLElement, actions: ViewActions) {
    const header = el('header', 'header');
    header.append(this.title, this.subtitle, this.text);
    this.errorBox.setAttribute('role', 'alert');
    this.loading.append(createProgressRing(), el('span', 'empty-text', 'Computing attention…'));

    for (const kind of ['encoder', 'decoder', 'cross'] as const) {
      const option = el('option', '', kind === 'cross' ? 'cross-attention' : `${kind} self-attention`);
      option.value = kind;
      this.kind.append(option);
    }
    this.kind.setAttribute('aria-label', 'Attention maps to show');
    this.kind.addEventListener('change', () => actions.onKind(this.kind.value as MapKind));
    const mean = toggle('Mean over heads', actions.onMean);
    const rollout = toggle('Attention rollout', actions.onRollout);
    this.mean = mean.input;
    this.rollout = rollout.input;
    this.rolloutWrap = rollout.wrap;
    this.rolloutWrap.title = 'Abnar & Zuidema (2020): heads averaged, residual added, layers multiplied up to the selected one';
    const png = createButton('Export PNG', 'secondary');
    const json = createButton('Export JSON', 'secondary');
    png.addEventListener('click', () => actions.onExport('png'));
    json.addEventListener('click', () => actions.onExport('json'));
    const controls = el('div', 'controls');
    controls.append(this.kind, mean.wrap, rollout.wrap, el('span', 'spacer'), png, json);

    // Each thumbnail is a toggle button; arrow keys move between them (main.ts).
    this.grid.setAttribute('role', 'group');
    this.grid.setAttribute('aria-label', 'Attention maps, layers (rows) × heads (columns): arrow keys choose one');
    this.grid.addEventListener('click', (e) => {
      const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-layer]');
      if (cell !== null) actions.onSelect(Number(cell.dataset['layer']), Number(cell.dataset['head']));
    });
    const gridCard = el('section', 'card grid-card');
    gridCard.append(el('h2', 'card-title', 'Model view'), this.grid);

    const mapHead = el('div', 'map-head');
    mapHead.append(this.mapTitle, this.scale);
    const matrix = el('div', 'matrix');
    const corner = el('div', 'corner', 'query ↓  key →');
    matrix.append(corner, this.colLabels, this.rowLabels, this.heat);
    this.readout.setAttribute('aria-live', 'polite');
    // Focusable: arrow keys move a cell cursor whose weight the readout announces (main.ts).
    this.heat.tabIndex = 0;
    this.heat.setAttribute('role', 'application');
    this.heat.setAttribute('aria-roledescription', 'heat map');
    this.heat.setAttribute('aria-describedby', 'attention-readout');
    this.readout.id = 'attention-readout';
    const mapCard = el('section', 'card map-card');
    mapCard.append(mapHead, matrix, this.readout);

    const panes = el('div', 'panes');
    panes.append(gridCard, mapCard);
    this.content.append(controls, this.notice, panes);
    root.append(header, this.errorBox, this.loading, this.content);
    this.showError(undefined);
    this.content.hidden = true;
  }

  showError(message: string | undefined): void {
    this.errorBox.hidden = message === undefined;
    this.errorBox.replaceChildren();
    if (message !== undefined) this.errorBox.append(el('strong', 'error-title', 'Problem'), el('div', 'error-text', message));
  }

  /** Rebuilds the axis labels (query rows, key columns) at `cell` CSS pixels per token. */
  setLabels(rows: readonly string[], cols: readonly string[], cell: number): void {
    const label = (text: string, cls: string): HTMLElement => {
      const node = el('div', cls, text);
      node.title = text;
      return node;
    };
    this.rowLabels.replaceChildren(...rows.map((t) => label(t, 'row-label')));
    this.colLabels.replaceChildren(...cols.map((t) => label(t, 'col-label')));
    this.rowLabels.style.gridAutoRows = `${cell}px`;
    this.colLabels.style.gridAutoColumns = `${cell}px`;
    this.heat.style.width = `${cell * cols.length}px`;
    this.heat.style.height = `${cell * rows.length}px`;
  }
}
