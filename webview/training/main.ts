// Entry of the Training panel bundle (dist/webview/training.js): receives the run and its metric
// events from the extension and draws the header, the loss chart and the validation chart.
import 'uplot/dist/uPlot.min.css';
import './training.css';
import { assertNever, isExtensionToTrainingMessage, type ExtensionToTrainingMessage } from '../messages';
import { registerToolkit } from '../ui/toolkit';
import { MetricChart, type ChartSpec } from './charts';
import { lossText, percent } from './format';
import { postToExtension } from './host';
import { RunModel } from './runModel';
import { readTheme, watchTheme } from './theme';
import { TrainingView } from './view';

const LOSS_CHART: ChartSpec = {
  series: [
    // Each step's loss is one batch's: drawn faint, with its moving average on top.
    { label: 'train loss', color: (t) => t.colors.train, points: false, format: lossText, alpha: 0.35 },
    { label: 'smoothed', color: (t) => t.colors.train, points: false, format: lossText },
    { label: 'val loss', color: (t) => t.colors.val, points: true, format: lossText },
  ],
  yFormat: (v) => String(Number(v.toPrecision(3))),
};

const ACCURACY_CHART: ChartSpec = {
  series: [
    { label: 'accuracy', color: (t) => t.colors.accuracy, points: true, format: percent },
    { label: 'macro-F1', color: (t) => t.colors.f1, points: true, format: (v) => v.toFixed(3) },
  ],
  yRange: [0, 1],
  yFormat: (v) => `${Math.round(v * 100)}%`,
};

registerToolkit();
const root = document.getElementById('app');
if (root === null) throw new Error('media/panel.html has no #app element');

const model = new RunModel();
const view = new TrainingView(root, {
  onCancel: () => postToExtension({ type: 'cancelRun' }),
  onRevealFolder: () => postToExtension({ type: 'revealRunFolder' }),
  onOpenForgetting: () => postToExtension({ type: 'openForgetting' }),
});
const theme = readTheme();
const lossChart = new MetricChart(view.lossPlot, LOSS_CHART, theme);
const accuracyChart = new MetricChart(view.accuracyPlot, ACCURACY_CHART, theme);
let initialised = false;

function refresh(): void {
  view.render(initialised ? model : undefined);
  if (!initialised || model.stepCount + model.evalCount === 0) return;
  // Both charts share the x axis 0 … total steps so their points line up vertically.
  const xMax = Math.max(model.run?.totalSteps ?? 0, model.currentStep());
  lossChart.setData(model.lossColumns(), xMax);
  accuracyChart.setData(model.accuracyColumns(), xMax);
}

function handle(message: ExtensionToTrainingMessage): void {
  switch (message.type) {
    case 'init':
      initialised = true;
      view.showLoadError(undefined);
      model.reset(message.run, message.events, message.backend);
      break;
    case 'metrics':
      model.add(message.events);
      break;
    case 'state':
      model.run = message.run;
      break;
    case 'error':
      view.showLoadError(message.message);
      break;
    default:
      assertNever(message);
  }
  refresh();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isExtensionToTrainingMessage(event.data)) handle(event.data);
  else console.warn('Transfer Lab: ignored an unknown message', event.data);
});

watchTheme((t) => {
  lossChart.setTheme(t);
  accuracyChart.setTheme(t);
});

// Coalesce resize bursts (dragging a sash) into one redraw per frame.
let resizeQueued = false;
new ResizeObserver(() => {
  if (resizeQueued) return;
  resizeQueued = true;
  requestAnimationFrame(() => {
    resizeQueued = false;
    lossChart.resize();
    accuracyChart.resize();
  });
}).observe(view.chartsSection);

refresh();
postToExtension({ type: 'ready' });
