// The Prompt panel's DOM: a header (task, model, progress ring, Stop, Change model), a meta line
// (sampling settings, speed), the input text and the result: streamed output, a ranked label
// list or per-mask predictions. Every string that comes from data is set with textContent.
import { assertNever, type ExtensionToPromptMessage, type PanelAnswerRole, type PanelFineTunedColumn } from '../messages';
import { createButton, createProgressRing } from '../ui/toolkit';
import { AnswerView, el } from './answerView';
import { settingsText } from './format';

export type PromptTask = 'generate' | 'classify' | 'fillMask';

export interface PromptViewActions {
  readonly onStop: (requestId: string) => void;
  readonly onChangeModel: (task: PromptTask) => void;
}

const TITLES: Record<PromptTask, string> = { generate: 'Run Prompt', classify: 'Zero-shot classification', fillMask: 'Fill mask' };

function metaItem(parent: HTMLElement, label: string): { item: HTMLElement; value: HTMLElement } {
  const item = el('span', 'meta-item');
  const value = el('span', 'meta-value', '–');
  item.append(el('span', 'meta-label', label), value);
  parent.append(item);
  return { item, value };
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
  private readonly compareNote = el('span', 'card-hint compare-note');
  private readonly answersBox = el('div', 'answers');
  private answers: AnswerView[] = [];
  private task: PromptTask = 'generate';

  constructor(root: HTMLElement, private readonly actions: PromptViewActions) {
    const header = el('header', 'header');
    const titleRow = el('div', 'title-row');
    this.ring.classList.add('ring');
    this.stop.addEventListener('click', () => {
      const running = this.answers.flatMap((a) => (a.requestId !== undefined ? [a.requestId] : []));
      if (running.length === 0) return;
      this.stop.setAttribute('disabled', '');
      for (const id of running) this.actions.onStop(id);
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
    resultHead.append(this.resultTitle, this.compareNote);
    this.ring.setAttribute('aria-label', 'Working');
    this.resultSection.append(resultHead, this.answersBox);
    root.append(header, this.errorBox, this.empty, this.inputSection, this.resultSection);
    this.reset('generate', undefined, undefined, null);
  }

  handle(message: ExtensionToPromptMessage): void {
    switch (message.type) {
      case 'generationStart': return this.startGeneration(message);
      case 'piece': return this.appendPiece(message.requestId, message.piece);
      case 'generationEnd': return this.endGeneration(message);
      case 'pending': return this.showPending(message.task, message.model, message.text, message.fineTuned ?? null);
      case 'classification': return this.showClassification(message);
      case 'fillMask': return this.showFillMask(message);
      case 'error': return this.showError(message.message, message.role);
      default: return assertNever(message);
    }
  }

  /** Clears the page for a new task; `model`/`text` undefined shows the empty state. */
  private reset(task: PromptTask, model: string | undefined, text: string | undefined, fineTuned: PanelFineTunedColumn | null): void {
    this.task = task;
    this.title.textContent = TITLES[task];
    this.model.textContent = model ?? '';
    this.model.hidden = model === undefined;
    this.change.hidden = model === undefined;
    this.empty.hidden = text !== undefined;
    this.resultSection.hidden = text === undefined;
    this.inputTitle.textContent = task === 'generate' ? 'Prompt' : 'Text';
    this.inputText.textContent = text ?? '';
    const generating = task === 'generate';
    this.answers = [new AnswerView('base', model ?? '', fineTuned !== null, generating)];
    if (fineTuned !== null) this.answers.push(new AnswerView('fineTuned', fineTuned.model, true, generating));
    this.answersBox.replaceChildren(...this.answers.map((a) => a.root));
    this.answersBox.classList.toggle('compared', fineTuned !== null);
    this.compareNote.textContent = fineTuned !== null ? 'the base model and the newest run fine-tuned from it' : '';
    this.errorBox.hidden = true;
    this.meta.hidden = text === undefined || task === 'fillMask';
    // A generation reads as a continuation: the prompt (grey) starts the output block itself.
    this.inputSection.hidden = text === undefined || generating;
    for (const m of [this.settings, this.speed, this.firstToken]) m.item.hidden = !generating;
    this.template.item.hidden = task !== 'classify';
    this.setBusy(false);
  }

  private setBusy(busy: boolean): void {
    this.ring.hidden = !busy;
    this.stop.hidden = !busy || this.task !== 'generate';
    this.stop.removeAttribute('disabled');
  }

  private answer(role: PanelAnswerRole): AnswerView | undefined {
    return this.answers.find((a) => a.role === role);
  }

  /** The speed of each column ("12.3 tokens/s", or "base 12.3 tokens/s · fine-tuned 11.9 tokens/s"). */
  private showSpeed(live: boolean): void {
    const prefix = live ? '≈ ' : '';
    this.speed.value.textContent = this.answers.length === 1
      ? `${prefix}${this.answers[0]!.rateText()}`
      : this.answers.map((a) => `${a.role === 'base' ? 'base' : 'fine-tuned'} ${prefix}${a.rateText()}`).join(' · ');
  }

  private startGeneration(m: Extract<ExtensionToPromptMessage, { type: 'generationStart' }>): void {
    const fineTuned = m.fineTuned ?? null;
    this.reset('generate', m.model, m.prompt, fineTuned);
    this.settings.value.textContent = settingsText(m.settings);
    this.speed.value.textContent = '–';
    this.firstToken.item.hidden = true; // shown once the generation ends and reports it
    this.resultTitle.textContent = 'Output';
    this.answers[0]!.startGeneration(m.requestId, m.prompt);
    if (fineTuned !== null) this.answer('fineTuned')?.startGeneration(fineTuned.requestId, m.prompt);
    this.setBusy(true);
  }

  private appendPiece(requestId: string, piece: string): void {
    const answer = this.answers.find((a) => a.requestId === requestId);
    if (answer === undefined) return; // a piece of an older generation
    answer.appendPiece(piece, performance.now());
    if (answer.rate > 0) this.showSpeed(true);
  }

  private endGeneration(m: Extract<ExtensionToPromptMessage, { type: 'generationEnd' }>): void {
    const answer = this.answers.find((a) => a.requestId === m.requestId);
    if (answer === undefined) return;
    answer.endGeneration(m.tokens, m.tokensPerSec, m.cancelled);
    if (answer.role === 'base') {
      this.firstToken.value.textContent = m.timeToFirstTokenMs > 0 ? `${Math.round(m.timeToFirstTokenMs)} ms` : '–';
      this.firstToken.item.hidden = false;
    }
    this.showSpeed(!this.answers.every((a) => a.answered));
    this.settle();
  }

  /** Not busy any more once every column has its answer (or its error). */
  private settle(): void {
    if (this.answers.every((a) => a.answered)) this.setBusy(false);
  }

  private showPending(task: 'classify' | 'fillMask', model: string, text: string, fineTuned: PanelFineTunedColumn | null): void {
    this.reset(task, model, text, fineTuned);
    this.resultTitle.textContent = task === 'classify' ? 'Labels' : 'Predictions';
    for (const a of this.answers) a.setHint('scoring…');
    this.setBusy(true);
  }

  /** The column of a result; a result with no pending columns (or another task's) starts a fresh page. */
  private column(task: 'classify' | 'fillMask', role: PanelAnswerRole, model: string, text: string): AnswerView {
    const existing = this.task === task ? this.answer(role) : undefined;
    if (existing !== undefined) return existing;
    this.reset(task, model, text, null);
    return this.answers[0]!;
  }

  private showClassification(m: Extract<ExtensionToPromptMessage, { type: 'classification' }>): void {
    const answer = this.column('classify', m.role ?? 'base', m.model, m.text);
    this.template.value.textContent = m.template;
    this.resultTitle.textContent = 'Labels';
    answer.showRanking(m.ranking, m.calibrated);
    this.settle();
  }

  private showFillMask(m: Extract<ExtensionToPromptMessage, { type: 'fillMask' }>): void {
    const answer = this.column('fillMask', m.role ?? 'base', m.model, m.text);
    this.resultTitle.textContent = 'Predictions';
    answer.showPredictions(m.predictions);
    this.settle();
  }

  private showError(message: string, role: PanelAnswerRole | undefined): void {
    const answer = role === undefined ? undefined : this.answer(role);
    if (answer !== undefined && this.answers.length > 1) {
      answer.showError(message);
      this.settle();
      return;
    }
    this.setBusy(false);
    for (const a of this.answers) if (!a.answered) a.fail();
    this.errorBox.replaceChildren(el('strong', 'error-title', 'Problem'), el('div', 'error-text', message));
    this.errorBox.hidden = false;
  }
}
