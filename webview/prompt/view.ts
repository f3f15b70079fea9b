// The Prompt panel's DOM: a header (task, model, progress ring, Stop, Change model), a meta line
// (sampling settings, speed), the input text and the result: streamed output, a ranked label
// list or per-mask predictions. Every string that comes from data is set with textContent.
import { assertNever, type ExtensionToPromptMessage, type PanelLabelScore, type PanelMaskPrediction, type PanelSamplingSettings } from '../messages';
import { createButton, createProgressRing } from '../ui/toolkit';
import { liveRate, probabilityText, rateText, settingsText } from './format';

export type PromptTask = 'generate' | 'classify' | 'fillMask';

export interface PromptViewActions {
  readonly onStop: (requestId: string) => void;
  readonly onChangeModel: (task: PromptTask) => void;
}

const TITLES: Record<PromptTask, string> = { generate: 'Run Prompt', classify: 'Zero-shot classification', fillMask: 'Fill mask' };

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function metaItem(parent: HTMLElement, label: string): { item: HTMLElement; value: HTMLElement } {
  const item = el('span', 'meta-item');
  const value = el('span', 'meta-value', '–');
  item.append(el('span', 'meta-label', label), value);
  parent.append(item);
  return { item, value };
}

/** One row of a probability list: label, a bar as wide as the probability, and the numbers. */
function probabilityRow(rank: number, label: string, probability: number, extra?: string): HTMLElement {
  const row = el('li', rank === 1 ? 'prob-row top' : 'prob-row');
  const bar = el('div', 'bar');
  const fill = el('div', 'bar-fill');
  fill.style.width = `${Math.max(0, Math.min(100, probability * 100))}%`; // CSSOM, allowed by the CSP
  bar.append(fill);
  row.append(el('span', 'rank', String(rank)), el('span', 'prob-label', label), bar, el('span', 'prob-value', probabilityText(probability)));
  if (extra !== undefined) row.append(el('span', 'prob-raw', extra));
  return row;
}

export class PromptView {
  private readonly title = el('h1', 'task-title', 'Prompt');
  private readonly model = el('span', 'model-badge');
  private readonly ring = createProgressRing();
  private readonly stop = createButton('Stop', 'secondary');
  private readonly change = createButton('Change model', 'secondary');
  private readonly meta = el('div', 'meta');
  private readonly settings = metaItem(this.meta, 'Sampling');
  private readonly speed = metaItem(this.meta, 'Speed');
  private readonly firstToken = metaItem(this.meta, 'First token');
  private readonly template = metaItem(this.meta, 'Template');
  private readonly errorBox = el('div', 'error-box');
  private readonly empty = el('div', 'empty');
  private readonly inputSection = el('section', 'card');
  private readonly inputTitle = el('h2', 'card-title', 'Prompt');
  private readonly inputText = el('pre', 'text-block input-text');
  private readonly resultSection = el('section', 'card');
  private readonly resultTitle = el('h2', 'card-title', 'Output');
  private readonly resultHint = el('span', 'card-hint');
  private readonly output = el('pre', 'text-block output-text');
  private readonly list = el('div', 'result-list');
  private task: PromptTask = 'generate';
  private requestId: string | undefined;
  private pieces = 0;
  private firstPieceAt: number | undefined;

  constructor(root: HTMLElement, private readonly actions: PromptViewActions) {
    const header = el('header', 'header');
    const titleRow = el('div', 'title-row');
    this.ring.classList.add('ring');
    this.stop.addEventListener('click', () => {
      if (this.requestId === undefined) return;
      this.stop.setAttribute('disabled', '');
      this.actions.onStop(this.requestId);
    });
    this.change.addEventListener('click', () => this.actions.onChangeModel(this.task));
    titleRow.append(this.title, this.model, this.ring, el('span', 'spacer'), this.stop, this.change);
    header.append(titleRow, this.meta);
    this.errorBox.setAttribute('role', 'alert');
    this.empty.textContent = 'Select text in an editor or notebook cell and run Transfer Lab: Run Prompt (Ctrl+Alt+Enter), Zero-shot Classify Selection… or Fill Mask.';
    const inputHead = el('div', 'card-head');
    inputHead.append(this.inputTitle);
    this.inputSection.append(inputHead, this.inputText);
    const resultHead = el('div', 'card-head');
    resultHead.append(this.resultTitle, this.resultHint);
    // Announces "generating…", "42 tokens", "scoring…" rather than every streamed piece.
    this.resultHint.setAttribute('aria-live', 'polite');
    this.ring.setAttribute('aria-label', 'Working');
    this.resultSection.append(resultHead, this.output, this.list);
    root.append(header, this.errorBox, this.empty, this.inputSection, this.resultSection);
    this.reset('generate', undefined, undefined);
  }

  handle(message: ExtensionToPromptMessage): void {
    switch (message.type) {
      case 'generationStart': return this.startGeneration(message.requestId, message.model, message.prompt, message.settings);
      case 'piece': return this.appendPiece(message.requestId, message.piece);
      case 'generationEnd': return this.endGeneration(message);
      case 'pending': return this.showPending(message.task, message.model, message.text);
      case 'classification': return this.showClassification(message.model, message.text, message.template, message.calibrated, message.ranking);
      case 'fillMask': return this.showFillMask(message.model, message.text, message.predictions);
      case 'error': return this.showError(message.message);
      default: return assertNever(message);
    }
  }

  /** Clears the page for a new task; `model`/`text` undefined shows the empty state. */
  private reset(task: PromptTask, model: string | undefined, text: string | undefined): void {
    this.task = task;
    this.requestId = undefined;
    this.title.textContent = TITLES[task];
    this.model.textContent = model ?? '';
    this.model.hidden = model === undefined;
    this.change.hidden = model === undefined;
    this.empty.hidden = text !== undefined;
    this.resultSection.hidden = text === undefined;
    this.inputTitle.textContent = task === 'generate' ? 'Prompt' : 'Text';
    this.inputText.textContent = text ?? '';
    this.output.textContent = '';
    this.output.hidden = task !== 'generate';
    this.output.classList.remove('streaming');
    this.list.replaceChildren();
    this.list.hidden = task === 'generate';
    this.resultHint.textContent = '';
    this.errorBox.hidden = true;
    this.meta.hidden = text === undefined || task === 'fillMask';
    // A generation reads as a continuation: the prompt (grey) starts the output block itself.
    this.inputSection.hidden = text === undefined || task === 'generate';
    for (const m of [this.settings, this.speed, this.firstToken]) m.item.hidden = task !== 'generate';
    this.template.item.hidden = task !== 'classify';
    this.setBusy(false);
  }

  private setBusy(busy: boolean): void {
    this.ring.hidden = !busy;
    this.stop.hidden = !busy || this.task !== 'generate';
    this.stop.removeAttribute('disabled');
  }

  private startGeneration(requestId: string, model: string, prompt: string, settings: PanelSamplingSettings): void {
    this.reset('generate', model, prompt);
    this.requestId = requestId;
    this.pieces = 0;
    this.firstPieceAt = undefined;
    this.settings.value.textContent = settingsText(settings);
    this.speed.value.textContent = '–';
    this.firstToken.item.hidden = true; // shown once the generation ends and reports it
    this.output.append(el('span', 'prompt-echo', prompt));
    this.resultTitle.textContent = 'Output';
    this.resultHint.textContent = 'generating… (prompt in grey)';
    this.output.classList.add('streaming');
    this.setBusy(true);
  }

  private appendPiece(requestId: string, piece: string): void {
    if (requestId !== this.requestId) return; // a piece of an older generation
    const now = performance.now();
    this.firstPieceAt ??= now;
    this.pieces++;
    this.output.append(piece); // a text node: never parsed as HTML
    const rate = liveRate(this.pieces, this.firstPieceAt, now);
    if (rate > 0) this.speed.value.textContent = `≈ ${rateText(rate)}`;
  }

  private endGeneration(m: Extract<ExtensionToPromptMessage, { type: 'generationEnd' }>): void {
    if (m.requestId !== this.requestId) return;
    this.output.classList.remove('streaming');
    this.speed.value.textContent = rateText(m.tokensPerSec);
    this.firstToken.value.textContent = m.timeToFirstTokenMs > 0 ? `${Math.round(m.timeToFirstTokenMs)} ms` : '–';
    this.firstToken.item.hidden = false;
    this.resultHint.textContent = m.cancelled ? `stopped after ${m.tokens} tokens (prompt in grey)` : `${m.tokens} tokens (prompt in grey)`;
    if (this.pieces === 0) this.output.append(el('span', 'note', m.cancelled ? ' (stopped before the first token)' : ' (the model generated nothing)'));
    this.setBusy(false);
  }

  private showPending(task: 'classify' | 'fillMask', model: string, text: string): void {
    this.reset(task, model, text);
    this.resultTitle.textContent = task === 'classify' ? 'Labels' : 'Predictions';
    this.resultHint.textContent = 'scoring…';
    this.setBusy(true);
  }

  private showClassification(model: string, text: string, template: string, calibrated: boolean, ranking: readonly PanelLabelScore[]): void {
    this.reset('classify', model, text);
    this.template.value.textContent = template;
    this.resultTitle.textContent = 'Labels';
    this.resultHint.textContent = calibrated ? 'calibrated probability (raw in grey), most probable first' : 'probability, most probable first';
    const rows = el('ol', 'prob-list');
    ranking.forEach((r, i) => rows.append(probabilityRow(i + 1, r.label, r.probability, calibrated ? `raw ${probabilityText(r.raw)}` : undefined)));
    this.list.replaceChildren(rows);
  }

  private showFillMask(model: string, text: string, predictions: readonly (readonly PanelMaskPrediction[])[]): void {
    this.reset('fillMask', model, text);
    this.resultTitle.textContent = 'Predictions';
    this.resultHint.textContent = predictions.length === 1 ? 'most probable first' : `${predictions.length} masks, in text order`;
    const groups = predictions.map((ps, i) => {
      const group = el('div', 'mask-group');
      if (predictions.length > 1) group.append(el('h3', 'mask-title', `Mask ${i + 1}`));
      const rows = el('ol', 'prob-list');
      ps.forEach((p, j) => rows.append(probabilityRow(j + 1, p.token, p.probability)));
      group.append(rows);
      return group;
    });
    this.list.replaceChildren(...groups);
  }

  private showError(message: string): void {
    const wasBusy = !this.ring.hidden;
    this.setBusy(false);
    this.output.classList.remove('streaming');
    if (wasBusy) this.resultHint.textContent = 'failed';
    this.errorBox.replaceChildren(el('strong', 'error-title', 'Problem'), el('div', 'error-text', message));
    this.errorBox.hidden = false;
  }
}
