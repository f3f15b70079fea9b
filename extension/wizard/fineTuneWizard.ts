// "Fine-tune on this dataset…": inspect the dataset, ask text column, label column, base model
// and epochs (detected defaults first, Back between steps, Escape cancels silently), then start
// the run and open its Training panel.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ColumnSummary, DatasetSummary, LabelCount, RunSummary } from '../../server/protocol';
import type { TrainingServer } from '../client';
import { DATASET_EXTENSIONS } from '../commandIds';
import * as config from '../config';
import { pickModel } from './modelStep';
import { pickStep, type StepHandle, type StepItem } from './quickPickStep';

export interface WizardDeps {
  readonly server: TrainingServer;
  readonly extension: vscode.ExtensionContext;
}

const TITLE = 'Fine-tune';
const TOTAL_STEPS = 4;
const EPOCH_CHOICES = [1, 2, 3, 5, 10];
/** Labels named in a distribution before "+N more". */
const SHOWN_LABELS = 4;

interface Draft {
  textColumn: string;
  labelColumn: string;
  labels: readonly LabelCount[];
  model: string;
  epochs: number;
}
type Outcome = 'next' | 'back' | 'cancel';

/** Runs the wizard for `dataset` (`preselectedModel` offered first in the model step); resolves with the started run, or undefined if cancelled. */
export async function runFineTuneWizard(deps: WizardDeps, dataset: vscode.Uri, preselectedModel?: string): Promise<RunSummary | undefined> {
  const summary = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Reading ${path.basename(dataset.fsPath)}…` },
    () => deps.server.inspectDataset({ path: dataset.fsPath }),
  );
  const distributions = new Map<string, Promise<readonly LabelCount[]>>([[summary.labelColumn, Promise.resolve(summary.labels)]]);
  const labelsOf = (column: string): Promise<readonly LabelCount[]> => {
    let known = distributions.get(column);
    if (known === undefined) {
      known = deps.server.inspectDataset({ path: dataset.fsPath, labelColumn: column }).then((s) => s.labels);
      distributions.set(column, known);
    }
    return known;
  };
  const draft: Draft = { textColumn: summary.textColumn, labelColumn: summary.labelColumn, labels: summary.labels, model: preselectedModel ?? 'tiny', epochs: config.defaultEpochs() };
  const name = path.basename(dataset.fsPath);
  const steps: ((d: Draft) => Promise<Outcome>)[] = [
    (d) => textColumnStep(summary, name, d),
    (d) => labelColumnStep(summary, name, d, labelsOf),
    async (d) => {
      const r = await pickModel(deps.extension, { title: TITLE, step: 3, totalSteps: TOTAL_STEPS, placeholder: `Base model · labels: ${formatDistribution(d.labels)}`, ...(preselectedModel !== undefined ? { preselected: preselectedModel } : {}) });
      if (r.kind === 'picked') d.model = r.value;
      return r.kind === 'picked' ? 'next' : r.kind;
    },
    (d) => epochsStep(d),
  ];
  for (let i = 0; i < steps.length; ) {
    const outcome = await steps[i]!(draft);
    if (outcome === 'cancel') return undefined;
    i = outcome === 'back' ? Math.max(0, i - 1) : i + 1;
  }

  const runsDir = config.runsDirectory(deps.extension.globalStorageUri);
  await vscode.workspace.fs.createDirectory(vscode.Uri.file(runsDir));
  const { run } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Starting the run…' },
    () =>
      deps.server.startRun({
        config: { dataset: dataset.fsPath, textColumn: draft.textColumn, labelColumn: draft.labelColumn, model: draft.model, epochs: draft.epochs },
        runsDir,
      }),
  );
  return run;
}

/** True for a file whose extension the server can read as a dataset. */
export function isDatasetUri(uri: vscode.Uri): boolean {
  const ext = path.extname(uri.fsPath).slice(1).toLowerCase();
  return (DATASET_EXTENSIONS as readonly string[]).includes(ext);
}

async function textColumnStep(summary: DatasetSummary, name: string, d: Draft): Promise<Outcome> {
  const items = orderColumns(summary.columns, d.textColumn).map((c): StepItem<string> => ({
    label: c.name,
    description: [c.name === summary.textColumn ? 'detected' : '', c.kind, `mean ${Math.round(c.meanLength)} chars`].filter(Boolean).join(' · '),
    value: c.name,
  }));
  const r = await pickStep({ title: TITLE, step: 1, totalSteps: TOTAL_STEPS, placeholder: `Text column of ${name} (${summary.rows} rows)`, items });
  if (r.kind !== 'picked') return r.kind;
  d.textColumn = r.value;
  return 'next';
}

async function labelColumnStep(
  summary: DatasetSummary,
  name: string,
  d: Draft,
  labelsOf: (column: string) => Promise<readonly LabelCount[]>,
): Promise<Outcome> {
  const preferred = d.labelColumn !== d.textColumn ? d.labelColumn : summary.labelColumn;
  const candidates = orderColumns(summary.columns.filter((c) => c.name !== d.textColumn), preferred);
  const items = candidates.map((c): StepItem<string> => ({
    label: c.name,
    description: [c.name === summary.labelColumn ? 'detected' : '', c.kind, `${c.distinct} distinct`].filter(Boolean).join(' · '),
    value: c.name,
  }));
  // Distributions cost a pass over the file: fetch them for likely label columns and the highlighted one.
  const fill = (column: string, handle: StepHandle<string>): void => {
    handle.setBusy(true);
    labelsOf(column).then(
      (labels) => handle.setDetail(column, formatDistribution(labels)),
      () => handle.setDetail(column, 'could not read this column'),
    ).finally(() => handle.setBusy(false));
  };
  const r = await pickStep({
    title: TITLE, step: 2, totalSteps: TOTAL_STEPS, placeholder: `Label column of ${name}`, items,
    onDidShow: (handle) => candidates.filter((c) => c.kind === 'label').forEach((c) => fill(c.name, handle)),
    onDidChangeActive: fill,
  });
  if (r.kind !== 'picked') return r.kind;
  const labels = await labelsOf(r.value);
  if (labels.length < 2) {
    await vscode.window.showWarningMessage(`Column "${r.value}" holds a single value, so there is nothing to classify. Choose another label column.`);
    return labelColumnStep(summary, name, d, labelsOf);
  }
  d.labelColumn = r.value;
  d.labels = labels;
  return 'next';
}

async function epochsStep(d: Draft): Promise<Outcome> {
  const preferred = config.defaultEpochs();
  const choices = [preferred, ...EPOCH_CHOICES.filter((n) => n !== preferred)];
  const items = choices.map((n): StepItem<number> => ({
    label: `${n} epoch${n === 1 ? '' : 's'}`,
    ...(n === preferred ? { description: 'default (transferLab.defaultEpochs)' } : {}),
    value: n,
  }));
  const r = await pickStep({ title: TITLE, step: 4, totalSteps: TOTAL_STEPS, placeholder: 'Passes over the training split', items });
  if (r.kind !== 'picked') return r.kind;
  d.epochs = r.value;
  return 'next';
}

/** `preferred` first, then free-text columns, then the rest, keeping file order within each. */
function orderColumns(columns: readonly ColumnSummary[], preferred: string): ColumnSummary[] {
  const rank = (c: ColumnSummary): number => (c.name === preferred ? 0 : c.kind === 'text' ? 1 : c.kind === 'label' ? 2 : 3);
  return [...columns].sort((a, b) => rank(a) - rank(b));
}

/** "ham 87% · spam 13%", the most frequent labels first. */
export function formatDistribution(labels: readonly LabelCount[]): string {
  const total = labels.reduce((sum, l) => sum + l.count, 0);
  if (total === 0) return 'no values';
  const shown = labels.slice(0, SHOWN_LABELS).map((l) => `${l.label} ${Math.round((100 * l.count) / total)}%`);
  const more = labels.length - SHOWN_LABELS;
  return more > 0 ? `${shown.join(' · ')} · +${more} more` : shown.join(' · ');
}
