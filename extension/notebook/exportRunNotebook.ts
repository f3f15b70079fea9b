// "Export Run to Notebook…" (Runs view context menu, Command Palette): asks where (beside the run
// folder, or a Save dialog), gathers the run's metric history and, when its fine-tuned model is
// there, its attention maps for a sample sentence (RunHistory, ModelAttention), writes the .ipynb
// that runNotebook.ts assembles and opens it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../server/protocol';
import type { CommandContext } from '../commands';
import { runOf } from '../views/viewCommands';
import { buildRunNotebook, defaultNotebookPath, serializeNotebook, type RunAttention } from './runNotebook';
import { uriExists } from '../uriExists';
import { errorText } from '../errors';

/** The sentence whose attention maps the notebook shows (its code cell lets the user change it). */
export const SAMPLE_SENTENCE = 'The movie was good, and the cat sat on the mat.';

/** Model folders of a run, most useful first: the model at the end of training, else the best one. */
const RUN_MODEL_FOLDERS = ['final', 'best'] as const;

async function pickRun(ctx: CommandContext): Promise<RunSummary | undefined> {
  await ctx.runs.refresh();
  const runs = ctx.runs.all();
  if (runs.length === 0) {
    void vscode.window.showInformationMessage('Transfer Lab: no runs to export yet. Fine-tune a model first (right-click a dataset → "Fine-tune on this dataset…").');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    runs.map((run) => ({ label: run.runId, description: `${run.state} · ${path.basename(run.config.dataset)}`, detail: run.runDir, run })),
    { title: 'Export Run to Notebook', placeHolder: 'Run to export', matchOnDetail: true },
  );
  return picked?.run;
}

async function pickTarget(run: RunSummary): Promise<vscode.Uri | undefined> {
  const beside = vscode.Uri.file(defaultNotebookPath(run.runDir));
  const choose = 'Choose a location…';
  const picked = await vscode.window.showQuickPick(
    [{ label: 'Next to the run folder', detail: beside.fsPath }, { label: choose, detail: 'Save the notebook anywhere' }],
    { title: `Export ${run.runId} to a notebook`, placeHolder: 'Where to write the notebook' },
  );
  if (picked === undefined) return undefined;
  if (picked.label !== choose) return beside;
  return vscode.window.showSaveDialog({ title: 'Export Run to Notebook', defaultUri: beside, filters: { 'Jupyter notebook': ['ipynb'] } });
}

/** The run's attention maps for SAMPLE_SENTENCE, or why there are none (never throws). */
async function runAttention(ctx: CommandContext, run: RunSummary): Promise<RunAttention> {
  let modelDir: string | undefined;
  for (const folder of RUN_MODEL_FOLDERS) {
    const dir = path.join(run.runDir, folder);
    if (await uriExists(vscode.Uri.file(path.join(dir, 'config.json')))) {
      modelDir = dir;
      break;
    }
  }
  if (modelDir === undefined) return { kind: 'unavailable', reason: `the run (${run.state}) has no model folder yet (${RUN_MODEL_FOLDERS.join('/ or ')}/ in ${run.runDir}).` };
  try {
    const result = await ctx.server.modelAttention({ model: modelDir, text: SAMPLE_SENTENCE });
    return { kind: 'maps', modelDir, modelName: `${run.runId} (${path.basename(modelDir)})`, text: SAMPLE_SENTENCE, result };
  } catch (error) {
    return { kind: 'unavailable', reason: `computing them with ${modelDir} failed: ${errorText(error)}` };
  }
}

export async function exportRunNotebook(ctx: CommandContext, arg: unknown): Promise<void> {
  const run = runOf(ctx, arg) ?? (await pickRun(ctx));
  if (run === undefined) return;
  const target = await pickTarget(run);
  if (target === undefined) return;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Exporting ${run.runId} to ${path.basename(target.fsPath)}…` },
    async () => {
      const { run: latest, events } = await ctx.server.runHistory({ runDir: run.runDir });
      const attention = await runAttention(ctx, latest);
      if (attention.kind === 'unavailable') ctx.server.output.info(`Export Run to Notebook: no attention maps: ${attention.reason}`);
      const notebook = buildRunNotebook({ run: latest, events, attention, notebookDir: path.dirname(target.fsPath), exportedAt: new Date().toISOString() });
      await vscode.workspace.fs.writeFile(target, Buffer.from(serializeNotebook(notebook), 'utf8'));
    },
  );
  try {
    await vscode.window.showNotebookDocument(await vscode.workspace.openNotebookDocument(target));
  } catch (error) {
    // No notebook support for .ipynb (VS Code's built-in Jupyter serializer disabled): say where it is.
    const reveal = 'Reveal in Explorer';
    const choice = await vscode.window.showWarningMessage(
      `Transfer Lab: wrote ${target.fsPath} but could not open it as a notebook (${errorText(error)}). Enable the built-in "Jupyter Notebook" support (ipynb extension) or open it in Jupyter.`,
      reveal,
    );
    if (choice === reveal) await vscode.commands.executeCommand('revealInExplorer', target);
  }
}
