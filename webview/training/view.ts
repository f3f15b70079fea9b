// The Training panel's DOM: header (run, state, model, backend, step, epoch, progress, Cancel),
// the empty state, the completion summary or error box, and the two chart cards. Every string
// that comes from data is set with textContent.
import type { PanelRunState } from '../messages';
import { createButton, createProgressRing } from '../ui/toolkit';
import { baseName, duration, modelName, percent } from './format';
import type { RunModel } from './runModel';

export interface ViewActions {
  readonly onCancel: () => void;
  readonly onRevealFolder: () => void;
  readonly onOpenForgetting: () => void;
}

const ACTIVE: ReadonlySet<PanelRunState> = new Set(['queued', 'running']);

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A "label value" pair of the meta line; returns the value element to update. */
function metaItem(parent: HTMLElement, label: string): HTMLElement {
  const item = el('span', 'meta-item');
  item.append(el('span', 'meta-label', label), el('span', 'meta-value', '–'));
  parent.append(item);
  return item.lastElementChild as HTMLElement;
}

interface ChartCard {
  readonly card: HTMLElement;
  readonly plot: HTMLElement;
  readonly hint: HTMLElement;
}

function chartCard(title: string, chart: string): ChartCard {
  const card = el('section', 'chart-card');
  const head = el('div', 'chart-head');
  const hint = el('span', 'chart-hint');
  head.append(el('h2', 'chart-title', title), hint);
  const plot = el('div', 'chart');
  plot.dataset['chart'] = chart;
  card.append(head, plot);
  return { card, plot, hint };
}

export class TrainingView {
  /** Containers the charts draw into (each carries `data-points`). */
  readonly lossPlot: HTMLElement;
  readonly accuracyPlot: HTMLElement;
  readonly chartsSection = el('div', 'charts');
  private readonly name = el('h1', 'run-name', 'Loading run…');
  private readonly state = el('span', 'state-badge');
  private readonly ring = createProgressRing();
  private readonly cancel = createButton('Cancel', 'secondary');
  private readonly forgetting = createButton('Forgetting', 'secondary');
  private readonly model: HTMLElement;
  private readonly backend: HTMLElement;
  private readonly step: HTMLElement;
  private readonly epoch: HTMLElement;
  private readonly meta = el('div', 'meta');
  private readonly progressFill = el('div', 'progress-fill');
  private readonly progress = el('div', 'progress');
  private readonly empty = el('div', 'empty');
  private readonly summary = el('div', 'summary');
  private readonly errorBox = el('div', 'error-box');
  private readonly summaryFolder = el('button', 'link');
  private readonly loss: ChartCard;
  private readonly accuracy: ChartCard;
  private loadError: string | undefined;

  constructor(root: HTMLElement, actions: ViewActions) {
    const header = el('header', 'run-header');
    const titleRow = el('div', 'title-row');
    this.ring.classList.add('ring');
    this.cancel.addEventListener('click', () => {
      this.cancel.setAttribute('disabled', '');
      actions.onCancel();
    });
    this.forgetting.title = 'Forgetting diagnostics of this run (probe loss, weight drift, CKA, attention drift)';
    this.forgetting.addEventListener('click', () => actions.onOpenForgetting());
    titleRow.append(this.name, this.state, this.ring, el('span', 'spacer'), this.forgetting, this.cancel);
    this.model = metaItem(this.meta, 'Model');
    this.backend = metaItem(this.meta, 'Backend');
    this.step = metaItem(this.meta, 'Step');
    this.epoch = metaItem(this.meta, 'Epoch');
    this.progress.append(this.progressFill);
    header.append(titleRow, this.meta, this.progress);

    this.empty.append(createProgressRing(), el('span', 'empty-text', 'Waiting for the first training step…'));
    this.errorBox.setAttribute('role', 'alert');
    this.loss = chartCard('Loss', 'loss');
    this.accuracy = chartCard('Validation accuracy', 'accuracy');
    this.lossPlot = this.loss.plot;
    this.accuracyPlot = this.accuracy.plot;
    this.chartsSection.append(this.loss.card, this.accuracy.card);
    this.summaryFolder.addEventListener('click', () => actions.onRevealFolder());
    root.append(header, this.errorBox, this.summary, this.empty, this.chartsSection);
    this.render(undefined);
  }

  /** An error from the extension (e.g. history could not be loaded), shown until the next init. */
  showLoadError(message: string | undefined): void {
    this.loadError = message;
  }

  render(model: RunModel | undefined): void {
    const run = model?.run;
    const hasData = model !== undefined && model.stepCount + model.evalCount > 0;
    const active = run !== undefined && ACTIVE.has(run.state);
    this.chartsSection.hidden = !hasData;
    this.empty.hidden = hasData || !active;
    this.ring.hidden = !active || !this.empty.hidden; // the empty state has its own ring
    this.cancel.hidden = !active;
    this.forgetting.hidden = run === undefined;
    if (!active) this.cancel.removeAttribute('disabled');
    if (model === undefined || run === undefined) {
      this.state.hidden = true;
      this.meta.hidden = true;
      this.progress.hidden = true;
      this.renderMessages(undefined);
      return;
    }
    this.name.textContent = baseName(run.config.dataset);
    this.name.title = run.config.dataset;
    this.state.hidden = false;
    this.meta.hidden = false;
    this.state.textContent = run.state;
    this.state.className = `state-badge state-${run.state}`;
    this.model.textContent = modelName(run.config.model);
    this.model.title = run.config.model;
    const backend = run.backend ?? model.backend?.backend ?? 'unknown';
    this.backend.textContent = backend;
    this.backend.title = model.backend !== null && model.backend.backend === backend ? model.backend.device : '';
    const current = model.currentStep();
    this.step.textContent = run.totalSteps > 0 ? `${current} / ${run.totalSteps}` : String(current);
    const epoch = Math.max(model.latestStep()?.epoch ?? 0, model.latestEval()?.epoch ?? 0);
    this.epoch.textContent = `${epoch > 0 ? epoch : '–'} / ${run.config.epochs}`;
    this.progress.hidden = run.totalSteps <= 0 || !active;
    this.progressFill.style.width = `${Math.min(100, (100 * current) / Math.max(1, run.totalSteps))}%`;
    // The legends read out the latest values; the hint explains an accuracy chart still empty.
    this.accuracy.hint.textContent = model.evalCount === 0 ? 'measured on the validation split after each epoch' : '';
    this.renderMessages(model);
  }

  /** The summary line (completed / cancelled / interrupted) and the error box (failed). */
  private renderMessages(model: RunModel | undefined): void {
    const run = model?.run;
    const error = run?.state === 'failed' ? run.message ?? 'The run failed; see Transfer Lab: Show Server Logs.' : this.loadError;
    this.errorBox.hidden = error === undefined;
    this.errorBox.replaceChildren();
    if (error !== undefined) {
      this.errorBox.append(el('strong', 'error-title', run?.state === 'failed' ? 'Run failed' : 'Problem'), el('div', 'error-text', error));
    }
    const done = run !== undefined && (run.state === 'completed' || run.state === 'cancelled' || run.state === 'interrupted');
    this.summary.hidden = !done;
    if (!done || model === undefined) return;
    const parts: string[] = [];
    const lastEval = model.latestEval();
    const elapsed = Math.max(model.latestStep()?.elapsedMs ?? 0, lastEval?.elapsedMs ?? 0);
    if (run.state === 'completed') parts.push(elapsed > 0 ? `Completed in ${duration(elapsed)}` : 'Completed');
    else parts.push(`${run.state === 'cancelled' ? 'Cancelled' : 'Interrupted'} at step ${model.currentStep()}`);
    const accuracy = lastEval?.valAccuracy ?? run.lastValAccuracy;
    if (accuracy !== null && accuracy !== undefined) parts.push(`val accuracy ${percent(accuracy)}`);
    if (lastEval !== undefined) parts.push(`macro-F1 ${lastEval.valMacroF1.toFixed(3)}`);
    this.summaryFolder.textContent = run.runDir;
    this.summaryFolder.title = 'Reveal the run folder';
    this.summary.replaceChildren(el('span', 'summary-text', `${parts.join(' · ')} · run folder `), this.summaryFolder);
  }
}
