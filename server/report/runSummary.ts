/**
 * The tables of a run report: what ran (dataset, model, strategy, backend, times), what came out
 * (validation metrics against the majority class, probe loss against the base model) and the full
 * resolved configuration.
 */
import { basename } from 'node:path';
import type { FineTuneConfig } from '../protocol';
import type { RunRecord, RunResult } from '../runs/runStore';
import { parseStrategy, STRATEGY_RATIONALE } from '../finetune/strategy';
import { h, type Child } from './html';
import { keyValueTable } from './page';
import { formatPercent } from './chartScale';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function rationale(strategy: string): string {
  try {
    return STRATEGY_RATIONALE[parseStrategy(strategy).kind];
  } catch {
    return '';
  }
}

function duration(from: string | null, to: string | null): string | null {
  if (from === null || to === null) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? seconds(ms) : null;
}

/** Dataset, model, strategy, backend, times. */
export function runTable(r: RunRecord): Child {
  const c = r.config;
  const validation = c.valDataset !== '' ? c.valDataset : `${formatPercent(c.valFraction)} of the training file (stratified, seed ${c.seed})`;
  const columns = c.textColumn !== '' || c.labelColumn !== '' ? `text ${c.textColumn || '(detected)'}, label ${c.labelColumn || '(detected)'}` : 'detected';
  return keyValueTable([
    ['Dataset', h('span', { class: 'mono' }, c.dataset)],
    ['Columns', columns],
    ['Validation', validation],
    ['Training rows', c.limit > 0 ? `stratified subsample of ${c.limit}` : 'all'],
    ['Model', h('span', { class: 'mono' }, c.model)],
    ['Strategy', [h('strong', {}, c.strategy), ' — ', rationale(c.strategy)]],
    ['Backend', r.backend === null ? 'not started' : `${r.backend}${r.device !== null ? ` (${r.device})` : ''}`],
    ['Created', r.createdAt],
    ['Started', r.startedAt],
    ['Finished', r.finishedAt],
    ['Wall time', duration(r.startedAt, r.finishedAt)],
    ['Time spent', `preparing ${seconds(r.timings.prepareMs)}, training ${seconds(r.timings.trainMs)}, evaluating ${seconds(r.timings.evalMs)}`],
    ['Steps', `${r.lastStep} of ${r.totalSteps}`],
  ]);
}

/** Validation metrics and what they compare with. */
export function resultTable(res: RunResult): Child {
  const probe = res.probeLoss !== undefined && res.probeLoss !== null
    ? `${res.probeLoss.toFixed(4)} nats/token (base model ${res.baseProbeLoss?.toFixed(4) ?? 'n/a'})` : null;
  return keyValueTable([
    ['Validation accuracy', `${formatPercent(res.valAccuracy)} (majority class ${formatPercent(res.majorityRate)})`],
    ['Validation macro-F1', res.valMacroF1.toFixed(4)],
    ['Validation loss', `${res.valLoss.toFixed(4)}${res.bestValLoss !== undefined ? ` (best ${res.bestValLoss.toFixed(4)} at step ${res.bestStep ?? '?'})` : ''}`],
    ['Stopped early', res.stoppedEarly === undefined ? null : res.stoppedEarly ? 'yes' : 'no'],
    ['Examples', `${res.trainExamples} training, ${res.valExamples} validation`],
    ['Labels', res.labels.join(', ')],
    ['Parameters trained', res.trainableParameters?.toLocaleString('en-US') ?? null],
    ['Probe loss', probe],
  ]);
}

/** Every key of the resolved configuration, nested objects flattened as `lora.rank`. */
export function configTable(c: FineTuneConfig): Child {
  const rows: [string, Child][] = [];
  for (const [key, value] of Object.entries(c)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) rows.push([`${key}.${k}`, h('code', {}, JSON.stringify(v))]);
    } else rows.push([key, h('code', {}, JSON.stringify(value))]);
  }
  return keyValueTable(rows);
}

/** "sms_spam · bert-tiny · full" for the page title. */
export function runTitle(r: RunRecord): string {
  return `${basename(r.config.dataset)} · ${basename(r.config.model)} · ${r.config.strategy}`;
}
