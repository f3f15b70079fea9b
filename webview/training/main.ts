// Entry of the Training panel bundle (dist/webview/training.js): receives the panel's run, the
// runs compared with it and their metric events from the extension, draws the header, the five
// charts and the confusion matrix, and keeps the view settings with setState for window reloads.
import 'uplot/dist/uPlot.min.css';
import './training.css';
import {
  assertNever,
  DEFAULT_TRAINING_VIEW,
  isExtensionToTrainingMessage,
  parseTrainingPanelState,
  type ExtensionToTrainingMessage,
  type TrainingViewSettings,
} from '../messages';
import { registerToolkit } from '../ui/toolkit';
import { MetricChart, type ChartSpec } from './charts';
import { CHART_INFO, chartSpec, chartSpecKey, runColor, runTag } from './chartSpecs';
import { confusionSteps, confusionTable } from './confusion';
import { metricsCsv } from './csv';
import { composeChartsPng } from './exportPng';
import { baseName } from './format';
import { postToExtension, savedState, saveState } from './host';
import { RunModel } from './runModel';
import { assembleChart, CHART_KINDS, countPoints, type ChartKind, type RunSeriesSource } from './series';
import { readTheme, watchTheme } from './theme';
import { TrainingView } from './view';

registerToolkit();
const root = document.getElementById('app');
if (root === null) throw new Error('media/panel.html has no #app element');

let settings: TrainingViewSettings = parseTrainingPanelState(savedState())?.view ?? DEFAULT_TRAINING_VIEW;
let own: RunModel | undefined;
/** The runs overlaid on `own`, in legend order. */
let compared: RunModel[] = [];
let theme = readTheme();

const view = new TrainingView(root, {
  onCancel: () => postToExtension({ type: 'cancelRun' }),
  onRevealFolder: () => postToExtension({ type: 'revealRunFolder' }),
  onOpenForgetting: () => postToExtension({ type: 'openForgetting' }),
  onCompare: () => postToExtension({ type: 'pickCompare' }),
  onRemoveCompared: (runId) => postToExtension({ type: 'removeCompare', runId }),
  onExport: (format) => exportCharts(format),
  onSettings: (change) => updateSettings(change),
  onConfusionStep: (step) => updateSettings({ confusionStep: step }),
});
view.controls.set(settings);

const charts = Object.fromEntries(CHART_KINDS.map((k) => [k, new MetricChart(view.plots[k], { series: [], yFormat: String }, theme)])) as Record<ChartKind, MetricChart>;
/** The spec each chart draws with, rebuilt only when its key changes (uPlot rebuilds are not free). */
const specs = new Map<ChartKind, { key: string; spec: ChartSpec }>();

function shownRuns(): RunModel[] {
  return own === undefined ? [] : [own, ...compared];
}

function sources(): RunSeriesSource[] {
  return shownRuns().map((r) => ({ runId: r.runId, steps: r.stepEvents(), evals: r.evalEvents() }));
}

function refresh(): void {
  const runs = shownRuns();
  view.render(own, runs.length);
  if (own === undefined) return;
  view.legend.render(runs.map((r) => r.run), runs.map((_, i) => runColor(theme, i)));
  const data = sources();
  // Every chart shares the x axis: 0 … the longest run's total steps (or the data's end in time).
  const xMax = settings.xAxis === 'step' ? Math.max(...runs.map((r) => Math.max(r.run.totalSteps, r.currentStep()))) : 0;
  for (const kind of CHART_KINDS) {
    const assembled = assembleChart(kind, data, settings);
    const key = chartSpecKey(kind, assembled.series, runs.length, settings);
    let entry = specs.get(kind);
    if (entry === undefined || entry.key !== key) {
      entry = { key, spec: chartSpec(kind, assembled.series, runs.length, settings) };
      specs.set(kind, entry);
    }
    // A chart without any value in the shown runs (no gradient norms in an old run) is left out.
    view.setChartEmpty(kind, kind !== 'loss' && countPoints(assembled.columns) === 0);
    charts[kind].setData(assembled.columns, xMax, entry.spec);
  }
  const evals = own.evalEvents();
  view.confusion.render(confusionTable(evals, settings.confusionStep), confusionSteps(evals), settings.confusionStep);
  persist();
}

/** Saves what a window reload needs: the runs shown and the view settings. */
function persist(): void {
  if (own === undefined) return;
  saveState({
    panel: 'training',
    run: { runId: own.runId, runDir: own.run.runDir },
    compare: compared.map((r) => ({ runId: r.runId, runDir: r.run.runDir })),
    view: settings,
  });
}

function updateSettings(change: Partial<TrainingViewSettings>): void {
  settings = { ...settings, ...change };
  refresh();
}

function runById(runId: string): RunModel | undefined {
  return own?.runId === runId ? own : compared.find((r) => r.runId === runId);
}

function handle(message: ExtensionToTrainingMessage): void {
  switch (message.type) {
    case 'init':
      view.showLoadError(undefined);
      view.backendInfo = message.backend;
      own = new RunModel(message.run, message.events);
      compared = compared.filter((r) => r.runId !== message.run.runId);
      break;
    case 'compare':
      compared = message.runs.filter((c) => c.run.runId !== own?.runId).map((c) => new RunModel(c.run, c.events));
      break;
    case 'metrics':
      runById(message.runId)?.add(message.events);
      break;
    case 'state': {
      const run = runById(message.run.runId);
      if (run !== undefined) run.run = message.run;
      break;
    }
    case 'error':
      view.showLoadError(message.message);
      break;
    default:
      assertNever(message);
  }
  refresh();
}

function exportCharts(format: 'csv' | 'png'): void {
  if (own === undefined) return;
  const base = compared.length > 0 ? `${own.runId}-compared` : own.runId;
  if (format === 'csv') {
    postToExtension({ type: 'export', format, data: metricsCsv(sources(), settings.smoothing), suggestedName: `${base}-metrics.csv` });
    return;
  }
  const style = getComputedStyle(document.body);
  const visible = CHART_KINDS.filter((k) => !(view.plots[k].closest('.chart-card') as HTMLElement | null)?.hidden);
  const parts = visible.flatMap((k) => {
    const canvas = charts[k].canvas();
    return canvas === undefined ? [] : [{ title: CHART_INFO[k].title, canvas, legend: charts[k].legendEntries() }];
  });
  const runs = shownRuns();
  const heading = runs.length > 1
    ? runs.map((r, i) => `${runTag(i)} ${r.runId}`).join('   ')
    : `${baseName(own.run.config.dataset)} · ${own.runId}`;
  const png = composeChartsPng(heading, parts, {
    fontSize: Number.parseFloat(style.fontSize) || 13,
    fontFamily: style.fontFamily || 'sans-serif',
    foreground: theme.foreground,
    muted: theme.muted,
    background: style.getPropertyValue('--vscode-editor-background').trim() || '#1e1e1e',
    ratio: window.devicePixelRatio || 1,
  });
  postToExtension({ type: 'export', format, data: png.toDataURL('image/png'), suggestedName: `${base}-charts.png` });
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isExtensionToTrainingMessage(event.data)) handle(event.data);
  else console.warn('Transfer Lab: ignored an unknown message', event.data);
});

watchTheme((t) => {
  theme = t;
  for (const kind of CHART_KINDS) charts[kind].setTheme(t);
  refresh(); // the run legend's colours
});

// Coalesce resize bursts (dragging a sash) into one redraw per frame.
let resizeQueued = false;
new ResizeObserver(() => {
  if (resizeQueued) return;
  resizeQueued = true;
  requestAnimationFrame(() => {
    resizeQueued = false;
    for (const kind of CHART_KINDS) charts[kind].resize();
  });
}).observe(view.chartsSection);

refresh();
postToExtension({ type: 'ready' });
