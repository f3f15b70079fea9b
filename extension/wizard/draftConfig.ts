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
