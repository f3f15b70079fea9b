// "▶ Run this configuration" on the first line of a *.tlab.json file, next to the editor-title
// Run button: both start the run the file describes.
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';

export class RunConfigCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (document.lineCount === 0) return [];
    return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
      title: '▶ Run this configuration',
      tooltip: 'Start the fine-tuning run this file describes (Transfer Lab); the server checks every value first',
      command: COMMANDS.runConfigFile.id,
      arguments: [document.uri],
    })];
  }
}
