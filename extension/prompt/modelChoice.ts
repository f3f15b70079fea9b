// Which model a prompt command uses: asked once with a quick pick of the models ModelList finds
// (filtered to the heads the task needs), then remembered per workspace in workspaceState until
// the user picks "Change model" in the Prompt panel.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelSummary } from '../../server/protocol';
import type { TrainingServer } from '../client';
import * as config from '../config';
import { CLASSIFICATION_HEADS, FILL_MASK_HEADS, GENERATION_HEADS } from './promptText';

export type PromptTask = 'generate' | 'classify' | 'fillMask';

export interface ModelChoiceDeps {
  readonly extension: vscode.ExtensionContext;
  readonly server: TrainingServer;
}

const TASKS: Record<PromptTask, { readonly heads: ReadonlySet<string>; readonly what: string }> = {
  generate: { heads: GENERATION_HEADS, what: 'a causal-lm or seq2seq-lm head (GPT-2, T5)' },
  classify: { heads: CLASSIFICATION_HEADS, what: 'a language-model head (masked, causal or seq2seq)' },
  fillMask: { heads: FILL_MASK_HEADS, what: 'a masked-lm head (BERT, RoBERTa)' },
};

/** The model heads that can do `task`. */
export function taskHeads(task: PromptTask): ReadonlySet<string> {
  return TASKS[task].heads;
}

const stateKey = (task: PromptTask): string => `transferLab.prompt.model.${task}`;

/** The remembered model folder of `task` in this workspace, if any. */
export function rememberedModel(extension: vscode.ExtensionContext, task: PromptTask): string | undefined {
  const value: unknown = extension.workspaceState.get(stateKey(task));
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Makes `dir` the model of `task` in this workspace (the Models view's "Prompt with This Model…"). */
export async function rememberModel(extension: vscode.ExtensionContext, task: PromptTask, dir: string): Promise<void> {
  await extension.workspaceState.update(stateKey(task), dir);
}

/** Forgets the model of `task`, so the next command asks again. */
export async function forgetModel(extension: vscode.ExtensionContext, task: PromptTask): Promise<void> {
  await extension.workspaceState.update(stateKey(task), undefined);
}

/** The model folder for `task`: the remembered one, else the user's pick (then remembered). */
export async function chooseModel(deps: ModelChoiceDeps, task: PromptTask): Promise<string | undefined> {
  const remembered = rememberedModel(deps.extension, task);
  if (remembered !== undefined) return remembered;
  const { heads, what } = TASKS[task];
  const { models } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Transfer Lab: looking for models…' },
    () => deps.server.listModels({
      workspaceRoots: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
      modelPaths: [],
      runsDir: config.runsDirectory(deps.extension.globalStorageUri),
    }),
  );
  const usable = models.filter((m) => heads.has(m.head));
  if (usable.length === 0) {
    void vscode.window.showErrorMessage(
      `Transfer Lab: no model with ${what} in this workspace or its runs folder. Put a Hugging Face model folder (config.json, model.safetensors, tokenizer.json) in the workspace.`,
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(usable.map(toItem), {
    title: 'Transfer Lab: model',
    placeHolder: `Model with ${what} (remembered for this workspace)`,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (picked === undefined) return undefined;
  await deps.extension.workspaceState.update(stateKey(task), picked.model.dir);
  return picked.model.dir;
}

function toItem(model: ModelSummary): vscode.QuickPickItem & { readonly model: ModelSummary } {
  return {
    label: model.name,
    description: `${model.family} · ${model.head} · ${model.layers} layers × ${model.hidden}`,
    detail: model.dir,
    model,
  };
}

/** A short display name of a model folder ("my-gpt2" for /…/models/my-gpt2). */
export function modelLabel(dir: string): string {
  return path.basename(dir) || dir;
}
