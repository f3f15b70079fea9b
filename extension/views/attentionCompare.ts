// Base vs fine-tuned in the Attention panel: the base model of a run's output (found from the
// run's configuration), and the quick picks behind "Compare with base…" / "Compare with
// fine-tuned run…".
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelSummary, RunSummary } from '../../server/protocol';
import type { CommandContext } from '../commands';
import type { ModelRef } from '../panels/attentionPanel';
import { modelDescription } from './modelsView';

/** Model folders a run writes (server/checkpoints/discoverModels.ts lists the same two). */
const RUN_MODEL_FOLDERS = ['final', 'best'] as const;

/** The run whose output folder `dir` is, if any. */
export async function runOfModelDir(ctx: CommandContext, dir: string): Promise<RunSummary | undefined> {
  if (ctx.runs.all().length === 0) await ctx.runs.refresh();
  const target = path.resolve(dir);
  return ctx.runs.all().find((run) => RUN_MODEL_FOLDERS.some((sub) => path.resolve(run.runDir, sub) === target));
}

/** What a comparison of a run's output can use: its base model, or why there is none. */
export interface BaseOfRun {
  readonly base?: ModelRef;
  readonly notice?: string;
}

/** The model `run` was fine-tuned from, when that is a model folder that still exists. */
export function baseOfRun(run: RunSummary): BaseOfRun {
  const from = run.config.model;
  if (!path.isAbsolute(from)) {
    return { notice: `Run ${run.runId} started from the fresh preset “${from}” (new weights and a vocabulary trained on the data): there is no pretrained base model to compare with.` };
  }
  if (!existsSync(path.join(from, 'config.json'))) {
    return { notice: `Run ${run.runId} was fine-tuned from ${from}, which is no longer a model folder: pick another base with “Compare with base…”.` };
  }
  return { base: { model: from, name: path.basename(from) } };
}

/** Quick pick of the other side of a comparison with `current` (the extension's pickComparison). */
export async function pickComparison(ctx: CommandContext, role: 'base' | 'fine-tuned', current: ModelRef): Promise<ModelRef | undefined> {
  const { models } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Transfer Lab: looking for models…' },
    () => ctx.views.models.models(),
  );
  const here = path.resolve(current.model);
  const others = models.filter((m) => path.resolve(m.dir) !== here);
  if (role === 'base') return pickBase(ctx, others, current);
  return pickTuned(ctx, others, current);
}

async function pickBase(ctx: CommandContext, models: readonly ModelSummary[], current: ModelRef): Promise<ModelRef | undefined> {
  const run = await runOfModelDir(ctx, current.model);
  const own = run === undefined ? undefined : baseOfRun(run).base;
  if (models.length === 0) {
    void vscode.window.showInformationMessage('Transfer Lab: no other model folder to compare with. Add one to the workspace or to transferLab.modelPaths.');
    return undefined;
  }
  // The model the run was fine-tuned from first: that is the comparison that makes sense.
  const sorted = [...models].sort((a, b) => Number(isDir(b, own)) - Number(isDir(a, own)));
  const picked = await vscode.window.showQuickPick(
    sorted.map((m) => ({ label: m.name, description: isDir(m, own) ? `base of this run · ${modelDescription(m)}` : modelDescription(m), detail: m.dir, m })),
    { title: `Compare ${current.name} with a base model`, placeHolder: 'Base model (the same tokenizer is needed for a difference map)', matchOnDescription: true, matchOnDetail: true },
  );
  return picked === undefined ? undefined : { model: picked.m.dir, name: picked.m.name };
}

async function pickTuned(ctx: CommandContext, models: readonly ModelSummary[], base: ModelRef): Promise<ModelRef | undefined> {
  const outputs = models.filter((m) => m.source === 'run');
  if (outputs.length === 0) {
    void vscode.window.showInformationMessage(`Transfer Lab: no fine-tuned run has an output model yet. Fine-tune ${base.name} first (Models view → Fine-tune from This Model…).`);
    return undefined;
  }
  const runs = new Map(ctx.runs.all().map((r) => [r.runId, r] as const));
  const fromBase = (m: ModelSummary): boolean => {
    const run = m.runId === null ? undefined : runs.get(m.runId);
    return run !== undefined && path.isAbsolute(run.config.model) && path.resolve(run.config.model) === path.resolve(base.model);
  };
  const sorted = [...outputs].sort((a, b) => Number(fromBase(b)) - Number(fromBase(a)));
  const picked = await vscode.window.showQuickPick(
    sorted.map((m) => ({ label: m.name, description: fromBase(m) ? `fine-tuned from ${base.name} · ${modelDescription(m)}` : modelDescription(m), detail: m.dir, m })),
    { title: `Compare ${base.name} with a fine-tuned run`, placeHolder: 'Fine-tuned model (a run’s output)', matchOnDescription: true, matchOnDetail: true },
  );
  return picked === undefined ? undefined : { model: picked.m.dir, name: picked.m.name };
}

function isDir(m: ModelSummary, ref: ModelRef | undefined): boolean {
  return ref !== undefined && path.resolve(m.dir) === path.resolve(ref.model);
}
