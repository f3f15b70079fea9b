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
import { driftColorLimit, ForgettingModel } from './forgettingModel';
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
/** The evaluation the CKA and attention-drift cards show; undefined = the latest. */
let chosenStep: number | undefined;
const view = new ForgettingView(root, (step, index) => postToExtension({ type: 'applySuggestion', step, index }), (step) => {
  chosenStep = step;
  render();
});
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
  view.stepBar.hidden = events.length === 0;
  if (events.length === 0) return;
  root!.dataset['evaluations'] = String(events.length);
  const shown = model.at(chosenStep);
  view.renderSteps(events, chosenStep);
  renderLoss();
  const drift = model.driftMatrix();
  const { limit, offScale } = driftColorLimit(drift.layers, drift.values);
  renderHeat(view.drift.body, view.readout, drift.layers, drift.steps.map(String), drift.values, { w: Math.max(14, Math.min(40, Math.floor(360 / Math.max(1, drift.steps.length)))), h: 18 },
    (layer, step, v) => `weight drift of ${layer} at step ${step}: ${v.toFixed(4)}`, limit);
  view.drift.legend.textContent = `colour: 0 → ${limit.toPrecision(3)}${offScale.length === 0 ? '' : ` · off the scale (full colour): ${offScale.map((o) => `${o.layer} up to ${o.max.toPrecision(3)}`).join(', ')}`}`;
  root!.dataset['driftLayers'] = String(drift.layers.length);
  view.renderCka(shown);
  view.cka.legend.textContent = shown === undefined ? '' : `at step ${shown.step} (epoch ${shown.epoch})`;
  const attention = model.attentionDriftMatrix(shown?.step);
  const jsMax = attention.values.reduce((m, v) => Math.max(m, v), 0);
  renderHeat(view.attention.body, view.readout, attention.layers, Array.from({ length: attention.heads }, (_, h) => `H${h}`), attention.values, { w: 26, h: 18 },
    (layer, head, v) => `attention drift of ${layer} ${head}: ${v.toFixed(4)} nats`);
  view.attention.legend.textContent = shown === undefined ? '' : `at step ${shown.step} · colour: 0 → ${jsMax.toPrecision(3)} nats`;
}

/** The probe-loss chart, or why a run has none. */
function renderLoss(): void {
  const measured = model.hasProbeLoss();
  view.lossPlot.hidden = !measured;
  view.lossEmpty.hidden = measured;
  root!.dataset['probeLoss'] = String(measured);
  if (!measured) {
    const from = run?.config.model ?? '';
    view.lossEmpty.textContent = from !== '' && !from.includes('/') && !from.includes('\\')
      ? `No probe loss: this run started from the fresh preset “${from}”, which has no pretrained language-model head to measure general text with. Fine-tune a pretrained model folder (transfer-lab pretrain writes one, with its probe.txt) to see it. Weight drift, CKA and attention drift still compare with the starting weights.`
      : `No probe loss: ${baseName(from)} has no language-model head in its checkpoint, or no probe text (its probe.txt, as transfer-lab pretrain writes, or the run's --probe file). Weight drift, CKA and attention drift still compare with the base model.`;
    return;
  }
  const latest = model.latest();
  const columns = model.probeLossColumns();
  root!.dataset['probeColumns'] = JSON.stringify(columns); // what the chart draws, for tests and assistive tools
  chart.setData(columns, Math.max(run?.totalSteps ?? 0, latest?.step ?? 0));
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
view.stepBar.hidden = true;
view.showError(undefined);
postToExtension({ type: 'ready' });
