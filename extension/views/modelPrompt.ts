// "Prompt with This Model…" on a model of the Models view: the selection (or a text the user
// types) continued by a causal / seq2seq LM, or a masked LM's fill-mask predictions, in the
// Prompt panel. The model becomes the workspace's model for that task (as if picked there).
import * as vscode from 'vscode';
import type { ModelSummary } from '../../server/protocol';
import type { CommandContext } from '../commands';
import { rememberModel } from '../prompt/modelChoice';
import { promptCommands } from '../prompt/promptFeature';
import { findMasks, MASK_TOKENS } from '../prompt/promptText';
import { modelDescription, promptTaskOf, type ModelsNode } from './modelsView';

function modelOfNode(arg: unknown): ModelSummary | undefined {
  const node = arg as ModelsNode | undefined;
  return typeof node === 'object' && node !== null && node.kind === 'model' ? node.model : undefined;
}

async function pickPromptModel(ctx: CommandContext): Promise<ModelSummary | undefined> {
  const { models } = await ctx.views.models.models();
  const usable = models.filter((m) => promptTaskOf(m.head) !== undefined);
  if (usable.length === 0) {
    void vscode.window.showErrorMessage('Transfer Lab: no model with a language-model head (causal-lm, seq2seq-lm or masked-lm) in this workspace, transferLab.modelPaths or the runs folder.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(usable.map((m) => ({ label: m.name, description: modelDescription(m), detail: m.dir, m })), { title: 'Prompt with a model', placeHolder: 'Model' });
  return picked?.m;
}

export async function promptWithModel(ctx: CommandContext, arg: unknown): Promise<void> {
  const model = modelOfNode(arg) ?? (await pickPromptModel(ctx));
  if (model === undefined) return;
  const task = promptTaskOf(model.head);
  if (task === undefined) {
    void vscode.window.showWarningMessage(`Transfer Lab: ${model.name} has a ${model.head} head, which cannot generate text or fill masks. Prompt a model with a causal-lm, seq2seq-lm or masked-lm head; Inspect Attention… works on any model.`);
    return;
  }
  const editor = vscode.window.activeTextEditor;
  const selected = editor !== undefined && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
  const text = selected.trim() !== '' && (task === 'generate' || findMasks(selected).length > 0) ? selected : await vscode.window.showInputBox({
    title: `Prompt ${model.name}`,
    prompt: task === 'generate' ? 'Text for the model to continue' : `Text with ${MASK_TOKENS.join(' or ')} where a word should be predicted`,
    placeHolder: task === 'generate' ? 'Once upon a time' : 'Paris is the [MASK] of France.',
    ignoreFocusOut: true,
    validateInput: (v) => task === 'fillMask' && v.trim() !== '' && findMasks(v).length === 0 ? `Write ${MASK_TOKENS.join(' or ')} where a word should be predicted.` : undefined,
  });
  if (text === undefined || text.trim() === '') return;
  await rememberModel(ctx.extension, task, model.dir);
  const commands = promptCommands(ctx);
  if (task === 'generate') await commands.runPrompt({ promptText: text });
  else await commands.fillMask({ promptText: text });
}
