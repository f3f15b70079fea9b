// The Attention panel's DOM: header, controls (encoder/decoder/cross, mean over heads, rollout,
// compare, export), the layer × head grid of thumbnails, the heat map(s) with token labels on
// both axes (base, fine-tuned and difference when comparing) and the head view. Every token
// label is set with textContent.
import { createButton, createProgressRing } from '../ui/toolkit';
import type { AttentionCompareChoice } from '../messages';
import { el } from './dom';
import { HeadView } from './headView';
import { MatrixPane } from './matrixPane';

export { el } from './dom';

export type MapKind = 'encoder' | 'decoder' | 'cross';
/** Which model's maps: the one inspected (fine-tuned when comparing), the base, or their difference. */
export type MapSource = 'tuned' | 'base' | 'difference';

export interface ViewActions {
  readonly onKind: (kind: MapKind) => void;
  readonly onMean: (on: boolean) => void;
  readonly onRollout: (on: boolean) => void;
  readonly onSelect: (layer: number, head: number) => void;
  readonly onExport: (format: 'png' | 'json') => void;
  readonly onCompare: (choice: AttentionCompareChoice) => void;
  readonly onGridSource: (source: MapSource) => void;
  readonly onHeadToggle: (head: number, on: boolean) => void;
  readonly onHeadSource: (source: MapSource) => void;
}

function toggle(label: string, onChange: (on: boolean) => void): { wrap: HTMLLabelElement; input: HTMLInputElement } {
  const wrap = el('label', 'toggle');
  const input = el('input', '');
  input.type = 'checkbox';
  input.addEventListener('change', () => onChange(input.checked));
  wrap.append(input, el('span', '', label));
  return { wrap, input };
}

function select<T extends string>(className: string, label: string, options: readonly (readonly [T, string])[], onChange: (value: T) => void): HTMLSelectElement {
  const node = el('select', `select ${className}`);
  for (const [value, text] of options) {
    const option = el('option', '', text);
    option.value = value;
    node.append(option);
  }
  node.setAttribute('aria-label', label);
  node.addEventListener('change', () => onChange(node.value as T));
  return node;
}

export class AttentionView {
  readonly title = el('h1', 'title', 'Attention');
  readonly subtitle = el('div', 'subtitle');
  readonly text = el('div', 'source-text');
  readonly notice = el('div', 'notice');
  readonly errorBox = el('div', 'error-box');
  readonly loading = el('div', 'empty');
  readonly loadingText = el('span', 'empty-text', 'Computing attention…');
  readonly content = el('div', 'content');
  readonly kind: HTMLSelectElement;
  readonly mean: HTMLInputElement;
  readonly rollout: HTMLInputElement;
  readonly rolloutWrap: HTMLLabelElement;
  readonly compareBase = createButton('Compare with base…', 'secondary');
  readonly compareTuned = createButton('Compare with fine-tuned run…', 'secondary');
  readonly stopCompare = createButton('Stop comparing', 'secondary');
  readonly gridSource: HTMLSelectElement;
  readonly grid = el('div', 'grid');
  readonly mapTitle = el('h2', 'map-title');
  /** The inspected model's map (the fine-tuned one when comparing), with the base and difference beside it. */
  readonly tunedPane = new MatrixPane('', 'pane-tuned', 'heat');
  readonly basePane = new MatrixPane('base', 'pane-base', 'heat-compare');
  readonly diffPane = new MatrixPane('difference (fine-tuned − base)', 'pane-diff', 'heat-compare');
  readonly scale = this.tunedPane.scale;
  readonly colLabels = this.tunedPane.colLabels;
  readonly rowLabels = this.tunedPane.rowLabels;
  readonly heat = this.tunedPane.canvas;
  readonly readout = el('div', 'readout', 'Hover a cell, or focus the map and use the arrow keys, to read its weight.');
  readonly headTitle = el('h2', 'card-title');
  readonly headSource: HTMLSelectElement;
  readonly headView: HeadView;

  constructor(root: HTMLElement, actions: ViewActions) {
    const header = el('header', 'header');
    header.append(this.title, this.subtitle, this.text);
    this.errorBox.setAttribute('role', 'alert');
    this.loading.append(createProgressRing(), this.loadingText);

    this.kind = select('kind', 'Attention maps to show', [['encoder', 'encoder self-attention'], ['decoder', 'decoder self-attention'], ['cross', 'cross-attention']], actions.onKind);
    const mean = toggle('Mean over heads', actions.onMean);
    const rollout = toggle('Attention rollout', actions.onRollout);
    this.mean = mean.input;
    this.rollout = rollout.input;
    this.rolloutWrap = rollout.wrap;
    this.rolloutWrap.title = 'Abnar & Zuidema (2020): heads averaged, residual added, layers multiplied up to the selected one';
    this.compareBase.title = 'Show a base model’s attention for the same text beside this model’s, with the difference';
    this.compareTuned.title = 'Show a fine-tuned run’s attention for the same text beside this model’s (as the base), with the difference';
    this.compareBase.addEventListener('click', () => actions.onCompare('base'));
    this.compareTuned.addEventListener('click', () => actions.onCompare('fine-tuned'));
    this.stopCompare.addEventListener('click', () => actions.onCompare('none'));
    const png = createButton('Export PNG', 'secondary');
    const json = createButton('Export JSON', 'secondary');
    png.addEventListener('click', () => actions.onExport('png'));
    json.addEventListener('click', () => actions.onExport('json'));
    const compare = el('span', 'button-group');
    compare.append(this.compareBase, this.compareTuned, this.stopCompare);
    const exports = el('span', 'button-group');
    exports.append(png, json);
    const controls = el('div', 'controls');
    controls.append(this.kind, mean.wrap, rollout.wrap, el('span', 'spacer'), compare, exports);

    this.gridSource = select('grid-source', 'Maps shown in the model view', [['tuned', 'fine-tuned'], ['base', 'base'], ['difference', 'difference']], actions.onGridSource);
    // Each thumbnail is a toggle button; arrow keys move between them (main.ts).
    this.grid.setAttribute('role', 'group');
    this.grid.setAttribute('aria-label', 'Attention maps, layers (rows) × heads (columns): arrow keys choose one');
    this.grid.addEventListener('click', (e) => {
      const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-layer]');
      if (cell !== null) actions.onSelect(Number(cell.dataset['layer']), Number(cell.dataset['head']));
    });
    const gridHead = el('div', 'card-head');
    gridHead.append(el('h2', 'card-title', 'Model view'), this.gridSource);
    const gridCard = el('section', 'card grid-card');
    gridCard.append(gridHead, this.grid);

    const mapRow = el('div', 'map-row');
    mapRow.append(this.basePane.root, this.tunedPane.root, this.diffPane.root);
    this.readout.setAttribute('aria-live', 'polite');
    // Focusable: arrow keys move a cell cursor whose weight the readout announces (main.ts).
    this.heat.tabIndex = 0;
    this.heat.setAttribute('role', 'application');
    this.heat.setAttribute('aria-roledescription', 'heat map');
    this.heat.setAttribute('aria-describedby', 'attention-readout');
    this.readout.id = 'attention-readout';
    const mapCard = el('section', 'card map-card');
    mapCard.append(this.mapTitle, mapRow, this.readout);

    this.headSource = select('head-source', 'Model shown in the head view', [['tuned', 'fine-tuned'], ['base', 'base']], actions.onHeadSource);
    const headTitleRow = el('div', 'card-head');
    headTitleRow.append(this.headTitle, this.headSource);
    this.headView = new HeadView(headTitleRow, actions.onHeadToggle);

    const panes = el('div', 'panes');
    panes.append(gridCard, mapCard);
    this.content.append(controls, this.notice, panes, this.headView.card);
    root.append(header, this.errorBox, this.loading, this.content);
    this.showError(undefined);
    this.setComparing(false);
    this.content.hidden = true;
  }

  showError(message: string | undefined): void {
    this.errorBox.hidden = message === undefined;
    this.errorBox.replaceChildren();
    if (message !== undefined) this.errorBox.append(el('strong', 'error-title', 'Problem'), el('div', 'error-text', message));
  }

  /** Shows or hides what only a comparison has: the base and difference panes and the source pickers. */
  setComparing(on: boolean): void {
    this.basePane.root.hidden = !on;
    this.diffPane.root.hidden = !on;
    this.tunedPane.title.hidden = !on;
    this.gridSource.hidden = !on;
    this.headSource.hidden = !on;
    this.stopCompare.hidden = !on;
    this.content.classList.toggle('comparing', on);
  }

  /** Rebuilds the axis labels (query rows, key columns) at `cell` CSS pixels per token. */
  setLabels(rows: readonly string[], cols: readonly string[], cell: number): void {
    this.tunedPane.setLabels(rows, cols, cell);
  }
}
