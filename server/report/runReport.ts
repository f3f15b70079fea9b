/**
 * report.html of a run: one self-contained page (inline SVG charts, no scripts, no external
 * files) with the run's summary, result, training and validation curves, the last confusion
 * matrix, the forgetting diagnostics and the resolved configuration.
 */
import type { ForgettingEvent, MetricEvent } from '../protocol';
import type { RunRecord } from '../runs/runStore';
import { h, type Child } from './html';
import { htmlPage } from './page';
import { formatPercent } from './chartScale';
import { lineChart } from './lineChart';
import { forgettingSection } from './forgettingSection';
import { runCurves, type RunCurves } from './runCurves';
import { configTable, resultTable, runTable, runTitle } from './runSummary';

/** Above this many classes the confusion matrix stays in metrics.jsonl only. */
export const MAX_CONFUSION_CLASSES = 40;

function curveCharts(c: RunCurves): Child {
  return h('div', { class: 'grid' },
    lineChart({ title: 'Loss', xLabel: 'step', yLabel: 'cross-entropy', series: [
      { name: 'training loss', points: c.trainLoss },
      { name: 'validation loss', points: c.valLoss, markers: true, color: 1 },
    ] }),
    lineChart({ title: 'Validation accuracy and macro-F1', xLabel: 'step', yLabel: 'score', yDomain: [0, 1], yFormat: formatPercent, series: [
      { name: 'accuracy', points: c.valAccuracy, markers: true, color: 2 },
      { name: 'macro-F1', points: c.valMacroF1, markers: true, dashed: true, color: 3 },
    ] }),
    lineChart({ title: 'Learning rate', xLabel: 'step', yLabel: 'learning rate', series: [{ name: 'learning rate (peak group)', points: c.learningRate, color: 4 }] }),
    c.gradNorm.length > 0
      ? lineChart({ title: 'Gradient norm (before clipping)', xLabel: 'step', yLabel: '‖g‖', series: [{ name: 'global gradient norm', points: c.gradNorm, color: 5 }] })
      : null);
}

/** Rows: true class; columns: predicted class; cells shaded by the share of their row. */
export function confusionTable(matrix: readonly (readonly number[])[], labels: readonly string[]): Child {
  const name = (i: number): string => labels[i] ?? `class ${i}`;
  if (matrix.length > MAX_CONFUSION_CLASSES) return h('p', { class: 'muted' }, `${matrix.length} classes: too many to show; the matrix is in metrics.jsonl.`);
  const header = h('tr', {}, h('th', {}, 'true ↓ / predicted →'), matrix.map((_, j) => h('th', { class: 'num' }, name(j))), h('th', { class: 'num' }, 'recall'));
  const rows = matrix.map((row, i) => {
    const total = row.reduce((s, v) => s + v, 0);
    return h('tr', {},
      h('th', {}, name(i)),
      row.map((v, j) => h('td', {
        class: i === j ? 'diag' : null, style: `--v: ${total > 0 ? (v / total).toFixed(3) : '0'}`,
        title: `true ${name(i)}, predicted ${name(j)}: ${v}${total > 0 ? ` (${formatPercent(v / total)} of ${name(i)})` : ''}`,
      }, v)),
      h('td', { class: 'num' }, total > 0 ? formatPercent((row[i] ?? 0) / total) : '–'));
  });
  return h('table', { class: 'confusion' }, header, rows);
}

function header(r: RunRecord): Child {
  return [
    h('h1', {}, runTitle(r)),
    h('p', { class: 'muted' }, 'Run ', h('span', { class: 'mono' }, r.runId), ' ', h('span', { class: `badge state-${r.state}` }, r.state)),
    r.message !== null ? h('p', { class: `message state-${r.state}` }, r.message) : null,
  ];
}

/** The whole page as a string; `events` are the run's metrics.jsonl lines. */
export function renderRunReport(r: RunRecord, events: readonly MetricEvent[], generatedAt = new Date()): string {
  const curves = runCurves(events);
  const forgetting: readonly ForgettingEvent[] = curves.forgetting;
  const labels = r.result?.labels ?? [];
  return htmlPage(`${runTitle(r)} — Transfer Lab run report`, [
    header(r),
    h('h2', {}, 'Run'), runTable(r),
    r.result !== null ? [h('h2', {}, 'Result'), resultTable(r.result)] : null,
    h('h2', {}, 'Curves'), curveCharts(curves),
    curves.confusion !== null ? [h('h2', {}, `Confusion matrix at step ${curves.confusion.step}`), confusionTable(curves.confusion.matrix, labels)] : null,
    forgettingSection(forgetting),
    h('h2', {}, 'Configuration'), configTable(r.config),
    h('p', { class: 'muted' }, `Written by Transfer Lab at ${generatedAt.toISOString()} from run.json and metrics.jsonl (${events.length} events).`),
  ]);
}
