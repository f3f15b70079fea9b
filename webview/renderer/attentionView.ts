// The attention output (`application/vnd.transfer-lab.attention+json`): a layers × heads grid of
// thumbnails that selects the map, and the selected map as a heat map with the tokens on both
// axes as DOM text. Drawing and colours are the Attention panel's (webview/attention/); styles
// are set through CSSOM so no inline <style> is needed in the notebook's output webview.
import { maxOf } from '../attention/colorScale';
import { cellAt, cellSize, drawMatrix } from '../attention/heatmap';
import { displayToken } from '../attention/tokens';
import { mapOf, type AttentionPayload } from './attention';

/** Thumbnail side in CSS pixels. */
const THUMB = 36;
/** Width assumed before the output element is laid out. */
const FALLBACK_WIDTH = 640;
const MUTED = 'var(--vscode-descriptionForeground, #888)';
const MONO = 'var(--vscode-editor-font-family, monospace)';
const BORDER = '1px solid var(--vscode-editorWidget-border, rgba(128, 128, 128, 0.35))';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, style: Partial<CSSStyleDeclaration> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  Object.assign(node.style, style);
  if (text !== undefined) node.textContent = text;
  return node;
}

function label(text: string, className: string, style: Partial<CSSStyleDeclaration>): HTMLElement {
  const node = el('div', className, { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', fontFamily: MONO, fontSize: '0.85em', display: 'flex', alignItems: 'center', ...style }, text);
  node.title = text;
  return node;
}

/** Draws `p` into `element` (already emptied); clicking a thumbnail (or Enter on it) selects its map. */
export function renderAttention(p: AttentionPayload, element: HTMLElement): void {
  const rows = p.queryTokens.map(displayToken);
  const cols = p.keyTokens.map(displayToken);
  const root = el('div', 'tl-attention', { color: 'var(--vscode-foreground, inherit)', fontFamily: 'var(--vscode-font-family, sans-serif)' });
  root.dataset['layers'] = String(p.layers);
  root.dataset['heads'] = String(p.heads);
  root.dataset['tokens'] = JSON.stringify(p.queryTokens);

  const title = el('div', 'tl-title', { fontWeight: '600', fontSize: '1.1em' }, p.title ?? `Attention${p.model !== null ? ` · ${p.model}` : ''}`);
  title.setAttribute('role', 'heading');
  const subtitle = el('div', 'tl-subtitle', { color: MUTED, margin: '2px 0 6px' }, `${p.layers} layers × ${p.heads} heads · ${rows.length} query × ${cols.length} key tokens`);
  root.append(title, subtitle);
  if (p.text !== null) {
    root.append(el('div', 'tl-text', { borderLeft: '3px solid var(--vscode-textBlockQuote-border, #888)', padding: '2px 8px', margin: '0 0 8px', whiteSpace: 'pre-wrap', maxHeight: '5em', overflow: 'auto' }, p.text));
  }

  // Model view: one thumbnail per layer (rows) and head (columns).
  const grid = el('div', 'tl-grid', { display: 'grid', gap: '3px', alignItems: 'center', gridTemplateColumns: `auto repeat(${p.heads}, ${THUMB}px)` });
  grid.setAttribute('role', 'grid');
  grid.setAttribute('aria-label', 'Layers (rows) × heads (columns): choose a map');
  grid.append(el('span', '', {}));
  for (let h = 0; h < p.heads; h++) grid.append(el('span', 'tl-head', { color: MUTED, fontSize: '0.85em', textAlign: 'center' }, `H${h}`));
  const thumbs: HTMLCanvasElement[] = [];
  for (let l = 0; l < p.layers; l++) {
    grid.append(el('span', 'tl-layer', { color: MUTED, fontSize: '0.85em', paddingRight: '4px' }, `L${l}`));
    for (let h = 0; h < p.heads; h++) {
      const thumb = el('canvas', 'tl-thumb', { width: `${THUMB}px`, height: `${THUMB}px`, cursor: 'pointer', imageRendering: 'pixelated', outline: '2px solid transparent', outlineOffset: '1px' });
      thumb.width = THUMB;
      thumb.height = THUMB;
      thumb.tabIndex = 0;
      thumb.dataset['layer'] = String(l);
      thumb.dataset['head'] = String(h);
      thumb.setAttribute('role', 'gridcell');
      thumb.setAttribute('aria-label', `layer ${l}, head ${h}`);
      drawMatrix(thumb, mapOf(p, l, h), rows.length, cols.length);
      thumbs.push(thumb);
      grid.append(thumb);
    }
  }
  const gridCard = el('div', 'tl-card', { border: BORDER, borderRadius: '4px', padding: '8px', flex: '0 0 auto', maxHeight: '420px', overflow: 'auto' });
  gridCard.append(grid);

  // The selected map, labels as text beside the canvas.
  const mapTitle = el('div', 'tl-map-title', { fontWeight: '600' });
  const scale = el('span', 'tl-scale', { color: MUTED, fontSize: '0.9em', marginLeft: '10px' });
  const mapHead = el('div', '', { marginBottom: '6px' });
  mapHead.append(mapTitle, scale);
  const colLabels = el('div', 'tl-col-labels', { display: 'grid', gridAutoFlow: 'column', alignItems: 'end', maxHeight: '110px' });
  const rowLabels = el('div', 'tl-row-labels', { display: 'grid', gridAutoFlow: 'row', maxWidth: '140px' });
  const heat = el('canvas', 'tl-heat', { imageRendering: 'pixelated' });
  const matrix = el('div', 'tl-matrix', { display: 'grid', gridTemplateColumns: 'auto auto', justifyContent: 'start' });
  matrix.append(el('div', '', { fontSize: '0.8em', color: MUTED, alignSelf: 'end', padding: '0 6px 4px 0', whiteSpace: 'nowrap' }, 'query ↓  key →'), colLabels, rowLabels, heat);
  const readout = el('div', 'tl-readout', { color: MUTED, fontFamily: MONO, minHeight: '1.4em', marginTop: '6px' }, 'Hover a cell to read its weight.');
  const mapCard = el('div', 'tl-card', { border: BORDER, borderRadius: '4px', padding: '8px', flex: '1 1 360px', overflow: 'auto' });
  mapCard.append(mapHead, matrix, readout);

  const panes = el('div', 'tl-panes', { display: 'flex', gap: '12px', flexWrap: 'wrap', alignItems: 'flex-start' });
  panes.append(gridCard, mapCard);
  root.append(panes);
  element.append(root);

  const cell = cellSize(rows.length, cols.length, Math.max(200, (element.clientWidth || FALLBACK_WIDTH) - THUMB * (p.heads + 1) - 180));
  rowLabels.replaceChildren(...rows.map((t) => label(t, 'tl-row-label', { justifyContent: 'flex-end', paddingRight: '6px' })));
  colLabels.replaceChildren(...cols.map((t) => label(t, 'tl-col-label', { writingMode: 'vertical-rl', transform: 'rotate(180deg)', paddingTop: '4px', lineHeight: '1' })));
  rowLabels.style.gridAutoRows = `${cell}px`;
  colLabels.style.gridAutoColumns = `${cell}px`;
  heat.style.width = `${cell * cols.length}px`;
  heat.style.height = `${cell * rows.length}px`;
  const ratio = window.devicePixelRatio || 1;
  heat.width = Math.round(cell * cols.length * ratio);
  heat.height = Math.round(cell * rows.length * ratio);

  let shown = mapOf(p, 0, 0);
  const select = (layer: number, head: number): void => {
    shown = mapOf(p, layer, head);
    for (const t of thumbs) {
      const on = t.dataset['layer'] === String(layer) && t.dataset['head'] === String(head);
      t.style.outlineColor = on ? 'var(--vscode-focusBorder, #007fd4)' : 'transparent';
      t.setAttribute('aria-selected', String(on));
    }
    const max = maxOf(shown);
    mapTitle.textContent = `layer ${layer}, head ${head}`;
    scale.textContent = `colour: 0 → ${max.toFixed(3)}`;
    drawMatrix(heat, shown, rows.length, cols.length, max);
  };
  const pick = (target: EventTarget | null): void => {
    const t = target instanceof HTMLElement ? target.closest<HTMLElement>('[data-layer]') : null;
    if (t !== null) select(Number(t.dataset['layer']), Number(t.dataset['head']));
  };
  grid.addEventListener('click', (e) => pick(e.target));
  grid.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    pick(e.target);
  });
  heat.addEventListener('mousemove', (e) => {
    const hit = cellAt(e.offsetX, e.offsetY, cell, rows.length, cols.length);
    if (hit === undefined) return;
    const value = shown[hit.row * cols.length + hit.col] ?? 0;
    readout.textContent = `query “${rows[hit.row] ?? ''}” (${hit.row}) → key “${cols[hit.col] ?? ''}” (${hit.col}): ${value.toFixed(4)}`;
  });
  select(0, 0);
}
