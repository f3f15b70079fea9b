// The wizard's training steps: the strategy (recommended one first, each with its rationale), and
// the settings review (learning rate, epochs, batch size, max length) where Enter starts the run,
// a setting opens its own pick, and "Edit as JSON" writes the configuration file.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatasetTokenLengths, FineTuneConfig } from '../../server/protocol';
import { taskInfo, type Draft, type Settings } from './draftConfig';
import { formatRows } from './distribution';
import { describeLengths, MIN_MAX_LENGTH, truncatedShare } from './maxLengthAdvice';
import { pickStep, type StepItem } from './quickPickStep';
import { strategyOptions } from './strategyAdvice';
import { outcomeOf, type Outcome, type StepFrame } from './wizardFrame';

export async function strategyStep(d: Draft, rows: number, layers: number | null, frame: StepFrame): Promise<Outcome> {
  const fresh = !isFolder(d.model);
  const options = strategyOptions({ rows, task: taskInfo(d.task).task, freshModel: fresh, layers });
  const current = options.find((o) => o.value === d.strategy);
  const ordered = current !== undefined && !current.recommended ? [current, ...options.filter((o) => o !== current)] : options;
  const items = ordered.map((o): StepItem<string> => ({
    label: o.value,
    description: o.note ?? '',
    detail: o.rationale,
    value: o.value,
  }));
  const model = fresh ? `fresh ${d.model}` : path.basename(d.model);
  const r = await pickStep({ ...frame, placeholder: `Strategy for ${formatRows(rows)} on ${model}`, items });
  return outcomeOf(r, (strategy) => {
    if (strategy !== d.strategy) delete d.settings.learningRate; // its default depends on the strategy
    d.strategy = strategy;
  });
}

/** Model folders are absolute paths (the model step resolves them); anything else is a preset name. */
export function isFolder(model: string): boolean {
  return path.isAbsolute(model);
}

type SettingKey = keyof Required<Settings>;
type Choice = { readonly kind: 'start' } | { readonly kind: 'json' } | { readonly kind: 'edit'; readonly key: SettingKey };

interface NumberSetting {
  readonly label: string;
  readonly choices: readonly number[];
  readonly integer: boolean;
  readonly min: number;
  readonly max: number;
  readonly format: (n: number) => string;
}

const SETTINGS: Readonly<Record<SettingKey, NumberSetting>> = {
  learningRate: { label: 'Learning rate', choices: [1e-5, 2e-5, 3e-5, 5e-5, 1e-4, 3e-4, 5e-4, 1e-3, 1e-2], integer: false, min: 1e-8, max: 1, format: (n) => Number(n.toPrecision(4)).toExponential() },
  epochs: { label: 'Epochs', choices: [1, 2, 3, 5, 10, 20, 50], integer: true, min: 1, max: 1000, format: String },
  batchSize: { label: 'Batch size', choices: [8, 16, 32, 64, 128], integer: true, min: 1, max: 4096, format: String },
  maxLength: { label: 'Max length', choices: [32, 64, 128, 256, 512], integer: true, min: MIN_MAX_LENGTH, max: 8192, format: (n) => `${n} tokens` },
};

export interface SettingsContext {
  readonly draft: Draft;
  readonly name: string;
  /** The settings the run gets now (what the user set over the suggestions). */
  readonly effective: () => Settings;
  /** The full configuration the server resolves the draft to. */
  readonly resolve: () => Promise<FineTuneConfig>;
  /** Token lengths for the max-length suggestion; null where not measured (not a table, or it failed). */
  readonly lengths: () => Promise<DatasetTokenLengths.Result | null>;
  readonly settingEpochs: number;
}

function source(c: SettingsContext, key: SettingKey, lengths: DatasetTokenLengths.Result | null, config: FineTuneConfig): string {
  if (c.draft.settings[key] !== undefined) return 'set by you';
  if (key === 'maxLength') return lengths !== null ? `suggested: ${truncatedShare(lengths.lengths, config.maxLength)}` : 'default';
  if (key === 'epochs' && c.effective().epochs !== undefined) return 'transferLab.defaultEpochs';
  if (key === 'learningRate') return `default for ${config.strategy} on a ${isFolder(config.model) ? 'pretrained' : 'fresh'} model`;
  return 'default';
}

/** The review step; loops through setting picks until the user starts, edits as JSON, goes back or leaves. */
export async function settingsStep(c: SettingsContext, frame: StepFrame): Promise<Outcome> {
  for (;;) {
    const [config, lengths] = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Measuring token lengths…' },
      () => Promise.all([c.resolve(), c.lengths()]),
    );
    const value = (key: SettingKey): number => config[key];
    const summary = `${config.strategy} · ${config.epochs} epoch${config.epochs === 1 ? '' : 's'} · lr ${SETTINGS.learningRate.format(config.learningRate)} · batch ${config.batchSize} · max length ${config.maxLength}`;
    const items: StepItem<Choice>[] = [
      { label: '$(play) Start fine-tuning', description: summary, value: { kind: 'start' } },
      ...(Object.keys(SETTINGS) as SettingKey[]).map((key): StepItem<Choice> => ({
        label: `${SETTINGS[key].label}: ${SETTINGS[key].format(value(key))}`,
        description: source(c, key, lengths, config),
        ...(key === 'maxLength' && lengths !== null ? { detail: describeLengths(lengths.lengths, lengths.modelMaxLength) } : {}),
        value: { kind: 'edit', key },
      })),
      { label: '$(json) Edit as JSON…', description: 'the full configuration in a .tlab.json file beside the dataset', value: { kind: 'json' } },
    ];
    const r = await pickStep({ ...frame, placeholder: `Settings for ${c.name}: Enter starts training, or choose one to change`, items });
    if (r.kind !== 'picked') return outcomeOf(r, () => undefined);
    if (r.value.kind !== 'edit') return r.value.kind === 'start' ? 'next' : 'json';
    const key = r.value.key;
    const limit = key === 'maxLength' && lengths !== null ? lengths.modelMaxLength : undefined;
    const picked = await pickNumber(SETTINGS[key], value(key), frame, c.name, limit);
    if (picked !== undefined) c.draft.settings[key] = picked;
  }
}

/** A value from the setting's usual choices (the current one first), or typed in; undefined = unchanged. */
async function pickNumber(s: NumberSetting, current: number, frame: StepFrame, name: string, cap?: number): Promise<number | undefined> {
  const max = Math.min(s.max, cap ?? s.max);
  const choices = [current, ...s.choices.filter((n) => n !== current && n <= max)];
  const items: StepItem<number | null>[] = [
    ...choices.map((n, i) => ({ label: s.format(n), ...(i === 0 ? { description: 'current' } : {}), value: n })),
    { label: '$(edit) Other value…', description: `${s.integer ? 'an integer' : 'a number'} from ${s.min} to ${max}`, value: null },
  ];
  const r = await pickStep({ title: frame.title, step: frame.step, totalSteps: frame.totalSteps, placeholder: `${s.label} for ${name}`, items });
  if (r.kind !== 'picked') return undefined;
  if (r.value !== null) return r.value;
  const typed = await vscode.window.showInputBox({
    title: `${frame.title}: ${s.label.toLowerCase()}`, value: String(current), ignoreFocusOut: true,
    validateInput: (text) => {
      const n = Number(text);
      const ok = text.trim() !== '' && Number.isFinite(n) && n >= s.min && n <= max && (!s.integer || Number.isInteger(n));
      return ok ? undefined : `${s.label} must be ${s.integer ? 'an integer' : 'a number'} from ${s.min} to ${max}.`;
    },
  });
  return typed === undefined ? undefined : Number(typed);
}
