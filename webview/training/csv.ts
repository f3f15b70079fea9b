// The Training panel's CSV export: one row per run and step with every series the charts draw
// (RFC 4180 quoting; empty cells where a step has no such value). Pure, for unit tests.
import { ema, type RunSeriesSource } from './series';

export const CSV_COLUMNS = [
  'run', 'step', 'epoch', 'elapsed_s', 'train_loss', 'train_loss_smoothed', 'learning_rate', 'grad_norm',
  'tokens_per_sec', 'val_loss', 'val_accuracy', 'val_macro_f1',
] as const;

/** A field as CSV writes it: quoted when it holds a comma, a quote or a line break. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value))) return '';
  const text = String(value); // numbers: the shortest text that reads back to the same double
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The CSV of `runs` (legend order), rows by run then step. `smoothing` is the EMA weight of the
 * train_loss_smoothed column, the panel's current setting.
 */
export function metricsCsv(runs: readonly RunSeriesSource[], smoothing: number): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const run of runs) {
    const smoothed = ema(run.steps.map((e) => e.loss), smoothing);
    const steps = new Map(run.steps.map((e, i) => [e.step, { e, smoothed: smoothed[i] ?? null }]));
    const evals = new Map(run.evals.map((e) => [e.step, e]));
    const all = [...new Set([...steps.keys(), ...evals.keys()])].sort((a, b) => a - b);
    for (const step of all) {
      const s = steps.get(step);
      const v = evals.get(step);
      const elapsedMs = Math.max(s?.e.elapsedMs ?? 0, v?.elapsedMs ?? 0);
      lines.push([
        run.runId, step, s?.e.epoch ?? v?.epoch, elapsedMs / 1000, s?.e.loss, s?.smoothed, s?.e.learningRate, s?.e.gradNorm,
        s?.e.tokensPerSec, v?.valLoss, v?.valAccuracy, v?.valMacroF1,
      ].map(csvField).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}
