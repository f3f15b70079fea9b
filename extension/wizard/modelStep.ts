// The wizard's base-model step: the "tiny" preset, recently used model folders, or a folder the
// user browses to (checked for a Hugging Face config.json before the server ever sees it).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { pickStep, type StepResult } from './quickPickStep';

/** globalState key of the last model folders used, newest first. */
const RECENT_KEY = 'transferLab.recentModelFolders';
const MAX_RECENT = 3;

type ModelChoice = { readonly kind: 'preset'; readonly name: string } | { readonly kind: 'folder'; readonly path: string } | { readonly kind: 'browse' };

export interface ModelStepOptions {
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
  readonly placeholder: string;
  /** A preset name or model folder offered first (and active), e.g. from the Models view. */
  readonly preselected?: string;
}

/** Resolves with a preset name or an absolute model folder. */
export async function pickModel(extension: vscode.ExtensionContext, options: ModelStepOptions): Promise<StepResult<string>> {
  for (;;) {
    const recent = extension.globalState.get<unknown>(RECENT_KEY);
    const recentFolders = Array.isArray(recent) ? recent.filter((p): p is string => typeof p === 'string') : [];
    const pre = options.preselected;
    const preItems = pre === undefined || pre === 'tiny' ? [] : [
      path.isAbsolute(pre)
        ? { label: `$(folder) ${path.basename(pre)}`, description: 'chosen in the Models view', detail: pre, value: { kind: 'folder', path: pre } as ModelChoice }
        : { label: pre, description: 'fresh preset, chosen in the Models view', value: { kind: 'preset', name: pre } as ModelChoice },
    ];
    const items = [
      ...preItems,
      { label: 'tiny', description: 'fresh 2-layer BERT (hidden 128), vocabulary trained on your data', value: { kind: 'preset', name: 'tiny' } as ModelChoice },
      ...recentFolders.filter((folder) => folder !== pre).map((folder) => ({ label: `$(folder) ${path.basename(folder)}`, description: 'recent', detail: folder, value: { kind: 'folder', path: folder } as ModelChoice })),
      { label: '$(folder-opened) Browse for a Hugging Face model folder…', value: { kind: 'browse' } as ModelChoice },
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
