// "Fine-tune on this dataset…": inspect the dataset, then a multi-step quick pick (task, text
// column(s), label or target column, base model, strategy, settings; Back between steps, Escape
// cancels silently, "Edit as JSON" on every step) that starts the run or writes a *.tlab.json.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatasetSummary, DatasetTokenLengths, LabelCount, ModelList, RunSummary } from '../../server/protocol';
import type { TrainingServer } from '../client';
import { DATASET_EXTENSIONS } from '../commandIds';
import * as config from '../config';
import { labelStep, secondTextStep, taskStep, textStep, type DataContext } from './columnSteps';
import { defaultPresetFor, draftToConfig, effectiveSettings, familySuitsTask, initialDraft, stepsFor, taskInfo, type Draft, type StepId } from './draftConfig';
import { formatDistribution } from './distribution';
import { readSummary } from './datasetSummary';
import { writeRunConfigFile } from './editAsJson';
import { suggestMaxLength } from './maxLengthAdvice';
import { pickModel } from './modelStep';
import { recommendStrategy } from './strategyAdvice';
import { isFolder, settingsStep, strategyStep } from './trainingSteps';
import { EDIT_AS_JSON_BUTTON, type Outcome, type StepFrame } from './wizardFrame';

export interface WizardDeps {
  readonly server: TrainingServer;
  readonly extension: vscode.ExtensionContext;
  /** The model folders the Models view knows (offered in the base-model step). */
  readonly models: () => Promise<ModelList.Result>;
}

/** How the wizard ended: a run started, the configuration opened as JSON, or nothing (cancelled). */
export type WizardResult = { readonly kind: 'started'; readonly run: RunSummary } | { readonly kind: 'edited'; readonly file: vscode.Uri } | undefined;

/** Runs the wizard for `dataset` (`preselectedModel` offered first in the model step). */
export async function runFineTuneWizard(deps: WizardDeps, dataset: vscode.Uri, preselectedModel?: string): Promise<WizardResult> {
  const { summary, error } = await readSummary(deps.server, dataset);
  const name = path.basename(dataset.fsPath);
  const rows = summary?.rows ?? 0;
  const draft = initialDraft(dataset.fsPath, summary, 'full', preselectedModel);
  // The recommendation follows the task and model until the user picks a strategy.
  let strategyChosen = false;
  const recommend = (): void => {
    if (!strategyChosen) draft.strategy = recommendStrategy({ rows, task: taskInfo(draft.task).task, freshModel: !isFolder(draft.model) });
  };
  recommend();
  const data: DataContext = { draft, summary, readError: error, name, labelsOf: labelDistributions(deps.server, dataset.fsPath, summary) };
  const lengths = tokenLengthCache(deps.server, draft, summary);
  const settingEpochs = config.defaultEpochs();
  const effective = () => effectiveSettings(draft, lengths.suggestion(), settingEpochs);
  const folders = (await deps.models().catch(() => ({ models: [], presets: [] }))).models;
  const layersOf = (model: string): number | null => folders.find((m) => m.dir === model)?.layers ?? null;

  const run = async (id: StepId, frame: StepFrame): Promise<Outcome> => {
    switch (id) {
      case 'task': {
        const outcome = await taskStep(data, frame);
        recommend();
        return outcome;
      }
      case 'text': return summary === null ? 'next' : textStep(data, summary, frame);
      case 'pair': return summary === null ? 'next' : secondTextStep(data, summary, frame, 'pair');
      case 'target': return summary === null ? 'next' : secondTextStep(data, summary, frame, 'target');
      case 'label': return summary === null ? 'next' : labelStep(data, summary, frame);
      case 'model': {
        const labels = draft.task === 'classify' || draft.task === 'pairs' ? ` · labels: ${formatDistribution(await data.labelsOf(draft.labelColumn).catch(() => []))}` : '';
        const r = await pickModel(deps.extension, {
          ...frame, placeholder: `Base model${labels}`, preset: defaultPresetFor(draft.task),
          folders: folders.filter((m) => familySuitsTask(m.family, draft.task)),
          ...(preselectedModel !== undefined ? { preselected: preselectedModel } : {}),
        });
        if (r.kind !== 'picked') return r.kind === 'button' ? 'json' : r.kind;
        draft.model = r.value;
        recommend();
        return 'next';
      }
      case 'strategy': {
        lengths.start(); // model and columns are known: measure while the user reads the strategies
        const outcome = await strategyStep(draft, rows, layersOf(draft.model), frame);
        if (outcome === 'next') strategyChosen = true;
        return outcome;
      }
      case 'settings':
        return settingsStep({
          draft, name, effective, settingEpochs,
          resolve: async () => (await deps.server.resolveConfig({ config: draftToConfig({ ...draft, settings: effective() }) })).config,
          lengths: () => lengths.result(),
        }, frame);
    }
  };

  for (let i = 0; ; ) {
    const steps = stepsFor(draft.task);
    const id = steps[i];
    if (id === undefined) break;
    const outcome = await run(id, { title: `Fine-tune ${name}`, step: i + 1, totalSteps: steps.length, buttons: [EDIT_AS_JSON_BUTTON] });
    if (outcome === 'cancel') return undefined;
    if (outcome === 'json') {
      await lengths.result(); // so the file carries the suggested max length
      const file = await writeRunConfigFile(deps.server, draftToConfig({ ...draft, settings: effective() }));
      return file === undefined ? undefined : { kind: 'edited', file };
    }
    i = outcome === 'back' ? Math.max(0, i - 1) : i + 1;
  }

  const runsDir = config.runsDirectory(deps.extension.globalStorageUri);
  await vscode.workspace.fs.createDirectory(vscode.Uri.file(runsDir));
  const { run: started } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Starting the run…' },
    () => deps.server.startRun({ config: draftToConfig({ ...draft, settings: effective() }), runsDir }),
  );
  return { kind: 'started', run: started };
}

/** Label distributions per column, each read once (a pass over the file). */
function labelDistributions(server: TrainingServer, file: string, summary: DatasetSummary | null): (column: string) => Promise<readonly LabelCount[]> {
  const known = new Map<string, Promise<readonly LabelCount[]>>();
  if (summary !== null) known.set(summary.labelColumn, Promise.resolve(summary.labels));
  return (column) => {
    let labels = known.get(column);
    if (labels === undefined) {
      labels = server.inspectDataset({ path: file, labelColumn: column }).then((s) => s.labels);
      known.set(column, labels);
    }
    return labels;
  };
}

/** Token lengths for the current model and text columns, measured once per combination. */
function tokenLengthCache(server: TrainingServer, draft: Draft, summary: DatasetSummary | null) {
  const cache = new Map<string, Promise<DatasetTokenLengths.Result | null>>();
  const settled = new Map<string, DatasetTokenLengths.Result | null>();
  const params = (): DatasetTokenLengths.Params | null => {
    if (summary === null || draft.task === 'tokens') return null;
    return { path: draft.dataset, model: draft.model, textColumn: draft.textColumn, ...(draft.task === 'pairs' ? { textPairColumn: draft.textPairColumn } : {}) };
  };
  const key = (p: DatasetTokenLengths.Params): string => JSON.stringify(p);
  const start = (): Promise<DatasetTokenLengths.Result | null> => {
    const p = params();
    if (p === null) return Promise.resolve(null);
    let pending = cache.get(key(p));
    if (pending === undefined) {
      pending = server.tokenLengths(p).catch(() => null); // no suggestion then: the server's default stays
      pending.then((r) => settled.set(key(p), r), () => undefined);
      cache.set(key(p), pending);
    }
    return pending;
  };
  return {
    start: (): void => void start(),
    result: start,
    /** The suggestion once measured for the current choices, else null. */
    suggestion: (): number | null => {
      const p = params();
      const r = p === null ? null : settled.get(key(p)) ?? null;
      return r === null ? null : suggestMaxLength(r.lengths.p95, r.modelMaxLength);
    },
  };
}

/** True for a file whose extension the server can read as a dataset (a *.tlab.json is a run configuration). */
export function isDatasetUri(uri: vscode.Uri): boolean {
  const ext = path.extname(uri.fsPath).slice(1).toLowerCase();
  return (DATASET_EXTENSIONS as readonly string[]).includes(ext) && !uri.fsPath.toLowerCase().endsWith('.tlab.json');
}
