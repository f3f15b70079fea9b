// The wizard's data steps: the task, the text column (and the second text of a pair), and the
// label column with its distribution (or, for text-to-text, the target column).
import type { ColumnSummary, DatasetSummary, LabelCount } from '../../server/protocol';
import * as vscode from 'vscode';
import { defaultPresetFor, recommendTask, WIZARD_TASKS, type Draft, type WizardTask } from './draftConfig';
import { formatDistribution, formatRows } from './distribution';
import { pickStep, type StepHandle, type StepItem } from './quickPickStep';
import { outcomeOf, type Outcome, type StepFrame } from './wizardFrame';

export interface DataContext {
  readonly draft: Draft;
  /** null when the file is not a flat table (then only tagging applies). */
  readonly summary: DatasetSummary | null;
  /** Why the file is not a flat table, when summary is null. */
  readonly readError: string;
  /** The dataset's file name. */
  readonly name: string;
  readonly labelsOf: (column: string) => Promise<readonly LabelCount[]>;
}

export async function taskStep(c: DataContext, frame: StepFrame): Promise<Outcome> {
  const recommended = recommendTask(c.summary);
  const ordered = [...WIZARD_TASKS].sort((a, b) => Number(b.value === c.draft.task) - Number(a.value === c.draft.task));
  const items = ordered.map((t): StepItem<WizardTask> => {
    const unreadable = c.summary === null && t.value !== 'tokens';
    return {
      label: t.label,
      description: [t.value === recommended ? 'recommended' : '', t.description].filter(Boolean).join(' · '),
      ...(unreadable ? { detail: `$(warning) ${c.readError}` } : {}),
      value: t.value,
    };
  });
  const rows = c.summary !== null ? ` (${formatRows(c.summary.rows)})` : '';
  const r = await pickStep({ ...frame, placeholder: `Task for ${c.name}${rows}`, items });
  if (r.kind === 'picked' && c.summary === null && r.value !== 'tokens') {
    await vscode.window.showErrorMessage(`Transfer Lab: ${c.readError}`);
    return taskStep(c, frame);
  }
  return outcomeOf(r, (task) => {
    if (c.draft.model === defaultPresetFor(c.draft.task).name) c.draft.model = defaultPresetFor(task).name;
    c.draft.task = task;
  });
}

function columnDescription(c: ColumnSummary, detected: boolean, what: 'text' | 'label'): string {
  const size = what === 'text' ? `mean ${Math.round(c.meanLength)} chars` : `${c.distinct} distinct`;
  return [detected ? 'detected' : '', c.kind, size].filter(Boolean).join(' · ');
}

/** `preferred` first, then free-text columns, then the rest, keeping file order within each. */
function orderColumns(columns: readonly ColumnSummary[], preferred: string, favour: ColumnSummary['kind']): ColumnSummary[] {
  const rank = (c: ColumnSummary): number => (c.name === preferred ? 0 : c.kind === favour ? 1 : c.kind === 'text' || c.kind === 'label' ? 2 : 3);
  return [...columns].sort((a, b) => rank(a) - rank(b));
}

export async function textStep(c: DataContext, s: DatasetSummary, frame: StepFrame): Promise<Outcome> {
  const items = orderColumns(s.columns, c.draft.textColumn, 'text').map((col): StepItem<string> => ({
    label: col.name, description: columnDescription(col, col.name === s.textColumn, 'text'), value: col.name,
  }));
  const what = c.draft.task === 'text-to-text' ? 'Input text column' : c.draft.task === 'pairs' ? 'First text column' : 'Text column';
  const r = await pickStep({ ...frame, placeholder: `${what} of ${c.name} (${formatRows(s.rows)})`, items });
  return outcomeOf(r, (column) => (c.draft.textColumn = column));
}

/** The second text of a pair, or the target text of text-to-text: a text column other than the first. */
export async function secondTextStep(c: DataContext, s: DatasetSummary, frame: StepFrame, role: 'pair' | 'target'): Promise<Outcome> {
  const current = role === 'pair' ? c.draft.textPairColumn : c.draft.targetColumn;
  const columns = orderColumns(s.columns.filter((col) => col.name !== c.draft.textColumn), current, 'text');
  const items = columns.map((col): StepItem<string> => ({ label: col.name, description: columnDescription(col, false, 'text'), value: col.name }));
  const placeholder = role === 'pair' ? `Second text column of ${c.name} (paired with "${c.draft.textColumn}")` : `Target text column of ${c.name} (what "${c.draft.textColumn}" maps to)`;
  const r = await pickStep({ ...frame, placeholder, items });
  return outcomeOf(r, (column) => {
    if (role === 'pair') c.draft.textPairColumn = column;
    else c.draft.targetColumn = column;
  });
}

export async function labelStep(c: DataContext, s: DatasetSummary, frame: StepFrame): Promise<Outcome> {
  const excluded = new Set([c.draft.textColumn, ...(c.draft.task === 'pairs' ? [c.draft.textPairColumn] : [])]);
  const preferred = excluded.has(c.draft.labelColumn) ? s.labelColumn : c.draft.labelColumn;
  const candidates = orderColumns(s.columns.filter((col) => !excluded.has(col.name)), preferred, 'label');
  const items = candidates.map((col): StepItem<string> => ({ label: col.name, description: columnDescription(col, col.name === s.labelColumn, 'label'), value: col.name }));
  // Distributions cost a pass over the file: fetch them for likely label columns and the highlighted one.
  const fill = (column: string, handle: StepHandle<string>): void => {
    handle.setBusy(true);
    c.labelsOf(column).then(
      (labels) => handle.setDetail(column, formatDistribution(labels)),
      () => handle.setDetail(column, 'could not read this column'),
    ).finally(() => handle.setBusy(false));
  };
  const r = await pickStep({
    ...frame, placeholder: `Label column of ${c.name}`, items,
    onDidShow: (handle) => candidates.filter((col) => col.kind === 'label').forEach((col) => fill(col.name, handle)),
    onDidChangeActive: fill,
  });
  if (r.kind !== 'picked') return outcomeOf(r, () => undefined);
  const labels = await c.labelsOf(r.value);
  if (labels.length < 2) {
    await vscode.window.showWarningMessage(`Column "${r.value}" holds a single value, so there is nothing to classify. Choose another label column.`);
    return labelStep(c, s, frame);
  }
  c.draft.labelColumn = r.value;
  return 'next';
}
