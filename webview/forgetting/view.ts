// The Forgetting panel's DOM: header, alert with one button per suggestion, empty state, and the
// four cards (probe loss chart, weight-drift heat map, CKA bars, attention-drift heat map). Every
// string that comes from data is set with textContent.
import { maxOf } from '../attention/colorScale';
import { moveCell, type Cell } from '../attention/cellNavigation';
import { cellAt, drawMatrix } from '../attention/heatmap';
import type { PanelForgettingEvent } from '../messages';
import { createButton } from '../ui/toolkit';

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

interface Card {
  readonly card: HTMLElement;
  readonly body: HTMLElement;
  /** The colour scale or what the card shows now (e.g. which evaluation). */
  readonly legend: HTMLElement;
}

function card(title: string, hint: string): Card {
  const c = el('section', 'card');
  const head = el('div', 'card-head');
  const legend = el('div', 'card-legend');
  head.append(el('h2', 'card-title', title), el('span', 'card-hint', hint), legend);
  const body = el('div', 'card-body');
  c.append(head, body);
  return { card: c, body, legend };
}

/** A heat map with row labels on the left and column labels on top; hover reads out a value. */
export function renderHeat(body: HTMLElement, readout: HTMLElement, rows: readonly string[], cols: readonly string[], values: Float32Array, cell: { w: number; h: number }, describe: (row: string, col: string, v: number) => string, limit = maxOf(values)): void {
  const wrap = el('div', 'heat-wrap');
  const corner = el('div', 'corner');
  const colLabels = el('div', 'col-labels');
  colLabels.style.gridAutoColumns = `${cell.w}px`;
  for (const c of cols) colLabels.append(el('div', 'col-label', c));
  const rowLabels = el('div', 'row-labels');
  rowLabels.style.gridAutoRows = `${cell.h}px`;
  for (const r of rows) rowLabels.append(el('div', 'row-label', r));
  const canvas = el('canvas', 'heat');
  const ratio = window.devicePixelRatio || 1;
  canvas.style.width = `${cell.w * cols.length}px`;
  canvas.style.height = `${cell.h * rows.length}px`;
  canvas.width = Math.max(1, Math.round(cell.w * cols.length * ratio));
  canvas.height = Math.max(1, Math.round(cell.h * rows.length * ratio));
  if (rows.length > 0 && cols.length > 0) drawMatrix(canvas, values, rows.length, cols.length, limit);
  const say = (row: number, col: number): void => {
    readout.textContent = describe(rows[row] ?? '', cols[col] ?? '', values[row * cols.length + col] ?? 0);
  };
  canvas.addEventListener('mousemove', (e) => {
    const hitW = cellAt(e.offsetX, 0, cell.w, 1, cols.length);
    const hitH = cellAt(0, e.offsetY, cell.h, rows.length, 1);
    if (hitW === undefined || hitH === undefined) return;
    say(hitH.row, hitW.col);
  });
  // Keyboard: arrow keys walk the cells; the readout (aria-live) announces each one.
  let at: Cell = { row: 0, col: 0 };
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'application');
  canvas.setAttribute('aria-roledescription', 'heat map');
  canvas.setAttribute('aria-label', `${rows.length} rows × ${cols.length} columns. Arrow keys move between cells, Home and End to the row's ends.`);
  canvas.addEventListener('focus', () => {
    if (rows.length > 0 && cols.length > 0) say(at.row, at.col);
  });
  canvas.addEventListener('keydown', (e) => {
    const next = moveCell(at, e.key, rows.length, cols.length);
    if (next === undefined || rows.length === 0 || cols.length === 0) return;
    e.preventDefault();
    at = next;
    say(at.row, at.col);
  });
  wrap.append(corner, colLabels, rowLabels, canvas);
  body.replaceChildren(wrap);
}

export class ForgettingView {
  readonly title = el('h1', 'title', 'Forgetting');
  readonly state = el('span', 'state-badge');
  readonly meta = el('div', 'meta');
  readonly errorBox = el('div', 'error-box');
  readonly alert = el('div', 'alert');
  readonly empty = el('div', 'empty');
  readonly cards = el('div', 'cards');
  readonly lossPlot = el('div', 'chart');
  /** Why there is no probe-loss line (no LM head, no probe text). */
  readonly lossEmpty = el('div', 'card-empty');
  readonly loss = card('Probe loss on general text', 'LM loss of the fine-tuned model (coloured) against the base model’s (grey); rising = forgetting');
  readonly drift = card('Weight drift', '‖θ − θ₀‖ / ‖θ₀‖ per layer (rows) at each evaluation (columns)');
  readonly cka = card('Representation similarity', 'linear CKA of each layer with the base model (1 = unchanged)');
  readonly attention = card('Attention drift', 'Jensen–Shannon divergence from the base model per layer (rows) × head (columns)');
  /** Which evaluation the CKA and attention-drift cards show ("" = the latest, following a live run). */
  readonly stepSelect = el('select', 'step-select');
  readonly stepBar = el('div', 'step-bar');
  readonly readout = el('div', 'readout', 'Hover a heat-map cell to read its value.');

  constructor(root: HTMLElement, private readonly onSuggestion: (step: number, index: number) => void, onStep: (step: number | undefined) => void) {
    const header = el('header', 'header');
    const titleRow = el('div', 'title-row');
    titleRow.append(this.title, this.state);
    header.append(titleRow, this.meta);
    this.errorBox.setAttribute('role', 'alert');
    this.alert.setAttribute('role', 'status');
    this.loss.body.append(this.lossPlot, this.lossEmpty);
    this.readout.setAttribute('aria-live', 'polite');
    const stepLabel = el('label', 'step-label', 'CKA and attention drift at');
    this.stepSelect.id = 'forgetting-step';
    stepLabel.htmlFor = this.stepSelect.id;
    this.stepSelect.addEventListener('change', () => onStep(this.stepSelect.value === '' ? undefined : Number(this.stepSelect.value)));
    this.stepBar.append(stepLabel, this.stepSelect);
    this.cards.append(this.loss.card, this.drift.card, this.cka.card, this.attention.card);
    root.append(header, this.errorBox, this.alert, this.empty, this.stepBar, this.cards, this.readout);
  }

  showError(message: string | undefined): void {
    this.errorBox.hidden = message === undefined;
    this.errorBox.replaceChildren();
    if (message !== undefined) this.errorBox.append(el('strong', 'error-title', 'Problem'), el('div', 'error-text', message));
  }

  renderAlert(event: PanelForgettingEvent | undefined): void {
    const alert = event?.alert ?? null;
    this.alert.hidden = alert === null;
    this.alert.replaceChildren();
    if (event === undefined || alert === null) return;
    this.alert.className = `alert alert-${alert.level}`;
    const head = el('div', 'alert-head');
    head.append(el('strong', 'alert-level', alert.level === 'ok' ? 'OK' : alert.level === 'warning' ? 'Warning' : 'Forgetting alert'), el('span', 'alert-text', alert.message));
    this.alert.append(head);
    if (alert.suggestions.length === 0) return;
    const actions = el('div', 'alert-actions');
    actions.append(el('span', 'alert-try', 'Try a follow-up run:'));
    alert.suggestions.forEach((s, i) => {
      const button = createButton(s.label, i === 0 ? 'primary' : 'secondary');
      button.addEventListener('click', () => {
        button.setAttribute('disabled', '');
        this.onSuggestion(event.step, i);
      });
      actions.append(button);
    });
    this.alert.append(actions);
  }

  /** The evaluation choices: the latest (follows a live run), then each evaluation. */
  renderSteps(events: readonly PanelForgettingEvent[], chosen: number | undefined): void {
    const latest = events[events.length - 1];
    const option = (value: string, text: string): HTMLOptionElement => {
      const o = el('option', '', text);
      o.value = value;
      return o;
    };
    this.stepSelect.replaceChildren(
      option('', latest === undefined ? 'the latest evaluation' : `the latest evaluation (step ${latest.step})`),
      ...events.map((e) => option(String(e.step), `step ${e.step} · epoch ${e.epoch}`)),
    );
    this.stepSelect.value = chosen === undefined || !events.some((e) => e.step === chosen) ? '' : String(chosen);
  }

  renderCka(event: PanelForgettingEvent | undefined): void {
    const list = el('div', 'bars');
    for (const { layer, cka } of event?.cka ?? []) {
      const row = el('div', 'bar-row');
      const track = el('div', 'bar-track');
      const fill = el('div', 'bar-fill');
      fill.style.width = `${Math.max(0, Math.min(1, cka)) * 100}%`;
      track.append(fill);
      row.append(el('span', 'bar-label', layer), track, el('span', 'bar-value', cka.toFixed(3)));
      list.append(row);
    }
    this.cka.body.replaceChildren(list);
  }
}
