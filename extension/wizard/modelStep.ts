// The wizard's base-model step: the task's fresh preset, the model folders the Models view knows
// (workspace, transferLab.modelPaths, run outputs) that suit the task, recently used folders, or
// a folder the user browses to (checked for a Hugging Face config.json before the server sees it).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelSummary } from '../../server/protocol';
import { pickStep, type StepButton, type StepItem, type StepResult } from './quickPickStep';

/** globalState key of the last model folders used, newest first. */
const RECENT_KEY = 'transferLab.recentModelFolders';
const MAX_RECENT = 3;

type ModelChoice = { readonly kind: 'preset'; readonly name: string } | { readonly kind: 'folder'; readonly path: string } | { readonly kind: 'browse' };

export interface ModelStepOptions {
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
  readonly placeholder: string;
  readonly buttons?: readonly StepButton[];
  /** A preset name or model folder offered first (and active), e.g. from the Models view. */
  readonly preselected?: string;
  /** The fresh preset that suits the task ("tiny", "gpt2-tiny", "t5-tiny") and what it is. */
  readonly preset: { readonly name: string; readonly description: string };
  /** Model folders found (ModelList) that suit the task. */
  readonly folders: readonly ModelSummary[];
}

const item = (label: string, value: ModelChoice, description?: string, detail?: string): StepItem<ModelChoice> => ({
  label, value, ...(description !== undefined ? { description } : {}), ...(detail !== undefined ? { detail } : {}),
});

function preselectedItems(pre: string | undefined, preset: string): StepItem<ModelChoice>[] {
  if (pre === undefined || pre === preset) return [];
  return [path.isAbsolute(pre)
    ? item(`$(folder) ${path.basename(pre)}`, { kind: 'folder', path: pre }, 'chosen in the Models view', pre)
    : item(pre, { kind: 'preset', name: pre }, 'fresh preset, chosen in the Models view')];
}

/** Resolves with a preset name or an absolute model folder. */
export async function pickModel(extension: vscode.ExtensionContext, options: ModelStepOptions): Promise<StepResult<string>> {
  for (;;) {
    const recent = extension.globalState.get<unknown>(RECENT_KEY);
    const recentFolders = Array.isArray(recent) ? recent.filter((p): p is string => typeof p === 'string') : [];
    const pre = options.preselected;
    const known = new Set(options.folders.map((m) => m.dir));
    const items = [
      ...preselectedItems(pre, options.preset.name),
      item(options.preset.name, { kind: 'preset', name: options.preset.name }, options.preset.description),
      ...options.folders.filter((m) => m.dir !== pre).map((m) =>
        item(`$(folder) ${m.name}`, { kind: 'folder', path: m.dir }, `${m.family} · ${m.head} · ${m.layers}×${m.hidden}${m.source === 'run' ? ' · run output' : ''}`, m.dir)),
      ...recentFolders.filter((f) => f !== pre && !known.has(f)).map((f) => item(`$(folder) ${path.basename(f)}`, { kind: 'folder', path: f }, 'recent', f)),
      item('$(folder-opened) Browse for a Hugging Face model folder…', { kind: 'browse' }),
    ];
    const r = await pickStep<ModelChoice>({ ...options, items });
    if (r.kind !== 'picked') return r;
    const choice = r.value;
    if (choice.kind === 'preset') return { kind: 'picked', value: choice.name };
    const folder = choice.kind === 'folder' ? choice.path : await browseForModel();
    if (folder === undefined) continue; // dialog dismissed: back to the list
    if (!(await hasConfigJson(folder))) {
      await vscode.window.showErrorMessage(
        `${folder} has no config.json. Choose a folder in Hugging Face layout (config.json, model.safetensors, tokenizer.json).`,
      );
      continue;
    }
    await extension.globalState.update(RECENT_KEY, [folder, ...recentFolders.filter((f) => f !== folder)].slice(0, MAX_RECENT));
    return { kind: 'picked', value: folder };
  }
}

async function browseForModel(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Use This Model',
    title: 'Hugging Face model folder (config.json, model.safetensors, tokenizer.json)',
  });
  return picked?.[0]?.fsPath;
}

async function hasConfigJson(folder: string): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(vscode.Uri.file(path.join(folder, 'config.json')));
    return true;
  } catch {
    return false;
  }
}
