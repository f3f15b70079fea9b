/**
 * The forgetting part of a run report: probe loss against the base model's over steps, weight
 * drift as a layer × evaluation heat map, CKA per layer and attention drift per head at the last
 * evaluation, and the last alert with its suggested follow-up runs.
 */
import type { ForgettingEvent } from '../protocol';
import { h, type Child } from './html';
import { formatNumber } from './chartScale';
import { barChart, heatMap } from './gridCharts';
import { lineChart } from './lineChart';

function probeChart(events: readonly ForgettingEvent[]): Child {
  const points = events.flatMap((e) => (e.probeLoss === null ? [] : [[e.step, e.probeLoss] as const]));
  const base = events.map((e) => e.baseProbeLoss).find((b): b is number => b !== null);
  if (points.length === 0) return h('p', { class: 'muted' }, 'Probe loss not measured: the model has no language-model head or no probe text.');
  return lineChart({
    title: 'Probe loss on general text', xLabel: 'step', yLabel: 'nats / token', series: [{ name: 'fine-tuned model', points, markers: true }],
    ...(base !== undefined ? { refLines: [{ name: 'base model', y: base }] } : {}),
  });
}

/** Rows top layer first (as drawn in architecture diagrams), one column per evaluation. */
function driftMap(events: readonly ForgettingEvent[]): Child {
  const layers = [...(events.at(-1)?.weightDrift ?? [])].map((d) => d.layer).reverse();
  return heatMap({
    title: 'Weight drift ‖θ − θ₀‖ / ‖θ₀‖',
    caption: 'Rows: layer groups, top first. Columns: evaluations (step).',
    rowLabels: layers,
    colLabels: events.map((e) => String(e.step)),
    values: layers.map((layer) => events.map((e) => e.weightDrift.find((d) => d.layer === layer)?.drift ?? null)),
  });
}

function attentionMap(last: ForgettingEvent): Child {
  const layers = [...new Set(last.attentionDrift.map((a) => a.layer))].reverse();
  const heads = [...new Set(last.attentionDrift.map((a) => a.head))].sort((a, b) => a - b);
  return heatMap({
    title: `Attention drift per head at step ${last.step}`,
    caption: 'Mean Jensen–Shannon divergence (nats) of each head\'s attention from the base model\'s. Rows: layers, top first. Columns: heads.',
    rowLabels: layers,
    colLabels: heads.map((x) => `head ${x}`),
    values: layers.map((layer) => heads.map((head) => last.attentionDrift.find((a) => a.layer === layer && a.head === head)?.js ?? null)),
  });
}

function alertBlock(events: readonly ForgettingEvent[]): Child {
  const alert = events.map((e) => e.alert).filter((a) => a !== null).at(-1);
  if (alert === undefined) return null;
  return h('div', { class: `message level-${alert.level}` },
    h('strong', {}, alert.level), ': ', alert.message,
    alert.suggestions.length > 0
      ? h('ul', {}, alert.suggestions.map((s) => h('li', {}, s.label, ' ', h('code', {}, JSON.stringify(s.configPatch)))))
      : null);
}

/** The section, or null when the run streamed no forgetting events (features, or no evaluation yet). */
export function forgettingSection(events: readonly ForgettingEvent[]): Child {
  const last = events.at(-1);
  if (last === undefined) return null;
  return [
    h('h2', {}, 'Forgetting'),
    alertBlock(events),
    h('div', { class: 'grid' },
      probeChart(events),
      driftMap(events),
      barChart({
        title: `Representation similarity (linear CKA) at step ${last.step}`,
        caption: 'Per layer, against the base model on the probe sentences: 1 = unchanged.',
        items: last.cka.map((c) => ({ label: c.layer, value: c.cka })), max: 1, format: (v) => v.toFixed(3),
      }),
      last.attentionDrift.length > 0 ? attentionMap(last) : null),
    h('p', { class: 'muted' }, `${events.length} evaluation${events.length === 1 ? '' : 's'} with diagnostics; last at step ${formatNumber(last.step)}.`),
  ];
}
