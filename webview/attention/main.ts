// Entry of the Attention panel bundle (dist/webview/attention.js): receives ModelAttention maps
// from the extension and draws the layer × head grid, the selected map as a heat map (single
// head, mean over heads, or rollout) and exports it as PNG or JSON.
import './attention.css';
import { assertNever, isExtensionToAttentionMessage, type ExtensionToAttentionMessage, type PanelAttentionMaps, type PanelAttentionResult } from '../messages';
import { registerToolkit } from '../ui/toolkit';
import { maxOf } from './colorScale';
import { decodeFloat32 } from './decode';
import { moveCell, type Cell } from './cellNavigation';
import { cellAt, cellSize, composeExport, drawMatrix, outlineCell } from './heatmap';
import { postToExtension, saveState } from './host';
import { attentionRollout, headMatrix, meanOverHeads } from './rollout';
import { displayToken } from './tokens';
import { AttentionView, el, type MapKind } from './view';

/** Thumbnail side in CSS pixels of the model-view grid. */
const THUMB = 44;
/** Width the heat map may use before the panel has been laid out. */
const FALLBACK_WIDTH = 560;

interface Decoded {
  readonly maps: PanelAttentionMaps;
  readonly values: Float32Array;
  readonly rows: readonly string[];
  readonly cols: readonly string[];
}

interface State {
  model: string;
  text: string;
  result: PanelAttentionResult | undefined;
  decoded: Partial<Record<MapKind, Decoded>>;
  kind: MapKind;
  layer: number;
  head: number;
  mean: boolean;
  rollout: boolean;
  /** The matrix on screen, kept for hover read-outs and JSON export. */
  shown: Float32Array | undefined;
  shownMax: number;
  cell: number;
  /** The heat map's keyboard cursor (row = query, col = key). */
  focus: Cell | undefined;
}

registerToolkit();
const root = document.getElementById('app');
if (root === null) throw new Error('media/panel.html has no #app element');
const state: State = { model: '', text: '', result: undefined, decoded: {}, kind: 'encoder', layer: 0, head: 0, mean: false, rollout: false, shown: undefined, shownMax: 1, cell: 16, focus: undefined };

const view = new AttentionView(root, {
  onKind: (kind) => { state.kind = kind; state.layer = 0; state.head = 0; render(); },
  onMean: (on) => { state.mean = on; render(); },
  onRollout: (on) => { state.rollout = on; render(); },
  onSelect: (layer, head) => { state.layer = layer; state.head = head; render(); },
  onExport: (format) => exportMap(format),
});

function mapsOf(result: PanelAttentionResult, kind: MapKind): PanelAttentionMaps | null {
  return kind === 'encoder' ? result.attention : kind === 'decoder' ? result.decoderAttention : result.crossAttention;
}

function decoded(kind: MapKind): Decoded | undefined {
  const known = state.decoded[kind];
  if (known !== undefined) return known;
  const maps = state.result === undefined ? null : mapsOf(state.result, kind);
  if (maps === null) return undefined;
  const values = decodeFloat32(maps.data);
  const expected = maps.layers * maps.heads * maps.queryTokens.length * maps.keyTokens.length;
  if (values.length !== expected) throw new Error(`The ${kind} maps hold ${values.length} values, expected ${expected}.`);
  const d = { maps, values, rows: maps.queryTokens.map(displayToken), cols: maps.keyTokens.map(displayToken) };
  state.decoded[kind] = d;
  return d;
}

/** The matrix for the current selection: one head, the heads' mean, or the rollout up to the layer. */
function selectedMatrix(d: Decoded): Float32Array {
  const { heads } = d.maps;
  const rows = d.rows.length;
  const cols = d.cols.length;
  const square = rows === cols;
  if (state.rollout && square && state.kind !== 'cross') return attentionRollout(d.values, d.maps.layers, heads, rows, state.layer);
  if (state.mean) {
    if (square) return meanOverHeads(d.values, heads, rows, state.layer);
    const mean = new Float32Array(rows * cols);
    for (let h = 0; h < heads; h++) {
      const m = d.values.subarray((state.layer * heads + h) * rows * cols, (state.layer * heads + h + 1) * rows * cols);
      for (let i = 0; i < m.length; i++) mean[i]! += m[i]! / heads;
    }
    return mean;
  }
  return square ? headMatrix(d.values, heads, rows, state.layer, state.head) : d.values.subarray((state.layer * heads + state.head) * rows * cols, (state.layer * heads + state.head + 1) * rows * cols);
}

function renderGrid(d: Decoded): void {
  const { layers, heads } = d.maps;
  const rows = d.rows.length;
  const cols = d.cols.length;
  view.grid.style.gridTemplateColumns = `auto repeat(${heads}, ${THUMB}px)`;
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
      canvas.setAttribute('role', 'button');
      canvas.setAttribute('aria-label', `layer ${l}, head ${h}`);
      const selected = l === state.layer && (state.mean || state.rollout || h === state.head);
      canvas.classList.toggle('selected', selected);
      canvas.setAttribute('aria-pressed', String(selected));
      // One tab stop for the whole grid (the current map); arrow keys move from there.
      canvas.tabIndex = l === state.layer && h === state.head ? 0 : -1;
      const offset = (l * heads + h) * rows * cols;
      drawMatrix(canvas, d.values.subarray(offset, offset + rows * cols), rows, cols);
      cells.push(canvas);
    }
  }
  view.grid.replaceChildren(...cells);
}

function render(): void {
  const result = state.result;
  view.content.hidden = result === undefined;
  if (result === undefined) return;
  let d: Decoded | undefined;
  try {
    d = decoded(state.kind);
  } catch (error) {
    view.showError(error instanceof Error ? error.message : String(error));
    return;
  }
  if (d === undefined) return;
  const hasDecoder = result.decoderAttention !== null || result.crossAttention !== null;
  view.kind.hidden = !hasDecoder;
  view.kind.value = state.kind;
  const square = d.rows.length === d.cols.length && state.kind !== 'cross';
  view.rolloutWrap.hidden = !square;
  view.mean.checked = state.mean;
  view.rollout.checked = state.rollout && square;
  root!.dataset['layers'] = String(d.maps.layers);
  root!.dataset['heads'] = String(d.maps.heads);
  root!.dataset['tokens'] = JSON.stringify(d.maps.queryTokens);
  view.notice.hidden = !result.truncated;
  view.notice.textContent = result.truncated ? 'The text was truncated to the model’s maximum length.' : '';
  renderGrid(d);

  const matrix = selectedMatrix(d);
  state.shown = matrix;
  const max = maxOf(matrix);
  const what = state.rollout && square ? `rollout through layer ${state.layer}` : state.mean ? `layer ${state.layer}, mean over ${d.maps.heads} heads` : `layer ${state.layer}, head ${state.head}`;
  view.mapTitle.textContent = what;
  view.scale.textContent = `colour: 0 → ${max.toFixed(3)}`;
  const available = Math.max(200, (view.heat.parentElement?.clientWidth ?? FALLBACK_WIDTH) - 120);
  state.cell = cellSize(d.rows.length, d.cols.length, available);
  view.setLabels(d.rows, d.cols, state.cell);
  const ratio = window.devicePixelRatio || 1;
  view.heat.width = Math.round(state.cell * d.cols.length * ratio);
  view.heat.height = Math.round(state.cell * d.rows.length * ratio);
  state.shownMax = max;
  view.heat.setAttribute('aria-label', `${what}: ${d.rows.length} query tokens (rows) × ${d.cols.length} key tokens (columns). Arrow keys move between cells, Home and End to the row's ends.`);
  if (state.focus !== undefined) state.focus = { row: Math.min(state.focus.row, d.rows.length - 1), col: Math.min(state.focus.col, d.cols.length - 1) };
  paintHeat(d);
}

/** Draws the shown matrix, and the keyboard cursor while the heat map has focus. */
function paintHeat(d: Decoded): void {
  if (state.shown === undefined) return;
  drawMatrix(view.heat, state.shown, d.rows.length, d.cols.length, state.shownMax);
  if (state.focus === undefined || document.activeElement !== view.heat) return;
  const color = getComputedStyle(document.body).getPropertyValue('--vscode-focusBorder').trim() || '#007fd4';
  outlineCell(view.heat, state.focus.row, state.focus.col, state.cell * (window.devicePixelRatio || 1), color);
}

/** "query “cat” (2) → key “the” (0): 0.4121". */
function describeCell(d: Decoded, row: number, col: number): string {
  const value = state.shown?.[row * d.cols.length + col] ?? 0;
  return `query “${d.rows[row] ?? ''}” (${row}) → key “${d.cols[col] ?? ''}” (${col}): ${value.toFixed(4)}`;
}

view.heat.addEventListener('mousemove', (e) => {
  const d = state.decoded[state.kind];
  if (d === undefined || state.shown === undefined) return;
  const hit = cellAt(e.offsetX, e.offsetY, state.cell, d.rows.length, d.cols.length);
  if (hit === undefined) return;
  view.readout.textContent = describeCell(d, hit.row, hit.col);
});

// Keyboard: the heat map's cell cursor (its value goes to the aria-live readout)…
view.heat.addEventListener('keydown', (e) => {
  const d = state.decoded[state.kind];
  if (d === undefined) return;
  const next = moveCell(state.focus ?? { row: 0, col: 0 }, e.key, d.rows.length, d.cols.length);
  if (next === undefined) return;
  e.preventDefault();
  state.focus = next;
  view.readout.textContent = describeCell(d, next.row, next.col);
  paintHeat(d);
});
view.heat.addEventListener('focus', () => {
  const d = state.decoded[state.kind];
  if (d === undefined) return;
  state.focus ??= { row: 0, col: 0 };
  view.readout.textContent = describeCell(d, state.focus.row, state.focus.col);
  paintHeat(d);
});
view.heat.addEventListener('blur', () => {
  const d = state.decoded[state.kind];
  if (d !== undefined) paintHeat(d);
});

// …and the layer × head grid: arrow keys choose the neighbouring map, Enter or Space the focused one.
view.grid.addEventListener('keydown', (e) => {
  const d = state.decoded[state.kind];
  const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-layer]');
  if (d === undefined || cell === null) return;
  const at = { row: Number(cell.dataset['layer']), col: Number(cell.dataset['head']) };
  const next = e.key === 'Enter' || e.key === ' ' ? at : moveCell(at, e.key, d.maps.layers, d.maps.heads);
  if (next === undefined) return;
  e.preventDefault();
  state.layer = next.row;
  state.head = next.col;
  render();
  view.grid.querySelector<HTMLElement>(`[data-layer="${next.row}"][data-head="${next.col}"]`)?.focus();
});

function exportMap(format: 'png' | 'json'): void {
  const d = state.decoded[state.kind];
  if (d === undefined || state.shown === undefined) return;
  const base = `attention-${state.kind}-L${state.layer}${state.rollout ? '-rollout' : state.mean ? '-mean' : `-H${state.head}`}`;
  if (format === 'json') {
    const rows: number[][] = [];
    for (let i = 0; i < d.rows.length; i++) rows.push(Array.from(state.shown.subarray(i * d.cols.length, (i + 1) * d.cols.length)));
    const data = JSON.stringify({ model: state.model, text: state.text, kind: state.kind, layer: state.layer, head: state.mean || state.rollout ? null : state.head, mode: state.rollout ? 'rollout' : state.mean ? 'mean' : 'head', queryTokens: d.maps.queryTokens, keyTokens: d.maps.keyTokens, weights: rows }, null, 2);
    postToExtension({ type: 'export', format, data, suggestedName: `${base}.json` });
    return;
  }
  const style = getComputedStyle(document.body);
  const font = `${style.getPropertyValue('--vscode-font-size').trim() || '12px'} ${style.getPropertyValue('--vscode-font-family').trim() || 'sans-serif'}`;
  const ratio = window.devicePixelRatio || 1;
  const canvas = composeExport(view.heat, d.rows, d.cols, state.cell * ratio, font, style.color || '#ccc', style.backgroundColor || '#1e1e1e');
  postToExtension({ type: 'export', format, data: canvas.toDataURL('image/png'), suggestedName: `${base}.png` });
}

function handle(message: ExtensionToAttentionMessage): void {
  switch (message.type) {
    case 'loading':
      saveState(message.state); // what the serializer needs to compute the maps again after a reload
      state.model = message.model;
      state.text = message.text;
      view.title.textContent = `Attention · ${message.model}`;
      view.text.textContent = message.text;
      view.loading.hidden = false;
      view.showError(undefined);
      return;
    case 'attention':
      view.loading.hidden = true;
      view.showError(undefined);
      Object.assign(state, { model: message.model, text: message.text, result: message.result, decoded: {}, kind: 'encoder', layer: 0, head: 0, focus: undefined });
      view.title.textContent = `Attention · ${message.model}`;
      view.subtitle.textContent = `${message.result.family} · ${message.result.attention.layers} layers × ${message.result.attention.heads} heads · ${message.result.attention.queryTokens.length} tokens`;
      view.text.textContent = message.text;
      render();
      return;
    case 'error':
      view.loading.hidden = true;
      view.showError(message.message);
      return;
    default:
      assertNever(message);
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isExtensionToAttentionMessage(event.data)) handle(event.data);
  else console.warn('Transfer Lab: ignored an unknown message', event.data);
});

let resizeQueued = false;
new ResizeObserver(() => {
  if (resizeQueued) return;
  resizeQueued = true;
  requestAnimationFrame(() => {
    resizeQueued = false;
    render();
  });
}).observe(view.content);

view.loading.hidden = true;
postToExtension({ type: 'ready' });
