// "Open Sample Dataset" (the Getting Started walkthrough's first step): copies the shipped
// sample, media/walkthrough/sms-spam-sample.csv, into the first workspace folder (once) and
// opens it, ready for "Fine-tune on this dataset…".
import * as vscode from 'vscode';
import type { CommandContext } from '../commands';
import { COMMANDS } from '../commandIds';
import { uriExists } from '../uriExists';

/** The sample's file name, in the extension and in the workspace. */
export const SAMPLE_DATASET = 'sms-spam-sample.csv';

export async function openSampleDataset(ctx: CommandContext): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder === undefined) {
    const open = 'Open Folder…';
    const choice = await vscode.window.showInformationMessage(
      'Transfer Lab: open a folder first. The sample dataset is copied into it, and runs are written to its .transfer-lab/runs folder.',
      open,
    );
    if (choice === open) await vscode.commands.executeCommand('workbench.action.files.openFolder');
    return;
  }
  const target = vscode.Uri.joinPath(folder.uri, SAMPLE_DATASET);
  // An existing copy is the user's (maybe edited): open it rather than overwrite it.
  if (!(await uriExists(target))) {
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'walkthrough', SAMPLE_DATASET), target);
  }
  await vscode.window.showTextDocument(target, { preview: false });
  const fineTune = 'Fine-tune…';
  const choice = await vscode.window.showInformationMessage(
    `Transfer Lab: ${SAMPLE_DATASET} holds 400 SMS messages labelled ham or spam (SMS Spam Collection). Right-click it in the Explorer → "${COMMANDS.fineTune.title}", or:`,
    fineTune,
  );
  if (choice === fineTune) await vscode.commands.executeCommand(COMMANDS.fineTune.id, target);
}
