// Wires the prompt commands into the extension without widening commands.ts's CommandContext:
// one PromptCommands per extension context, created on first use, plus the CodeLens of
// `*.prompt.md` files (registered from main.ts).
import * as vscode from 'vscode';
import type { TrainingServer } from '../client';
import { COMMANDS, PROMPT_FILE_GLOB } from '../commandIds';
import { PromptCommands } from './promptCommands';
import type { PromptBlockArg } from './promptSource';
import { splitPromptBlocks } from './promptText';

const instances = new WeakMap<vscode.ExtensionContext, PromptCommands>();

/** The PromptCommands of this extension context (disposed with it). */
export function promptCommands(ctx: { readonly extension: vscode.ExtensionContext; readonly server: TrainingServer }): PromptCommands {
  let commands = instances.get(ctx.extension);
  if (commands === undefined) {
    commands = new PromptCommands(ctx.extension, ctx.server);
    instances.set(ctx.extension, commands);
    ctx.extension.subscriptions.push(commands);
  }
  return commands;
}

/** "▶ Run prompt" above each block of a `*.prompt.md` file. */
export class PromptCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    return splitPromptBlocks(document.getText()).map((block) => {
      const arg: PromptBlockArg = { uri: document.uri.toString(), startLine: block.startLine, endLine: block.endLine };
      return new vscode.CodeLens(new vscode.Range(block.startLine, 0, block.startLine, 0), {
        title: '▶ Run prompt',
        tooltip: 'Generate a continuation of this block with the prompt model (Transfer Lab)',
        command: COMMANDS.runPrompt.id,
        arguments: [arg],
      });
    });
  }
}

export function registerPromptCodeLens(): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider({ pattern: PROMPT_FILE_GLOB }, new PromptCodeLensProvider());
}
