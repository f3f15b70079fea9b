/**
 * sweep.html: a self-contained page with the learning curves (validation accuracy against the
 * number of training labels, log scale; pretrained solid, from scratch dashed, baseline grey)
 * and the table of cells, each linking to its run's report.html.
 */
import { basename, join, relative } from 'node:path';
import { h, type Child } from '../report/html';
import { htmlPage, keyValueTable } from '../report/page';
import { formatPercent } from '../report/chartScale';
import { lineChart, type ChartSeries } from '../report/lineChart';
import { negativeTransferLine, type NegativeTransfer } from './negativeTransfer';
import { findCell, scoreOf, type SweepCell } from './sweepCell';
import { budgetLabel } from './sweepPlan';
import { cellText, sweepBudgets, sweepColumns } from './sweepTable';
import type { SweepHeader } from './sweepFiles';
import { REPORT_FILE } from '../report/writeRunReport';

function curves(header: SweepHeader, cells: readonly SweepCell[]): Child {
  const series: ChartSeries[] = sweepColumns(header.strategies).map((col, i) => ({
    name: col.init === 'baseline' ? 'TF-IDF + logistic regression' : `${col.strategy}, ${col.init}`,
    points: cells.filter((c) => c.init === col.init && (col.init === 'baseline' || c.strategy === col.strategy))
      .flatMap((c) => (scoreOf(c) === null ? [] : [[c.trainExamples, scoreOf(c) ?? 0] as const])),
    markers: true,
    dashed: col.init === 'scratch',
    color: col.init === 'baseline' ? 5 : Math.floor((i - 1) / 2) % 5,
  }));
  return lineChart({ title: 'Validation accuracy by number of training labels', xLabel: 'training examples (log scale)', yLabel: 'validation accuracy', logX: true, yFormat: formatPercent, series });
}

function table(sweepDir: string, header: SweepHeader, cells: readonly SweepCell[]): Child {
  const columns = sweepColumns(header.strategies);
  const link = (c: SweepCell | undefined): Child => {
    const text = cellText(c);
    const f1 = c?.valMacroF1 !== null && c?.valMacroF1 !== undefined ? ` (F1 ${c.valMacroF1.toFixed(3)})` : '';
    const content = c?.runDir ? h('a', { href: relative(sweepDir, join(c.runDir, REPORT_FILE)) }, text) : text;
    return h('td', { class: 'num', title: c?.message ?? null }, content, h('span', { class: 'muted' }, f1));
  };
  return h('table', {},
    h('tr', {}, h('th', {}, 'budget'), h('th', { class: 'num' }, 'examples'), columns.map((c) => h('th', { class: 'num' }, c.title))),
    sweepBudgets(cells).map((b) => h('tr', {},
      h('th', {}, budgetLabel(b)),
      h('td', { class: 'num' }, cells.find((c) => c.budget === b && c.state === 'completed')?.trainExamples ?? '?'),
      columns.map((col) => link(findCell(cells, b, col.strategy, col.init))))));
}

export function renderSweepPage(sweepDir: string, header: SweepHeader, cells: readonly SweepCell[], negative: readonly NegativeTransfer[]): string {
  const failures = cells.filter((c) => c.state !== 'completed');
  return htmlPage(`Sweep ${basename(header.train)} · ${basename(header.model)} — Transfer Lab`, [
    h('h1', {}, `Label-budget sweep: ${basename(header.train)} · ${basename(header.model)}`),
    keyValueTable([
      ['Training file', h('span', { class: 'mono' }, header.train)],
      ['Validation file', h('span', { class: 'mono' }, header.val)],
      ['Pretrained model', h('span', { class: 'mono' }, header.model)],
      ['From scratch', `${header.scratch.model} (${header.scratch.reason})`],
      ['Strategies', header.strategies.join(', ')],
      ['Seed, epochs', `${header.seed}, ${header.epochs ?? 'each strategy\'s default'}`],
      ['Started', header.createdAt],
    ]),
    h('h2', {}, 'Learning curves'), curves(header, cells),
    h('h2', {}, 'Validation accuracy'), table(sweepDir, header, cells),
    negative.length > 0
      ? [h('h2', {}, 'Negative transfer'), h('p', { class: 'muted' }, `Pretrained below scratch or the baseline by more than ${(header.tolerance * 100).toFixed(1)} points.`), h('ul', {}, negative.map((n) => h('li', { class: 'level-warning' }, negativeTransferLine(n))))]
      : null,
    failures.length > 0 ? [h('h2', {}, 'Cells without a result'), h('ul', {}, failures.map((c) => h('li', {}, `budget ${budgetLabel(c.budget)} · ${c.strategy} · ${c.init}: ${c.state} — ${c.message ?? ''}`)))] : null,
  ]);
}
