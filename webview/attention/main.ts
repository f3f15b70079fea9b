// Entry of the Attention panel bundle (dist/webview/attention.js): receives ModelAttention maps
// from the extension and draws the layer × head grid, the selected map as a heat map (single
// head, mean over heads, or rollout), the head view, and — with a base model — the base map and
// the difference map beside it. Exports the shown maps as PNG or JSON.
import './attention.css';
import {
  assertNever,
  isExtensionToAttentionMessage,
  type ExtensionToAttentionMessage,
  type AttentionPanelState,
  type PanelAttentionResult,
} from '../messages';
import { registerToolkit } from '../ui/toolkit';
import { maxOf, rampColor } from './colorScale';
import { alignMaps, differenceMatrix, divergingColor, maxAbs, signed, type Alignment } from './compare';
import { composeSideBySide } from './exportImage';
import { moveCell, type Cell } from './cellNavigation';
import { cellAt, cellSize, composeExport, drawMatrix, outlineCell, type CellColor } from './heatmap';
import { postToExtension, saveState } from './host';
import { restoredSelection } from './savedSelection';
import { canRollout, decodeMaps, headOf, mapsOf, selectedMatrix, selectionLabel, type Decoded, type MapSelection } from './maps';
import { ModelGrid, THUMB } from './modelGrid';
import { poolMatrix } from './pool';
import { AttentionView, type MapKind, type MapSource } from './view';

/** Width the heat map may use before the panel has been laid out. */
const FALLBACK_WIDTH = 560;
/** Room for the query labels and gaps beside each heat map. */
const LABEL_ROOM = 160;
/** Gap between the compared maps (attention.css .map-row). */
const PANE_GAP = 20;
/** Below this many CSS pixels per token compared maps drop their axis labels (hover still names the tokens). */
const MIN_LABELLED_CELL = 12;

interface Loaded {
  readonly model: string;
  readonly result: PanelAttentionResult;
  readonly decoded: Partial<Record<MapKind, Decoded>>;
}

/** The matrices on screen, kept for hover read-outs and export. */
interface Shown {
  readonly rows: readonly string[];
  readonly cols: readonly string[];
  readonly d: Decoded;
  readonly tuned: Float32Array;
  readonly base: Float32Array | undefined;
  readonly diff: Float32Array | undefined;
}

interface State {
  text: string;
  tuned: Loaded | undefined;
  base: Loaded | undefined;
  notice: string | null;
  generation: number;
  kind: MapKind;
  layer: number;
  head: number;
  mean: boolean;
  rollout: boolean;
  gridSource: MapSource;
  headSource: MapSource;
  headHeads: Set<number>;
  shown: Shown | undefined;
  /** Top of the colour scale of the inspected model's map. */
  shownMax: number;
  cell: number;
  /** The heat map's keyboard cursor (row = query, col = key). */
  focus: Cell | undefined;
}

registerToolkit();
const root = document.getElementById('app');
if (root === null) throw new Error('media/panel.html has no #app element');
const state: State = {
  text: '', tuned: undefined, base: undefined, notice: null, generation: 0, kind: 'encoder', layer: 0, head: 0, mean: false, rollout: false,
  gridSource: 'tuned', headSource: 'tuned', headHeads: new Set([0]), shown: undefined, shownMax: 1, cell: 16, focus: undefined,
};

const view = new AttentionView(root, {
  onKind: (kind) => { Object.assign(state, { kind, layer: 0, head: 0, headHeads: new Set([0]) }); render(); },
  onMean: (on) => { state.mean = on; render(); },
  onRollout: (on) => { state.rollout = on; render(); },
  onSelect: (layer, head) => { Object.assign(state, { layer, head, headHeads: new Set([head]) }); render(); },
  onExport: (format) => exportMap(format),
  onCompare: (choice) => postToExtension({ type: 'compare', with: choice }),
  onGridSource: (source) => { state.gridSource = source; render(); },
  onHeadToggle: (head, on) => { if (on) state.headHeads.add(head); else state.headHeads.delete(head); render(); },
  onHeadSource: (source) => { state.headSource = source; render(); },
});
const grid = new ModelGrid(view.grid);
/** What the extension asked for (from 'loading'): saved with the map on screen at every render. */
let panelState: AttentionPanelState | undefined;

function decoded(loaded: Loaded, kind: MapKind): Decoded | undefined {
  const known = loaded.decoded[kind];
  if (known !== undefined) return known;
  const maps = mapsOf(loaded.result, kind);
  if (maps === null) return undefined;
  const d = decodeMaps(maps, `${loaded.model} ${kind}`, kind !== 'cross');
  loaded.decoded[kind] = d;
  return d;
}

const attentionColor: CellColor = rampColor;
const diffColor: CellColor = divergingColor;

/** The grid's thumbnails: the chosen model's maps, or their difference (diverging colours). */
function renderGrid(d: Decoded, b: Decoded | undefined): void {
  const source: MapSource = b === undefined ? 'tuned' : state.gridSource;
  const rows = d.rows.length;
  const cols = d.cols.length;
  grid.show(`${state.generation}|${state.kind}|${source}`, d.maps.layers, d.maps.heads, (canvas, l, h) => {
    const matrix = source === 'tuned' || b === undefined ? headOf(d, l, h) : source === 'base' ? headOf(b, l, h) : differenceMatrix(headOf(d, l, h), headOf(b, l, h));
    const pooled = poolMatrix(matrix, rows, cols, THUMB);
    if (source === 'difference') drawMatrix(canvas, pooled.values, pooled.rows, pooled.cols, maxAbs(pooled.values), diffColor);
    else drawMatrix(canvas, pooled.values, pooled.rows, pooled.cols, maxOf(pooled.values), attentionColor);
  });
  grid.select(state.layer, state.head, state.mean || (state.rollout && canRollout(d)));
}

function compareNotice(alignment: Alignment): string | null {
  if (state.base === undefined || alignment.ok) return null;
  return `Not compared with ${state.base.model}: ${alignment.reason}. The difference map needs the same tokenizer and architecture; compare a fine-tuned run with the model it was fine-tuned from.`;
}

function render(): void {
  const tuned = state.tuned;
  view.content.hidden = tuned === undefined;
  if (tuned === undefined) return;
  if (panelState !== undefined) saveState({ ...panelState, selection: { kind: state.kind, layer: state.layer, head: state.head, mean: state.mean, rollout: state.rollout } });
  let d: Decoded | undefined;
  let b: Decoded | undefined;
  try {
    d = decoded(tuned, state.kind);
    b = state.base === undefined ? undefined : decoded(state.base, state.kind);
  } catch (error) {
    view.showError(error instanceof Error ? error.message : String(error));
    return;
  }
  if (d === undefined) return;
  const alignment: Alignment = b === undefined ? { ok: true } : alignMaps(b.maps, d.maps);
  if (!alignment.ok) b = undefined;
  const comparing = b !== undefined;
  view.setComparing(comparing);

  const result = tuned.result;
  view.kind.hidden = result.decoderAttention === null && result.crossAttention === null;
  view.kind.value = state.kind;
  view.rolloutWrap.hidden = !canRollout(d);
  view.mean.checked = state.mean;
  view.rollout.checked = state.rollout && canRollout(d);
  view.gridSource.value = state.gridSource;
  view.headSource.value = state.headSource;
  root!.dataset['layers'] = String(d.maps.layers);
  root!.dataset['heads'] = String(d.maps.heads);
  root!.dataset['tokens'] = JSON.stringify(d.maps.queryTokens);
  root!.dataset['comparing'] = String(comparing);
  const notices = [state.notice, compareNotice(alignment), result.truncated ? 'The text was truncated to the model’s maximum length.' : null].filter((n): n is string => n !== null);
  view.notice.hidden = notices.length === 0;
  view.notice.textContent = notices.join(' ');
  renderGrid(d, b);
  renderMaps(d, b);
  renderHeadView(d, b);
}

function renderMaps(d: Decoded, b: Decoded | undefined): void {
  const sel: MapSelection = { layer: state.layer, head: state.head, mean: state.mean, rollout: state.rollout };
  const tuned = selectedMatrix(d, sel);
  const base = b === undefined ? undefined : selectedMatrix(b, sel);
  const diff = base === undefined ? undefined : differenceMatrix(tuned, base);
  state.shown = { rows: d.rows, cols: d.cols, d, tuned, base, diff };
  // Base and fine-tuned share one scale, so equal colours mean equal weights.
  const max = Math.max(maxOf(tuned), base === undefined ? 0 : maxOf(base));
  view.mapTitle.textContent = selectionLabel(d, sel);
  const rows = d.rows.length;
  const cols = d.cols.length;
  const width = view.heat.closest('.map-row')?.clientWidth || FALLBACK_WIDTH;
  const panes = base === undefined ? 1 : 3;
  // Compared maps share the base map's query labels (their rows line up), so the labels' room is taken once.
  const fit = (room: number): number => Math.min(32, Math.max(60, Math.floor((width - room) / panes) - PANE_GAP) / Math.max(1, rows, cols));
  // One map keeps readable labels (and scrolls); three side by side shrink to fit (without labels, whose room
  // they take, once too small to read), long texts below a pixel a token.
  state.cell = base === undefined ? cellSize(rows, cols, Math.max(120, Math.floor(width) - LABEL_ROOM)) : fit(LABEL_ROOM);
  const dense = base !== undefined && state.cell < MIN_LABELLED_CELL;
  if (dense) state.cell = fit(0);
  if (state.cell >= 1) state.cell = Math.floor(state.cell);
  root!.classList.toggle('dense', dense);
  view.tunedPane.setTitle(`fine-tuned: ${state.tuned?.model ?? ''}`);
  view.scale.textContent = `colour: 0 → ${max.toFixed(3)}`;
  view.setLabels(d.rows, d.cols, state.cell);
  state.shownMax = max;
  view.heat.dataset['max'] = String(max);
  view.heat.setAttribute('aria-label', `${selectionLabel(d, sel)}${base === undefined ? '' : ', fine-tuned model'}: ${rows} query tokens (rows) × ${cols} key tokens (columns). Arrow keys move between cells, Home and End to the row's ends.`);
  if (state.focus !== undefined) state.focus = { row: Math.min(state.focus.row, rows - 1), col: Math.min(state.focus.col, cols - 1) };
  paintHeat();
  if (base === undefined || diff === undefined) {
    for (const pane of [view.basePane, view.diffPane]) pane.setLabels([], [], state.cell); // hidden: no stale tokens
    return;
  }
  view.basePane.setTitle(`base: ${state.base?.model ?? ''}`);
  view.basePane.scale.textContent = `colour: 0 → ${max.toFixed(3)}`;
  view.basePane.setLabels(d.rows, d.cols, state.cell);
  view.basePane.draw(base, rows, cols, state.cell, max, attentionColor);
  const limit = maxAbs(diff);
  view.diffPane.scale.textContent = `blue −${limit.toFixed(3)} · white 0 · red +${limit.toFixed(3)}`;
  view.diffPane.setLabels(d.rows, d.cols, state.cell);
  view.diffPane.draw(diff, rows, cols, state.cell, limit, diffColor);
  view.diffPane.canvas.dataset['limit'] = String(limit);
}

/** Draws the inspected model's map, and the keyboard cursor while the heat map has focus. */
function paintHeat(): void {
  const s = state.shown;
  if (s === undefined) return;
  view.tunedPane.draw(s.tuned, s.rows.length, s.cols.length, state.cell, state.shownMax, attentionColor);
  if (state.focus === undefined || document.activeElement !== view.heat) return;
  const color = getComputedStyle(document.body).getPropertyValue('--vscode-focusBorder').trim() || '#007fd4';
  const ratio = window.devicePixelRatio || 1;
  outlineCell(view.heat, state.focus.row, state.focus.col, (view.heat.width / Math.max(1, s.cols.length)) || state.cell * ratio, color);
}

function renderHeadView(d: Decoded, b: Decoded | undefined): void {
  const source = b !== undefined && state.headSource === 'base' ? b : d;
  const heads = [...state.headHeads].filter((h) => h < d.maps.heads).sort((x, y) => x - y);
  view.headTitle.textContent = `Head view · layer ${state.layer}`;
  view.headView.render(d.maps.heads, new Set(heads), { rows: d.rows, cols: d.cols, heads: heads.map((head) => ({ head, matrix: headOf(source, state.layer, head) })) });
}

function describeCell(row: number, col: number): string | undefined {
  const s = state.shown;
  if (s === undefined) return undefined;
  const i = row * s.cols.length + col;
  const where = `query “${s.rows[row] ?? ''}” (${row}) → key “${s.cols[col] ?? ''}” (${col})`;
  const tuned = s.tuned[i] ?? 0;
  if (s.base === undefined || s.diff === undefined) return `${where}: ${tuned.toFixed(4)}`;
  return `${where}: base ${(s.base[i] ?? 0).toFixed(4)} · fine-tuned ${tuned.toFixed(4)} · difference ${signed(s.diff[i] ?? 0)}`;
}

for (const canvas of [view.heat, view.basePane.canvas, view.diffPane.canvas]) {
  canvas.addEventListener('mousemove', (e) => {
    const s = state.shown;
    if (s === undefined) return;
    const hit = cellAt(e.offsetX, e.offsetY, state.cell, s.rows.length, s.cols.length);
    const text = hit === undefined ? undefined : describeCell(hit.row, hit.col);
    if (text !== undefined) view.readout.textContent = text;
  });
}

// Keyboard: the heat map's cell cursor (its values go to the aria-live readout)…
view.heat.addEventListener('keydown', (e) => {
  const s = state.shown;
  if (s === undefined) return;
  const next = moveCell(state.focus ?? { row: 0, col: 0 }, e.key, s.rows.length, s.cols.length);
  if (next === undefined) return;
  e.preventDefault();
  state.focus = next;
  view.readout.textContent = describeCell(next.row, next.col) ?? '';
  paintHeat();
});
view.heat.addEventListener('focus', () => {
  if (state.shown === undefined) return;
  state.focus ??= { row: 0, col: 0 };
  view.readout.textContent = describeCell(state.focus.row, state.focus.col) ?? '';
  paintHeat();
});
view.heat.addEventListener('blur', () => paintHeat());

// …and the layer × head grid: arrow keys choose the neighbouring map, Enter or Space the focused one.
view.grid.addEventListener('keydown', (e) => {
  const d = state.shown?.d;
  const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-layer]');
  if (d === undefined || cell === null) return;
  const at = { row: Number(cell.dataset['layer']), col: Number(cell.dataset['head']) };
  const next = e.key === 'Enter' || e.key === ' ' ? at : moveCell(at, e.key, d.maps.layers, d.maps.heads);
  if (next === undefined) return;
  e.preventDefault();
  Object.assign(state, { layer: next.row, head: next.col, headHeads: new Set([next.col]) });
  render();
  view.grid.querySelector<HTMLElement>(`[data-layer="${next.row}"][data-head="${next.col}"]`)?.focus();
});

function exportMap(format: 'png' | 'json'): void {
  const s = state.shown;
  if (s === undefined) return;
  const base = `attention-${state.kind}-L${state.layer}${state.rollout ? '-rollout' : state.mean ? '-mean' : `-H${state.head}`}${s.diff !== undefined ? '-compare' : ''}`;
  if (format === 'json') {
    const rowsOf = (m: Float32Array): number[][] => Array.from({ length: s.rows.length }, (_, i) => Array.from(m.subarray(i * s.cols.length, (i + 1) * s.cols.length)));
    const data = JSON.stringify({
      model: state.tuned?.model, text: state.text, kind: state.kind, layer: state.layer, head: state.mean || state.rollout ? null : state.head,
      mode: state.rollout ? 'rollout' : state.mean ? 'mean' : 'head', queryTokens: s.d.maps.queryTokens, keyTokens: s.d.maps.keyTokens, weights: rowsOf(s.tuned),
      ...(s.base !== undefined && s.diff !== undefined ? { baseModel: state.base?.model, baseWeights: rowsOf(s.base), difference: rowsOf(s.diff) } : {}),
    }, null, 2);
    postToExtension({ type: 'export', format, data, suggestedName: `${base}.json` });
    return;
  }
  const style = getComputedStyle(document.body);
  const font = `${style.getPropertyValue('--vscode-font-size').trim() || '12px'} ${style.getPropertyValue('--vscode-font-family').trim() || 'sans-serif'}`;
  const ratio = window.devicePixelRatio || 1;
  const color = style.color || '#ccc';
  const background = style.backgroundColor || '#1e1e1e';
  const canvas = s.diff === undefined
    ? composeExport(view.heat, s.rows, s.cols, state.cell * ratio, font, color, background)
    : composeSideBySide([
        { title: `base: ${state.base?.model ?? ''}`, canvas: view.basePane.canvas },
        { title: `fine-tuned: ${state.tuned?.model ?? ''}`, canvas: view.heat },
        { title: 'difference (fine-tuned − base)', canvas: view.diffPane.canvas },
      ], s.rows, s.cols, state.cell * ratio, font, color, background);
  postToExtension({ type: 'export', format, data: canvas.toDataURL('image/png'), suggestedName: `${base}.png` });
}

function handle(message: ExtensionToAttentionMessage): void {
  switch (message.type) {
    case 'loading':
      panelState = message.state;
      saveState(message.state); // what the serializer needs to compute the maps again after a reload
      state.text = message.text;
      view.title.textContent = message.base === null ? `Attention · ${message.model}` : `Attention · ${message.model} vs ${message.base}`;
      view.loadingText.textContent = message.base === null ? `Computing the attention of ${message.model}…` : `Computing the attention of ${message.model} and of ${message.base}…`;
      view.text.textContent = message.text;
      view.loading.hidden = false;
      view.showError(undefined);
      return;
    case 'attention': {
      view.loading.hidden = true;
      view.showError(undefined);
      const base = message.base === null ? undefined : { model: message.base.model, result: message.base.result, decoded: {} };
      // A new request starts at the first map (keeping mean/rollout); a panel restored after a reload at the one it showed.
      const { kind, layer, head, mean, rollout } = restoredSelection(panelState?.selection, message.result)
        ?? { kind: 'encoder', layer: 0, head: 0, mean: state.mean, rollout: state.rollout };
      Object.assign(state, {
        text: message.text, tuned: { model: message.model, result: message.result, decoded: {} }, base, notice: message.notice,
        generation: state.generation + 1, kind, layer, head, mean, rollout, headHeads: new Set([head]), gridSource: 'tuned', headSource: 'tuned', focus: undefined,
      });
      const a = message.result.attention;
      view.title.textContent = base === undefined ? `Attention · ${message.model}` : `Attention · ${message.model} vs ${base.model}`;
      view.subtitle.textContent = `${message.result.family} · ${a.layers} layers × ${a.heads} heads · ${a.queryTokens.length} tokens`;
      view.text.textContent = message.text;
      render();
      return;
    }
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
let lastWidth = 0;
new ResizeObserver(() => {
  // Only a change of width changes the cell size; height changes come from our own drawing.
  const width = view.content.clientWidth;
  if (resizeQueued || width === lastWidth) return;
  lastWidth = width;
  resizeQueued = true;
  requestAnimationFrame(() => {
    resizeQueued = false;
    render();
  });
}).observe(view.content);

view.loading.hidden = true;
postToExtension({ type: 'ready' });
