// "Pretrain…" on a folder or a .txt/.md/.raw file: family, size, steps and output folder as quick
// picks (Back between them), then a pretraining job in the server, shown as a progress
// notification with Cancel. When it completes the Models view lists the new model.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PretrainJob } from '../../server/protocol';
import type { TrainingServer } from '../client';
import { COMMANDS } from '../commandIds';
import { pickStep, type StepResult } from '../wizard/quickPickStep';
import { defaultOutputFolder, isPretrainTextFile, PRETRAIN_FAMILIES, PRETRAIN_SIZES, PRETRAIN_STEPS, PRETRAIN_TEXT_EXTENSIONS } from './pretrainPlan';

const TOTAL_STEPS = 4;

/** The corpus a command was invoked on: the Explorer's folder or file, the active text file, or an Open dialog. */
async function resolveCorpus(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active !== undefined && active.scheme === 'file' && isPretrainTextFile(active.fsPath)) return active;
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false, openLabel: 'Pretrain on This', title: 'Text corpus to pretrain on',
    filters: { 'Text corpora': [...PRETRAIN_TEXT_EXTENSIONS], 'Datasets (text column)': ['csv', 'tsv', 'jsonl', 'json'] },
    ...(vscode.workspace.workspaceFolders?.[0] !== undefined ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
  });
  return picked?.[0];
}

interface Plan {
  family: string;
  size: string;
  steps: number;
  out: string;
}

async function outputStep(title: string, plan: Plan, corpus: string, root: string | undefined): Promise<StepResult<string>> {
  const suggested = defaultOutputFolder(corpus, plan.family, plan.size, root, (p) => fs.existsSync(p));
  const shown = (p: string): string => (root !== undefined && p.startsWith(root + path.sep) ? path.relative(root, p) : p);
  const r = await pickStep<string | null>({
    title, step: 4, totalSteps: TOTAL_STEPS, placeholder: 'Output model folder (Hugging Face layout, plus probe.txt)',
    items: [
      { label: shown(suggested), description: 'new folder', value: suggested },
      { label: '$(edit) Another folder…', value: null },
    ],
  });
  if (r.kind !== 'picked') return r;
  if (r.value !== null) return { kind: 'picked', value: r.value };
  const typed = await vscode.window.showInputBox({
    title, prompt: 'Output folder: a new or empty folder (relative paths are taken from the workspace folder)', value: shown(suggested), ignoreFocusOut: true,
    validateInput: (text) => (text.trim() === '' ? 'Give a folder name.' : undefined),
  });
  if (typed === undefined) return outputStep(title, plan, corpus, root);
  const value = typed.trim();
  return { kind: 'picked', value: path.isAbsolute(value) ? value : path.resolve(root ?? path.dirname(corpus), value) };
}

/** Asks family, size, steps and output; undefined when the user cancelled. */
async function askPlan(corpus: string): Promise<Plan | undefined> {
  const title = `Pretrain on ${path.basename(corpus)}`;
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const plan: Plan = { family: 'bert', size: 'tiny', steps: PRETRAIN_STEPS[0] ?? 300, out: '' };
  const steps: (() => Promise<StepResult<unknown>>)[] = [
    async () => {
      const r = await pickStep({ title, step: 1, totalSteps: TOTAL_STEPS, placeholder: 'Model family (its pretraining objective)',
        items: PRETRAIN_FAMILIES.map((f) => ({ label: f.family, description: `${f.objective} · ${f.description}`, value: f.family })) });
      if (r.kind === 'picked') plan.family = r.value;
      return r;
    },
    async () => {
      const r = await pickStep({ title, step: 2, totalSteps: TOTAL_STEPS, placeholder: `Size of the fresh ${plan.family}`,
        items: PRETRAIN_SIZES.map((s) => ({ label: s.size, description: s.description, value: s.size })) });
      if (r.kind === 'picked') plan.size = r.value;
      return r;
    },
    async () => {
      const r = await pickStep({ title, step: 3, totalSteps: TOTAL_STEPS, placeholder: 'Optimizer steps (32 sequences of 64 tokens each)',
        items: PRETRAIN_STEPS.map((n, i) => ({ label: `${n.toLocaleString('en-US')} steps`, ...(i === 0 ? { description: 'default' } : {}), value: n })) });
      if (r.kind === 'picked') plan.steps = r.value;
      return r;
    },
    async () => {
      const r = await outputStep(title, plan, corpus, root);
      if (r.kind === 'picked') plan.out = r.value;
      return r;
    },
  ];
  for (let i = 0; i < steps.length; ) {
    const r = await steps[i]!();
    if (r.kind === 'cancel' || r.kind === 'button') return undefined;
    i = r.kind === 'back' ? Math.max(0, i - 1) : i + 1;
  }
  return plan;
}

/** The command: asks, then starts the job (progress and Cancel come from the server). */
export async function pretrain(server: TrainingServer, arg: unknown): Promise<PretrainJob | undefined> {
  const corpus = await resolveCorpus(arg);
  if (corpus === undefined) return undefined;
  const plan = await askPlan(corpus.fsPath);
  if (plan === undefined) return undefined;
  const { job } = await server.startPretrain({ config: { corpus: corpus.fsPath, out: plan.out, family: plan.family, size: plan.size, steps: plan.steps } });
  return job;
}

/** Tells the user how each job ended; a completed one refreshes the Models view and offers the next step. */
export function watchPretrainJobs(server: TrainingServer, refreshModels: () => void): vscode.Disposable {
  return server.onPretrainState(async ({ job }) => {
    const what = `${job.family === 'folder' ? 'the model' : `${job.family}-${job.size}`} on ${path.basename(job.corpus)}`;
    if (job.state === 'cancelled') {
      void vscode.window.showInformationMessage(`Transfer Lab: pretraining ${what} was cancelled; nothing was written.`);
      return;
    }
    if (job.state === 'failed') {
      void vscode.window.showErrorMessage(`Transfer Lab: pretraining ${what} failed: ${job.message ?? 'see the server log'}`);
      return;
    }
    if (job.state !== 'completed') return;
    refreshModels();
    const loss = job.heldOutLoss !== null ? ` (held-out loss ${job.heldOutLoss.toFixed(3)})` : '';
    const fineTune = COMMANDS.fineTuneFromModel.title;
    const reveal = COMMANDS.revealModel.title;
    const choice = await vscode.window.showInformationMessage(`Transfer Lab: pretrained ${what} in ${job.steps} steps${loss}. The model is in ${job.out}.`, fineTune, reveal);
    if (choice === fineTune) await vscode.commands.executeCommand(COMMANDS.fineTuneFromModel.id, job.out);
    else if (choice === reveal) await vscode.commands.executeCommand(COMMANDS.revealModel.id, job.out);
  });
}
