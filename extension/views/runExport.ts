// The Runs view's Export actions: the run's Hugging Face model folder or PEFT adapter copied into
// a folder the user picks, or its report.html saved where the user says. What is copied, and why
// there may be nothing yet, is decided in runExportSource.ts.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../server/protocol';
import type { CommandContext } from '../commands';
import { COMMANDS } from '../commandIds';
import { isActive } from '../runs';
import { exportSource, type RunExportKind } from './runExportSource';
import { runOf } from './viewCommands';

const WHAT: Record<RunExportKind, string> = {
  model: 'Hugging Face model folder',
  adapter: 'PEFT adapter',
  report: 'report',
};

const COMMAND_OF: Record<RunExportKind, { readonly id: string; readonly title: string }> = {
  model: COMMANDS.exportRunModel,
  adapter: COMMANDS.exportRunAdapter,
  report: COMMANDS.exportRunReport,
};

/** "Export Hugging Face Folder…", "Export PEFT Adapter…", "Export Report…" on a run (or a picked one). */
export async function exportRun(ctx: CommandContext, arg: unknown, kind: RunExportKind): Promise<void> {
  const run = runOf(ctx, arg) ?? (await pickFinishedRun(ctx, kind));
  if (run === undefined) return;
  const source = exportSource(run, kind, existsSync);
  if (!source.ok) {
    const offer = source.offer === undefined ? undefined : COMMAND_OF[source.offer];
    const choice = await vscode.window.showWarningMessage(`Transfer Lab: ${source.message}`, ...(offer !== undefined ? [offer.title] : []));
    if (offer !== undefined && choice === offer.title && source.offer !== undefined) await exportRun(ctx, run, source.offer);
    return;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  let target: vscode.Uri | undefined;
  if (source.isFolder) {
    const parent = await vscode.window.showOpenDialog({
      canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Export Here',
      title: `Export the ${WHAT[kind]} of ${run.runId} into a folder (as ${source.suggestedName}/)`,
      ...(folder !== undefined ? { defaultUri: folder } : {}),
    });
    if (parent?.[0] === undefined) return;
    target = vscode.Uri.joinPath(parent[0], source.suggestedName);
  } else {
    target = await vscode.window.showSaveDialog({
      title: `Save the report of ${run.runId}`,
      filters: { 'HTML report': ['html'] },
      ...(folder !== undefined ? { defaultUri: vscode.Uri.joinPath(folder, source.suggestedName) } : {}),
    });
    if (target === undefined) return;
  }
  if (existsSync(target.fsPath) && path.resolve(target.fsPath) !== path.resolve(source.source)) {
    const replace = 'Replace';
    const choice = await vscode.window.showWarningMessage(`${path.basename(target.fsPath)} already exists in ${path.dirname(target.fsPath)}. Replace it?`, { modal: true }, replace);
    if (choice !== replace) return;
  }
  await vscode.workspace.fs.copy(vscode.Uri.file(source.source), target, { overwrite: true });
  await announce(kind, run, target);
}

async function announce(kind: RunExportKind, run: RunSummary, target: vscode.Uri): Promise<void> {
  const reveal = 'Reveal in Explorer';
  const open = 'Open in Browser';
  const hint = kind === 'model' ? ' transformers’ from_pretrained loads it.' : kind === 'adapter' ? ' PEFT’s PeftModel.from_pretrained(base, folder) loads it.' : '';
  const choice = await vscode.window.showInformationMessage(
    `Transfer Lab: exported the ${WHAT[kind]} of ${run.runId} to ${target.fsPath}.${hint}`,
    ...(kind === 'report' ? [open, reveal] : [reveal]),
  );
  if (choice === reveal) await vscode.commands.executeCommand('revealInExplorer', target);
  if (choice === open) await vscode.env.openExternal(target);
}

async function pickFinishedRun(ctx: CommandContext, kind: RunExportKind): Promise<RunSummary | undefined> {
  await ctx.runs.refresh();
  const runs = ctx.runs.all().filter((r) => !isActive(r));
  if (runs.length === 0) {
    void vscode.window.showInformationMessage('Transfer Lab: no finished run to export yet.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    runs.map((r) => ({ label: r.runId, description: `${r.state} · ${path.basename(r.config.dataset)} · ${r.config.strategy ?? 'full'}`, run: r })),
    { title: `Export the ${WHAT[kind]} of a run`, placeHolder: 'Run' },
  );
  return picked?.run;
}
