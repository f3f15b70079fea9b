// One table: command id → handler. Commands that need the training server say so; while it is
// down they show why, with "Show Logs" and "Restart Training Server", instead of failing later.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../server/protocol';
import { ServerDownError, type TrainingServer } from './client';
import { COMMANDS, DATASET_EXTENSIONS, type CommandKey } from './commandIds';
import * as config from './config';
import { reportError } from './errors';
import { exportRunNotebook } from './notebook/exportRunNotebook';
import { TrainingPanel } from './panels/trainingPanel';
import { promptCommands } from './prompt/promptFeature';
import type { RunRegistry } from './runs';
import { pretrain } from './pretrain/pretrainCommand';
import { editRunConfig } from './wizard/editAsJson';
import { isDatasetUri, runFineTuneWizard } from './wizard/fineTuneWizard';
import { resolveConfigFile, runConfigFile } from './wizard/runConfigFile';
import type { Views } from './views/registerViews';
import { promptWithModel } from './views/modelPrompt';
import { exportRun } from './views/runExport';
import { openSampleDataset } from './views/sampleDataset';
import * as viewCommands from './views/viewCommands';
import { resumeRun } from './views/resumeRun';

export interface CommandContext {
  readonly extension: vscode.ExtensionContext;
  readonly server: TrainingServer;
  readonly runs: RunRegistry;
  /** The Models and Runs tree views. */
  readonly views: Views;
}

interface CommandSpec {
  /** Refuse up front (with Show Logs / Restart) while the server is down. */
  readonly needsServer: boolean;
  /** Refuse in Restricted Mode (package.json: untrustedWorkspaces "limited"), before anything else. */
  readonly needsTrust?: boolean;
  readonly run: (ctx: CommandContext, args: readonly unknown[]) => Promise<void>;
}

const HANDLERS: Record<CommandKey, CommandSpec> = {
  fineTune: { needsServer: true, needsTrust: true, run: (ctx, [uri]) => fineTune(ctx, uri) },
  editRunConfig: {
    needsServer: true,
    needsTrust: true,
    run: async (ctx, [uri]) => {
      const dataset = await resolveDataset(uri);
      if (dataset !== undefined) await editRunConfig(ctx.server, dataset);
    },
  },
  runConfigFile: { needsServer: true, needsTrust: true, run: (ctx, [uri]) => runConfigFileCommand(ctx, uri) },
  pretrain: { needsServer: true, needsTrust: true, run: async (ctx, [uri]) => void (await pretrain(ctx.server, uri)) },
  showTrainingPanel: { needsServer: true, run: (ctx, [runId]) => showTrainingPanel(ctx, runId) },
  cancelRun: { needsServer: true, run: (ctx, [arg]) => cancelRun(ctx, viewCommands.runOf(ctx, arg)?.runId ?? arg) },
  showLogs: { needsServer: false, run: async (ctx) => ctx.server.output.show() },
  restartServer: { needsServer: false, run: (ctx) => ctx.server.restart() },
  inspectAttention: { needsServer: true, needsTrust: true, run: (ctx, [arg]) => viewCommands.inspectAttention(ctx, arg) },
  fineTuneFromModel: {
    needsServer: true,
    needsTrust: true,
    run: (ctx, [arg]) => viewCommands.fineTuneFromModel(ctx, arg, resolveDataset, (dataset, model) => fineTune(ctx, dataset, model)),
  },
  revealModel: { needsServer: false, run: (_ctx, [arg]) => viewCommands.revealModel(arg) },
  refreshModels: { needsServer: true, run: async (ctx) => ctx.views.models.refresh() },
  refreshRuns: { needsServer: true, run: (ctx) => ctx.views.runs.reload() },
  openRunCurves: { needsServer: true, run: (ctx, [arg]) => viewCommands.openRunCurves(ctx, arg) },
  openForgetting: { needsServer: true, run: (ctx, [arg]) => viewCommands.openForgetting(ctx, arg) },
  compareRuns: { needsServer: true, run: (ctx, [arg]) => viewCommands.compareRuns(ctx, arg) },
  revealRunFolder: { needsServer: false, run: (ctx, [arg]) => viewCommands.revealRunFolder(ctx, arg) },
  deleteRun: { needsServer: false, needsTrust: true, run: (ctx, [arg]) => viewCommands.deleteRun(ctx, arg) },
  resumeRun: { needsServer: true, needsTrust: true, run: (ctx, [arg]) => resumeRun(ctx, arg) },
  exportRunModel: { needsServer: true, run: (ctx, [arg]) => exportRun(ctx, arg, 'model') },
  exportRunAdapter: { needsServer: true, run: (ctx, [arg]) => exportRun(ctx, arg, 'adapter') },
  exportRunReport: { needsServer: true, run: (ctx, [arg]) => exportRun(ctx, arg, 'report') },
  promptWithModel: { needsServer: true, needsTrust: true, run: (ctx, [arg]) => promptWithModel(ctx, arg) },
  openSampleDataset: { needsServer: false, run: (ctx) => openSampleDataset(ctx) },
  runPrompt: { needsServer: true, needsTrust: true, run: (ctx, [arg]) => promptCommands(ctx).runPrompt(arg) },
  classifySelection: { needsServer: true, needsTrust: true, run: (ctx, [arg]) => promptCommands(ctx).classifySelection(arg) },
  fillMask: { needsServer: true, needsTrust: true, run: (ctx, [arg]) => promptCommands(ctx).fillMask(arg) },
  exportRunNotebook: { needsServer: true, needsTrust: true, run: (ctx, [arg]) => exportRunNotebook(ctx, arg) },
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return (Object.keys(HANDLERS) as CommandKey[]).map((key) =>
    vscode.commands.registerCommand(COMMANDS[key].id, (...args: unknown[]) => invoke(ctx, key, args)),
  );
}

async function invoke(ctx: CommandContext, key: CommandKey, args: readonly unknown[]): Promise<void> {
  const spec = HANDLERS[key];
  if (spec.needsTrust === true && !vscode.workspace.isTrusted) {
    await refuseUntrusted();
    return;
  }
  try {
    if (spec.needsServer && ctx.server.status.kind === 'stopped') {
      throw new ServerDownError(ctx.server.status.reason);
    }
    await spec.run(ctx, args);
  } catch (error) {
    await reportError(ctx.server, error, COMMANDS[key].title.replace(/…$/, ''));
  }
}

/** Restricted Mode: say what is disabled and why, and offer the way out. */
async function refuseUntrusted(): Promise<void> {
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showErrorMessage(
    "Transfer Lab: training and checkpoint loading are disabled in Restricted Mode: they read files and settings (such as where runs are written) chosen by this workspace's authors. Trust the workspace to fine-tune.",
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
}

async function fineTune(ctx: CommandContext, arg: unknown, model?: string): Promise<void> {
  const dataset = await resolveDataset(arg);
  if (dataset === undefined) return;
  const result = await runFineTuneWizard({ server: ctx.server, extension: ctx.extension, models: () => ctx.views.models.models() }, dataset, model);
  if (result?.kind === 'started') showStartedRun(ctx, result.run);
}

async function runConfigFileCommand(ctx: CommandContext, arg: unknown): Promise<void> {
  const file = await resolveConfigFile(arg);
  if (file === undefined) return;
  const run = await runConfigFile(ctx.server, ctx.extension.globalStorageUri, file);
  if (run !== undefined) showStartedRun(ctx, run);
}

function showStartedRun(ctx: CommandContext, run: RunSummary): void {
  ctx.runs.upsert(run);
  TrainingPanel.show({ extensionUri: ctx.extension.extensionUri, server: ctx.server }, run);
}

/** The Explorer / editor-title Uri, else the active editor's dataset, else an Open dialog. */
async function resolveDataset(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) {
    if (isDatasetUri(arg)) return arg;
    void vscode.window.showErrorMessage(`Transfer Lab: ${path.basename(arg.fsPath)} is not a dataset (expected .${DATASET_EXTENSIONS.join(', .')}).`);
    return undefined;
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active !== undefined && active.scheme === 'file' && isDatasetUri(active)) return active;
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Fine-tune',
    title: 'Dataset to fine-tune on',
    filters: { Datasets: [...DATASET_EXTENSIONS] },
    ...(vscode.workspace.workspaceFolders?.[0] !== undefined ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
  });
  return picked?.[0];
}

async function showTrainingPanel(ctx: CommandContext, arg: unknown): Promise<void> {
  let run = typeof arg === 'string' ? ctx.runs.get(arg) : ctx.runs.latest();
  if (run === undefined) {
    await ctx.runs.refresh();
    run = ctx.runs.latest();
  }
  if (run === undefined) {
    const choice = await vscode.window.showInformationMessage(
      `Transfer Lab: no runs yet in ${config.runsDirectory(ctx.extension.globalStorageUri)}. Right-click a dataset and choose "${COMMANDS.fineTune.title}".`,
      COMMANDS.fineTune.title,
    );
    if (choice !== undefined) await vscode.commands.executeCommand(COMMANDS.fineTune.id);
    return;
  }
  TrainingPanel.show({ extensionUri: ctx.extension.extensionUri, server: ctx.server }, run);
}

async function cancelRun(ctx: CommandContext, arg: unknown): Promise<void> {
  await ctx.runs.refresh();
  const active = ctx.runs.active();
  const target = typeof arg === 'string' ? active.find((r) => r.runId === arg) : await pickActiveRun(ctx.runs, active);
  if (target === undefined) {
    if (active.length === 0) void vscode.window.showInformationMessage('Transfer Lab: no run is queued or training.');
    return;
  }
  const { state } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Cancelling ${path.basename(target.config.dataset)}…` },
    () => ctx.server.cancelRun({ runId: target.runId }),
  );
  void vscode.window.showInformationMessage(`Transfer Lab: run ${target.runId} is ${state}.`);
}

async function pickActiveRun(runs: RunRegistry, active: readonly RunSummary[]): Promise<RunSummary | undefined> {
  if (active.length === 0) return undefined;
  const picked = await vscode.window.showQuickPick(
    active.map((run) => ({
      label: path.basename(run.config.dataset),
      description: `${run.state} · step ${runs.progressOf(run.runId)?.step ?? run.lastStep}/${run.totalSteps} · ${run.config.model === 'tiny' ? 'tiny' : path.basename(run.config.model)}`,
      detail: run.runDir,
      run,
    })),
    { title: COMMANDS.cancelRun.title, placeHolder: 'Run to cancel (its last checkpoint is kept)' },
  );
  return picked?.run;
}
