// "Resume Run" (Runs view context menu on an interrupted, cancelled or failed run, or the
// palette): the server continues the run from its last checkpoint under the same id, and its
// Training panel opens on the curves so far.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunState, RunSummary } from '../../server/protocol';
import type { CommandContext } from '../commands';
import { COMMANDS } from '../commandIds';
import { TrainingPanel } from '../panels/trainingPanel';
import { runOf } from './viewCommands';

const RESUMABLE: ReadonlySet<RunState> = new Set(['interrupted', 'cancelled', 'failed']);

export async function resumeRun(ctx: CommandContext, arg: unknown): Promise<void> {
  const target = runOf(ctx, arg) ?? (await pickResumable(ctx));
  if (target === undefined) return;
  const { run } = await ctx.server.resumeRun({ runDir: target.runDir });
  ctx.runs.upsert(run);
  TrainingPanel.show({ extensionUri: ctx.extension.extensionUri, server: ctx.server }, run);
}

async function pickResumable(ctx: CommandContext): Promise<RunSummary | undefined> {
  await ctx.runs.refresh();
  const runs = ctx.runs.all().filter((r) => RESUMABLE.has(r.state));
  if (runs.length === 0) {
    void vscode.window.showInformationMessage('Transfer Lab: no interrupted, cancelled or failed run to resume.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    runs.map((run) => ({ label: path.basename(run.config.dataset), description: `${run.state} · step ${run.lastStep}/${run.totalSteps}`, detail: run.runDir, run })),
    { title: COMMANDS.resumeRun.title, placeHolder: 'Run to continue from its last checkpoint' },
  );
  return picked?.run;
}
