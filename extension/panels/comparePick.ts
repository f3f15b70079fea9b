// "Compare with…": a multi-select quick pick of the other runs in a run's runs folder (RunList),
// the ones already overlaid ticked, so the same pick adds and removes runs.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../server/protocol';
import type { TrainingServer } from '../client';

/** Runs overlaid besides the panel's own: one colour each in the theme's chart palette. */
export const MAX_COMPARED_RUNS = 5;

/** "sms_spam.csv · tiny · lora · completed". */
export function runPickDescription(run: RunSummary): string {
  const model = path.isAbsolute(run.config.model) ? path.basename(run.config.model) : run.config.model;
  return [path.basename(run.config.dataset), model, run.config.strategy ?? 'full', run.state].join(' · ');
}

/** "step 120/400 · loss 0.310 · acc 91.2%": what is known of a run's progress. */
export function runPickDetail(run: RunSummary): string {
  const parts = [run.totalSteps > 0 ? `step ${run.lastStep}/${run.totalSteps}` : `step ${run.lastStep}`];
  if (run.lastLoss !== null) parts.push(`loss ${run.lastLoss.toFixed(3)}`);
  if (run.lastValAccuracy !== null) parts.push(`acc ${(run.lastValAccuracy * 100).toFixed(1)}%`);
  parts.push(`started ${new Date(run.createdAt).toLocaleString()}`);
  return parts.join(' · ');
}

/**
 * Asks which runs to overlay on `base` (those in `current` preselected). Undefined when the user
 * dismissed the pick or there is nothing to compare with; otherwise at most MAX_COMPARED_RUNS runs.
 */
export async function pickRunsToCompare(server: TrainingServer, base: RunSummary, current: readonly string[]): Promise<RunSummary[] | undefined> {
  const runsDir = path.dirname(base.runDir);
  const { runs } = await server.listRuns({ runsDir });
  const others = runs.filter((r) => r.runId !== base.runId);
  if (others.length === 0) {
    void vscode.window.showInformationMessage(`Transfer Lab: ${runsDir} has no other run to compare ${base.runId} with. Fine-tune again (another model, strategy or learning rate) and compare the two.`);
    return undefined;
  }
  const items = others.map((run) => ({ label: run.runId, description: runPickDescription(run), detail: runPickDetail(run), picked: current.includes(run.runId), run }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Compare ${base.runId} with…`,
    placeHolder: `Runs to overlay on its curves (up to ${MAX_COMPARED_RUNS})`,
    canPickMany: true,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (picked === undefined) return undefined;
  if (picked.length > MAX_COMPARED_RUNS) {
    void vscode.window.showWarningMessage(`Transfer Lab: ${picked.length} runs picked; the panel overlays the first ${MAX_COMPARED_RUNS}.`);
  }
  return picked.slice(0, MAX_COMPARED_RUNS).map((p) => p.run);
}
