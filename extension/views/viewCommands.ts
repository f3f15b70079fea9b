// Handlers of the commands behind the Models and Runs views and the Attention panel. They accept
// a tree node (context menus pass the clicked element), a plain run id / model folder, or nothing
// (Command Palette: they ask).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelSummary, RunSummary } from '../../server/protocol';
import type { CommandContext } from '../commands';
import { COMMANDS } from '../commandIds';
import { AttentionPanel } from '../panels/attentionPanel';
import { pickRunsToCompare, runPickDescription, runPickDetail } from '../panels/comparePick';
import { ForgettingPanel } from '../panels/forgettingPanel';
import { TrainingPanel } from '../panels/trainingPanel';
import { notebookText } from '../notebook/cellText';
import { isActive } from '../runs';
import { baseOfRun, pickComparison, runOfModelDir } from './attentionCompare';
import { modelDescription, type ModelsNode } from './modelsView';
import type { RunsNode } from './runsView';

/** Longest selection sent to ModelAttention (the server truncates to the model's maximum anyway). */
const MAX_SELECTION_CHARS = 2000;

function isNode(x: unknown): x is { readonly kind: string } {
  return typeof x === 'object' && x !== null && typeof (x as { kind?: unknown }).kind === 'string';
}

/** The run a command was invoked on: a Runs view node or a run id. */
export function runOf(ctx: CommandContext, arg: unknown): RunSummary | undefined {
  if (isNode(arg) && arg.kind === 'run') return (arg as Extract<RunsNode, { kind: 'run' }>).run;
  return typeof arg === 'string' ? ctx.runs.get(arg) : undefined;
}

/** The model folder (or preset) a command was invoked on: a Models view node or a path. */
function modelOf(arg: unknown): { readonly model: string; readonly name: string } | undefined {
  if (isNode(arg) && arg.kind === 'model') {
    const m = (arg as Extract<ModelsNode, { kind: 'model' }>).model;
    return { model: m.dir, name: m.name };
  }
  if (isNode(arg) && arg.kind === 'preset') {
    const name = (arg as Extract<ModelsNode, { kind: 'preset' }>).name;
    return { model: name, name };
  }
  if (arg instanceof vscode.Uri) return { model: arg.fsPath, name: path.basename(arg.fsPath) };
  return typeof arg === 'string' && arg !== '' ? { model: arg, name: path.basename(arg) } : undefined;
}

async function pickModelFolder(ctx: CommandContext, title: string): Promise<{ model: string; name: string } | undefined> {
  const { models } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Transfer Lab: looking for models…' },
    () => ctx.views.models.models(),
  );
  if (models.length === 0) {
    void vscode.window.showErrorMessage(
      'Transfer Lab: no model folder in this workspace, transferLab.modelPaths or the runs folder. Add a Hugging Face model folder (config.json, model.safetensors, tokenizer.json) or fine-tune one.',
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    models.map((m: ModelSummary) => ({ label: m.name, description: modelDescription(m), detail: m.dir, m })),
    { title, placeHolder: 'Model', matchOnDescription: true, matchOnDetail: true },
  );
  return picked === undefined ? undefined : { model: picked.m.dir, name: picked.m.name };
}

/** The selection of the active text editor, trimmed ('' when none). */
function editorSelection(): string {
  const editor = vscode.window.activeTextEditor;
  return editor !== undefined && !editor.selection.isEmpty ? editor.document.getText(editor.selection).trim() : '';
}

/** "Inspect Attention…": model from the node (else a pick), text from the selection or notebook cell (else asked). */
export async function inspectAttention(ctx: CommandContext, arg: unknown): Promise<void> {
  const fromView = modelOf(arg);
  // From the Models view: the editor's selection; from a notebook: the cell (or its selection).
  const selected = (fromView !== undefined ? editorSelection() : notebookText(arg) ?? editorSelection()).trim();
  const model = fromView ?? (await pickModelFolder(ctx, 'Inspect Attention: model'));
  if (model === undefined) return;
  const text = selected !== ''
    ? selected.slice(0, MAX_SELECTION_CHARS)
    : await vscode.window.showInputBox({ title: `Inspect Attention: ${model.name}`, prompt: 'Text to run through the model', placeHolder: 'The cat sat on the mat.', ignoreFocusOut: true });
  if (text === undefined || text.trim() === '') return;
  // A run's output opens side by side with the model it was fine-tuned from.
  const run = path.isAbsolute(model.model) ? await runOfModelDir(ctx, model.model) : undefined;
  const comparison = run === undefined ? {} : baseOfRun(run);
  AttentionPanel.show(
    { extensionUri: ctx.extension.extensionUri, server: ctx.server, pickComparison: (role, current) => pickComparison(ctx, role, current) },
    { model: model.model, modelName: model.name, text, ...comparison },
  );
}

/** "Fine-tune from This Model…": a dataset (active editor or Open dialog), then the wizard with the model first. */
export async function fineTuneFromModel(ctx: CommandContext, arg: unknown, resolveDataset: (arg: unknown) => Promise<vscode.Uri | undefined>, run: (dataset: vscode.Uri, model: string) => Promise<void>): Promise<void> {
  const model = modelOf(arg) ?? (await pickModelFolder(ctx, 'Fine-tune from a model'));
  if (model === undefined) return;
  const dataset = await resolveDataset(undefined);
  if (dataset !== undefined) await run(dataset, model.model);
}

export async function revealModel(arg: unknown): Promise<void> {
  const model = modelOf(arg);
  if (model !== undefined && path.isAbsolute(model.model)) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(model.model));
}

export async function openRunCurves(ctx: CommandContext, arg: unknown): Promise<void> {
  const run = runOf(ctx, arg);
  if (run !== undefined) TrainingPanel.show({ extensionUri: ctx.extension.extensionUri, server: ctx.server }, run);
}

/**
 * "Compare with…": the run's Training panel with the runs picked from its runs folder overlaid.
 * From the palette (no run given) it first asks which run's curves to open.
 */
export async function compareRuns(ctx: CommandContext, arg: unknown): Promise<void> {
  let run = runOf(ctx, arg);
  if (run === undefined) {
    await ctx.runs.refresh();
    const all = ctx.runs.all();
    if (all.length === 0) {
      void vscode.window.showInformationMessage('Transfer Lab: no runs yet. Fine-tune a model twice (another model, strategy or learning rate) to compare the runs.');
      return;
    }
    const picked = await vscode.window.showQuickPick(all.map((r) => ({ label: r.runId, description: runPickDescription(r), detail: runPickDetail(r), r })), {
      title: COMMANDS.compareRuns.title,
      placeHolder: 'The run whose curves the others are drawn over',
      matchOnDescription: true,
    });
    run = picked?.r;
  }
  if (run === undefined) return;
  const deps = { extensionUri: ctx.extension.extensionUri, server: ctx.server };
  const picked = await pickRunsToCompare(ctx.server, run, TrainingPanel.comparedWith(run.runId));
  if (picked !== undefined) await TrainingPanel.show(deps, run).compareWith(picked);
}

/** "Open Forgetting": the run's forgetting diagnostics; a suggestion's follow-up run opens its curves. */
export async function openForgetting(ctx: CommandContext, arg: unknown): Promise<void> {
  if (arg === undefined) await ctx.runs.refresh();
  const run = runOf(ctx, arg) ?? ctx.runs.latest();
  if (run === undefined) {
    void vscode.window.showInformationMessage('Transfer Lab: no runs yet. Fine-tune a model first; its forgetting diagnostics appear after the first evaluation.');
    return;
  }
  ForgettingPanel.show({
    extensionUri: ctx.extension.extensionUri,
    server: ctx.server,
    globalStorageUri: ctx.extension.globalStorageUri,
    onRunStarted: (started) => {
      ctx.runs.upsert(started);
      TrainingPanel.show({ extensionUri: ctx.extension.extensionUri, server: ctx.server }, started);
    },
  }, run);
}

export async function revealRunFolder(ctx: CommandContext, arg: unknown): Promise<void> {
  const run = runOf(ctx, arg);
  if (run !== undefined) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(run.runDir));
}

/** "Delete Run…": modal confirmation, refused while the run is queued or training. */
export async function deleteRun(ctx: CommandContext, arg: unknown): Promise<void> {
  const run = runOf(ctx, arg);
  if (run === undefined) return;
  const current = ctx.runs.get(run.runId) ?? run;
  if (isActive(current)) {
    void vscode.window.showWarningMessage(`Transfer Lab: run ${run.runId} is ${current.state}. Cancel it before deleting it.`);
    return;
  }
  const remove = 'Delete';
  const choice = await vscode.window.showWarningMessage(
    `Delete run ${run.runId}?`,
    { modal: true, detail: `This deletes ${run.runDir} (metrics, checkpoints and the fine-tuned model). It cannot be undone.` },
    remove,
  );
  if (choice !== remove) return;
  await vscode.workspace.fs.delete(vscode.Uri.file(run.runDir), { recursive: true, useTrash: false });
  ctx.runs.remove(run.runId);
  ctx.views.models.refresh();
}
