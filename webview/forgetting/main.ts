// Entry of the Forgetting panel bundle (dist/webview/forgetting.js): receives a run's forgetting
// events and draws the probe-loss chart (uPlot, the Training panel's chart and theme), the drift
// heat maps and CKA bars, and the alert whose buttons start follow-up runs.
import 'uplot/dist/uPlot.min.css';
import './forgetting.css';
import { assertNever, isExtensionToForgettingMessage, type ExtensionToForgettingMessage, type PanelRunInfo } from '../messages';
import { MetricChart, type ChartSpec } from '../training/charts';
import { baseName, lossText } from '../training/format';
import { readTheme, watchTheme } from '../training/theme';
import { registerToolkit } from '../ui/toolkit';
import { ForgettingModel } from './forgettingModel';
import { postToExtension, saveState } from './host';
import { renderHeat, ForgettingView } from './view';

const LOSS_CHART: ChartSpec = {
  series: [
    { label: 'probe loss', color: (t) => t.colors.val, points: true, format: lossText },
    { label: 'base model', color: (t) => t.muted, points: false, format: lossText },
  ],
  yFormat: (v) => String(Number(v.toPrecision(3))),
};

registerToolkit();
const root = document.getElementById('app');
if (root === null) throw new Error('media/panel.html has no #app element');
const model = new ForgettingModel();
const view = new ForgettingView(root, (step, index) => postToExtension({ type: 'applySuggestion', step, index }));
const chart = new MetricChart(view.lossPlot, LOSS_CHART, readTheme());
let run: PanelRunInfo | undefined;
let strategy = 'full';

function renderHeader(): void {
  if (run === undefined) return;
  view.title.textContent = `Forgetting · ${baseName(run.config.dataset)}`;
  view.state.textContent = run.state;
  view.state.className = `state-badge state-${run.state}`;
  view.meta.textContent = `run ${run.runId} · model ${baseName(run.config.model)} · strategy ${strategy}`;
}

function render(): void {
  renderHeader();
  const events = model.events;
  const latest = model.latest();
  const frozen = strategy === 'features';
  view.cards.hidden = events.length === 0;
  view.readout.hidden = events.length === 0;
  view.empty.hidden = events.length > 0 || run === undefined;
  view.empty.textContent = frozen
    ? 'The encoder is frozen in this strategy: nothing to forget.'
    : 'Forgetting diagnostics appear after the first evaluation: probe loss on general text, weight drift, CKA and attention drift against the base model.';
  view.renderAlert(latest);
  if (events.length === 0) return;
  root!.dataset['evaluations'] = String(events.length);
  chart.setData(model.probeLossColumns(), Math.max(run?.totalSteps ?? 0, latest?.step ?? 0));
  const drift = model.driftMatrix();
  renderHeat(view.drift.body, view.readout, drift.layers, drift.steps.map(String), drift.values, { w: Math.max(14, Math.min(40, Math.floor(360 / Math.max(1, drift.steps.length)))), h: 18 },
    (layer, step, v) => `weight drift of ${layer} at step ${step}: ${v.toFixed(4)}`);
  view.renderCka(latest);
  const attention = model.attentionDriftMatrix();
  renderHeat(view.attention.body, view.readout, attention.layers, Array.from({ length: attention.heads }, (_, h) => `H${h}`), attention.values, { w: 26, h: 18 },
    (layer, head, v) => `attention drift of ${layer} ${head}: ${v.toFixed(4)} nats`);
}

function handle(message: ExtensionToForgettingMessage): void {
  switch (message.type) {
    case 'init':
      run = message.run;
      strategy = message.strategy;
      saveState({ panel: 'forgetting', run: { runId: run.runId, runDir: run.runDir } });
      view.showError(undefined);
      model.reset(message.events);
      break;
    case 'forgetting':
      model.add(message.events);
      break;
    case 'state':
      run = message.run;
      break;
    case 'error':
      view.showError(message.message);
      break;
    default:
      assertNever(message);
  }
  render();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isExtensionToForgettingMessage(event.data)) handle(event.data);
  else console.warn('Transfer Lab: ignored an unknown message', event.data);
});
watchTheme((t) => chart.setTheme(t));
new ResizeObserver(() => requestAnimationFrame(() => chart.resize())).observe(view.lossPlot);
view.cards.hidden = true;
view.empty.hidden = true;
view.alert.hidden = true;
view.readout.hidden = true;
view.showError(undefined);
postToExtension({ type: 'ready' });
