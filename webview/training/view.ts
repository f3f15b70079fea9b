// The Training panel's DOM: header (run, state, model, backend, step, epoch, progress, Cancel),
// the empty state, the completion summary or error box, the chart settings bar, the legend of
// compared runs, one card per chart and the confusion matrix. Every string that comes from data
// is set with textContent.
import type { PanelBackendInfo, PanelRunState } from '../messages';
import { createButton, createProgressRing } from '../ui/toolkit';
import { CHART_INFO } from './chartSpecs';
import { ChartControls, type ControlActions } from './controls';
import { ConfusionView } from './confusionView';
import { el } from './dom';
import { baseName, duration, modelName, percent } from './format';
import { RunLegend } from './legend';
import type { RunModel } from './runModel';
import { CHART_KINDS, type ChartKind } from './series';

export interface ViewActions extends ControlActions {
  readonly onCancel: () => void;
  readonly onRevealFolder: () => void;
  readonly onOpenForgetting: () => void;
  readonly onRemoveCompared: (runId: string) => void;
  readonly onConfusionStep: (step: number | null) => void;
}

const ACTIVE: ReadonlySet<PanelRunState> = new Set(['queued', 'running']);

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

function chartCard(kind: ChartKind): ChartCard {
  const info = CHART_INFO[kind];
  const card = el('section', `chart-card chart-card-${kind}`);
  const head = el('div', 'chart-head');
  const title = el('h2', 'chart-title', info.title);
  title.id = `chart-title-${kind}`;
  const hint = el('span', 'chart-hint', info.hint);
  head.append(title, hint);
  const plot = el('div', 'chart');
  plot.dataset['chart'] = kind;
  // The canvas says nothing to a screen reader: the legend below it reads out the latest values.
  plot.setAttribute('role', 'group');
  plot.setAttribute('aria-labelledby', title.id);
  card.setAttribute('aria-labelledby', title.id);
  card.append(head, plot);
  return { card, plot, hint };
}

export class TrainingView {
  /** Containers the charts draw into (each carries `data-chart`, `data-points`, `data-series`). */
  readonly plots: Readonly<Record<ChartKind, HTMLElement>>;
  readonly chartsSection = el('div', 'charts');
  readonly controls: ChartControls;
  readonly legend: RunLegend;
  readonly confusion: ConfusionView;
  private readonly cards: Readonly<Record<ChartKind, ChartCard>>;
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
  private loadError: string | undefined;
  /** What the server reported about its backend (the header falls back to it, its device is the tooltip). */
  backendInfo: PanelBackendInfo | null = null;

  constructor(root: HTMLElement, actions: ViewActions) {
    const header = el('header', 'run-header');
    const titleRow = el('div', 'title-row');
    this.ring.classList.add('ring');
    this.ring.setAttribute('aria-label', 'Training');
    this.state.setAttribute('role', 'status'); // announces state changes (running → completed)
    this.cancel.addEventListener('click', () => {
      this.cancel.setAttribute('disabled', '');
      actions.onCancel();
    });
    this.cancel.title = 'Cancel this run (its last checkpoint is kept)';
    this.forgetting.title = 'Forgetting diagnostics of this run (probe loss, weight drift, CKA, attention drift)';
    this.forgetting.addEventListener('click', () => actions.onOpenForgetting());
    titleRow.append(this.name, this.state, this.ring, el('span', 'spacer'), this.forgetting, this.cancel);
    this.model = metaItem(this.meta, 'Model');
    this.backend = metaItem(this.meta, 'Backend');
    this.step = metaItem(this.meta, 'Step');
    this.epoch = metaItem(this.meta, 'Epoch');
    this.progress.setAttribute('role', 'progressbar');
    this.progress.setAttribute('aria-label', 'Training progress');
    this.progress.setAttribute('aria-valuemin', '0');
    this.progress.append(this.progressFill);
    header.append(titleRow, this.meta, this.progress);

    this.empty.append(createProgressRing(), el('span', 'empty-text', 'Waiting for the first training step…'));
    this.errorBox.setAttribute('role', 'alert');
    this.summary.setAttribute('role', 'status');
    this.controls = new ChartControls(actions);
    this.legend = new RunLegend(actions.onRemoveCompared);
    this.confusion = new ConfusionView(actions.onConfusionStep);
    const cards = Object.fromEntries(CHART_KINDS.map((k) => [k, chartCard(k)])) as Record<ChartKind, ChartCard>;
    this.cards = cards;
    this.plots = Object.fromEntries(CHART_KINDS.map((k) => [k, cards[k].plot])) as Record<ChartKind, HTMLElement>;
    // The loss first and full width; the others in a grid that wraps to one column when narrow.
    const grid = el('div', 'chart-grid');
    grid.append(cards.accuracy.card, cards.learningRate.card, cards.gradNorm.card, cards.throughput.card);
    this.chartsSection.append(this.controls.element, this.legend.element, cards.loss.card, grid, this.confusion.card);
    this.summaryFolder.addEventListener('click', () => actions.onRevealFolder());
    root.append(header, this.errorBox, this.summary, this.empty, this.chartsSection);
    this.render(undefined, 0);
  }

  /** An error from the extension (e.g. history could not be loaded), shown until the next init. */
  showLoadError(message: string | undefined): void {
    this.loadError = message;
  }

  /** Hides a chart card whose series have no value in any shown run (e.g. gradient norms of old runs). */
  setChartEmpty(kind: ChartKind, empty: boolean): void {
    this.cards[kind].card.hidden = empty;
  }

  /** The header and messages for the panel's own run; `shownRuns` counts the compared ones too. */
  render(model: RunModel | undefined, shownRuns: number): void {
    const run = model?.run;
    const hasData = model !== undefined && model.stepCount + model.evalCount > 0;
    const active = run !== undefined && ACTIVE.has(run.state);
    this.chartsSection.hidden = !hasData && shownRuns < 2;
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
    const backend = run.backend ?? this.backendInfo?.backend ?? 'unknown';
    this.backend.textContent = backend;
    this.backend.title = this.backendInfo !== null && this.backendInfo.backend === backend ? this.backendInfo.device : '';
    const current = model.currentStep();
    this.step.textContent = run.totalSteps > 0 ? `${current} / ${run.totalSteps}` : String(current);
    const epoch = Math.max(model.latestStep()?.epoch ?? 0, model.latestEval()?.epoch ?? 0);
    this.epoch.textContent = `${epoch > 0 ? epoch : '–'} / ${run.config.epochs}`;
    this.progress.hidden = run.totalSteps <= 0 || !active;
    this.progress.setAttribute('aria-valuemax', String(Math.max(1, run.totalSteps)));
    this.progress.setAttribute('aria-valuenow', String(Math.min(current, run.totalSteps)));
    this.progressFill.style.width = `${Math.min(100, (100 * current) / Math.max(1, run.totalSteps))}%`;
    // The legends read out the latest values; the hint explains an accuracy chart still empty.
    this.cards.accuracy.hint.textContent = model.evalCount === 0 ? 'measured on the validation split at each evaluation (after each epoch by default)' : CHART_INFO.accuracy.hint;
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
    const elapsed = model.elapsedMs();
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
