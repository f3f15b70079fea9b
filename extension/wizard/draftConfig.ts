// The wizard's answers (a draft) and the run configuration they make: which steps each task asks,
// which columns it sends, and what is left to the server's defaults. Pure (no vscode), unit-tested.
import type { DatasetSummary, FineTuneConfig, FineTuneTask } from '../../server/protocol';

/** What the task step offers: the protocol's tasks, with text pairs as their own choice. */
export type WizardTask = 'classify' | 'pairs' | 'tokens' | 'causal' | 'text-to-text';

export interface WizardTaskInfo {
  readonly value: WizardTask;
  readonly task: FineTuneTask;
  readonly label: string;
  readonly description: string;
}

export const WIZARD_TASKS: readonly WizardTaskInfo[] = [
  { value: 'classify', task: 'sequence-classification', label: 'Classify each text', description: 'sentiment, spam, topic: one label per row' },
  { value: 'pairs', task: 'sequence-classification', label: 'Classify text pairs', description: 'entailment, paraphrase: two text columns, one label' },
  { value: 'tokens', task: 'token-classification', label: 'Tag each word', description: 'NER, POS: records with "tokens" and per-token labels' },
  { value: 'causal', task: 'causal-lm', label: 'Continue language-model training', description: 'GPT-2 on the text column: domain adaptation' },
  { value: 'text-to-text', task: 'text-to-text', label: 'Map input text to target text', description: 'T5: an input column and a target column' },
];

export type StepId = 'task' | 'text' | 'pair' | 'label' | 'target' | 'model' | 'strategy' | 'settings';

/** The steps a task asks, in order. */
export function stepsFor(task: WizardTask): readonly StepId[] {
  switch (task) {
    case 'classify':
      return ['task', 'text', 'label', 'model', 'strategy', 'settings'];
    case 'pairs':
      return ['task', 'text', 'pair', 'label', 'model', 'strategy', 'settings'];
    case 'tokens':
      return ['task', 'model', 'strategy', 'settings'];
    case 'causal':
      return ['task', 'text', 'model', 'strategy', 'settings'];
    case 'text-to-text':
      return ['task', 'text', 'target', 'model', 'strategy', 'settings'];
  }
}

export function taskInfo(task: WizardTask): WizardTaskInfo {
  return WIZARD_TASKS.find((t) => t.value === task) ?? (WIZARD_TASKS[0] as WizardTaskInfo);
}

/**
 * The task to offer first: none readable as a flat table → tagging (records of token lists);
 * a label column → classification; two free-text columns → text-to-text; else LM training.
 */
export function recommendTask(summary: DatasetSummary | null): WizardTask {
  if (summary === null) return 'tokens';
  if (summary.labels.length >= 2) return 'classify';
  return summary.columns.filter((c) => c.kind === 'text').length >= 2 ? 'text-to-text' : 'causal';
}

/** The settings a user may set in the wizard; unset ones take the server's default. */
export interface Settings {
  learningRate?: number;
  epochs?: number;
  batchSize?: number;
  maxLength?: number;
}

export interface Draft {
  readonly dataset: string;
  task: WizardTask;
  textColumn: string;
  textPairColumn: string;
  labelColumn: string;
  targetColumn: string;
  /** A preset name or a model folder. */
  model: string;
  strategy: string;
  settings: Settings;
}

/** The partial run configuration of a draft: the task's columns only, unset settings left out. */
export function draftToConfig(d: Draft): Partial<FineTuneConfig> & { readonly dataset: string } {
  const info = taskInfo(d.task);
  const columns: Partial<FineTuneConfig> =
    d.task === 'classify' ? { textColumn: d.textColumn, labelColumn: d.labelColumn }
    : d.task === 'pairs' ? { textColumn: d.textColumn, textPairColumn: d.textPairColumn, labelColumn: d.labelColumn }
    : d.task === 'causal' ? { textColumn: d.textColumn }
    : d.task === 'text-to-text' ? { textColumn: d.textColumn, targetColumn: d.targetColumn }
    : {};
  const settings = Object.fromEntries(Object.entries(d.settings).filter(([, v]) => v !== undefined)) as Settings;
  return { dataset: d.dataset, task: info.task, ...columns, model: d.model, strategy: d.strategy, ...settings };
}

/** The fresh preset each task starts from: a BERT, a GPT-2 for LM training, a T5 for text-to-text. */
export function defaultPresetFor(task: WizardTask): { readonly name: string; readonly description: string } {
  if (task === 'causal') return { name: 'gpt2-tiny', description: 'fresh 2-layer GPT-2 (hidden 128), vocabulary trained on your data' };
  if (task === 'text-to-text') return { name: 't5-tiny', description: 'fresh 2-layer T5 (d_model 128), vocabulary trained on your data' };
  return { name: 'tiny', description: 'fresh 2-layer BERT (hidden 128), vocabulary trained on your data' };
}

/** Whether a model folder of `family` can train the task (the heads each family has). */
export function familySuitsTask(family: string, task: WizardTask): boolean {
  if (task === 'causal') return family === 'gpt2';
  if (task === 'text-to-text') return family === 't5';
  return family !== 't5';
}

/** The first draft: detected columns, the recommended task and its preset (or the model given). */
export function initialDraft(dataset: string, summary: DatasetSummary | null, strategy: string, model?: string): Draft {
  const task = recommendTask(summary);
  const text = summary?.textColumn ?? '';
  const otherText = summary?.columns.find((c) => c.kind === 'text' && c.name !== text)?.name ?? '';
  return {
    dataset, task, textColumn: text, textPairColumn: otherText, labelColumn: summary?.labelColumn ?? '',
    targetColumn: task === 'text-to-text' ? otherText : '', model: model ?? defaultPresetFor(task).name, strategy, settings: {},
  };
}

/**
 * The settings a run gets from the wizard: what the user set, else the suggested max length and
 * `transferLab.defaultEpochs` (not for features, whose cheap epochs default to many more).
 */
export function effectiveSettings(d: Draft, suggestedMaxLength: number | null, settingEpochs: number): Settings {
  return {
    ...(d.strategy !== 'features' ? { epochs: settingEpochs } : {}),
    ...(suggestedMaxLength !== null ? { maxLength: suggestedMaxLength } : {}),
    ...Object.fromEntries(Object.entries(d.settings).filter(([, v]) => v !== undefined)),
  };
}
