// "Edit as JSON": the full resolved run configuration written to `<dataset>.tlab.json` beside the
// dataset and opened in the editor, where the contributed schema (schemas/run.schema.json)
// completes and checks every key. From the wizard (its answers) or as a command (the defaults).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FineTuneConfig } from '../../server/protocol';
import type { TrainingServer } from '../client';
import { draftToConfig, effectiveSettings, initialDraft, taskInfo } from './draftConfig';
import { suggestMaxLength } from './maxLengthAdvice';
import { recommendStrategy } from './strategyAdvice';
import { tlabPathFor, toTlabJson } from './tlabFile';
import { readSummary } from './datasetSummary';
import * as config from '../config';
import { uriExists } from '../uriExists';

async function open(uri: vscode.Uri): Promise<vscode.Uri> {
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  return uri;
}

/**
 * Resolves `partial` on the server (every default filled, every value checked) and writes it to
 * the dataset's *.tlab.json, asking before replacing one; resolves with the file opened, or
 * undefined when the user kept neither.
 */
export async function writeRunConfigFile(server: TrainingServer, partial: Partial<FineTuneConfig> & { readonly dataset: string }): Promise<vscode.Uri | undefined> {
  const { config: resolved } = await server.resolveConfig({ config: partial });
  const file = vscode.Uri.file(tlabPathFor(resolved.dataset));
  if (await uriExists(file)) {
    const replace = 'Replace';
    const keep = 'Open Existing';
    const choice = await vscode.window.showWarningMessage(
      `${path.basename(file.fsPath)} already exists. Replace it with these settings?`, { modal: true }, replace, keep,
    );
    if (choice === keep) return open(file);
    if (choice !== replace) return undefined;
  }
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(toTlabJson(resolved, path.dirname(file.fsPath))));
  return open(file);
}

/**
 * The command: opens the dataset's *.tlab.json, or first writes one with the wizard's defaults
 * (detected columns, recommended task and strategy, suggested max length).
 */
export async function editRunConfig(server: TrainingServer, dataset: vscode.Uri): Promise<void> {
  const file = vscode.Uri.file(tlabPathFor(dataset.fsPath));
  if (await uriExists(file)) {
    await open(file);
    return;
  }
  const { summary } = await readSummary(server, dataset);
  const draft = initialDraft(dataset.fsPath, summary, 'full');
  draft.strategy = recommendStrategy({ rows: summary?.rows ?? 0, task: taskInfo(draft.task).task, freshModel: true });
  let suggestion: number | null = null;
  if (summary !== null && draft.task !== 'tokens') {
    const lengths = await server.tokenLengths({ path: dataset.fsPath, model: draft.model, textColumn: draft.textColumn }).catch(() => null);
    if (lengths !== null) suggestion = suggestMaxLength(lengths.lengths.p95, lengths.modelMaxLength);
  }
  await writeRunConfigFile(server, draftToConfig({ ...draft, settings: effectiveSettings(draft, suggestion, config.defaultEpochs()) }));
}
