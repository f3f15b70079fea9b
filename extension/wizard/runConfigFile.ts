// "Run Fine-tune Configuration": starts the run a *.tlab.json describes, exactly as the wizard
// would (relative paths from the file's folder). The server checks every key; its message, and
// any JSON syntax error, is shown with the file's name.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ResponseError } from 'vscode-languageclient/node';
import { TransferLabErrorCode, type RunSummary } from '../../server/protocol';
import type { TrainingServer } from '../client';
import * as config from '../config';
import { isTlabPath, parseTlabJson, TlabFileError } from './tlabFile';

/** The file a command was invoked on: the Explorer/editor-title Uri, the active editor, or an Open dialog. */
export async function resolveConfigFile(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active !== undefined && isTlabPath(active.fsPath)) return active;
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Run', title: 'Run configuration (*.tlab.json)', filters: { 'Run configurations': ['tlab.json'] } });
  return picked?.[0];
}

/** Starts the run; undefined when the file could not be read (the user was told why). */
export async function runConfigFile(server: TrainingServer, globalStorage: vscode.Uri, file: vscode.Uri): Promise<RunSummary | undefined> {
  const name = path.basename(file.fsPath);
  const document = await vscode.workspace.openTextDocument(file);
  if (document.isDirty) await document.save(); // run what the editor shows, and keep it
  let partial: ReturnType<typeof parseTlabJson>;
  try {
    partial = parseTlabJson(document.getText(), name);
  } catch (error) {
    if (!(error instanceof TlabFileError)) throw error;
    void vscode.window.showErrorMessage(`Transfer Lab: ${error.message}`);
    return undefined;
  }
  const runsDir = config.runsDirectory(globalStorage);
  await vscode.workspace.fs.createDirectory(vscode.Uri.file(runsDir));
  try {
    const { run } = await server.startRun({ config: partial, runsDir, baseDir: path.dirname(file.fsPath) });
    return run;
  } catch (error) {
    // "Run configuration: epochs must be …" says what; the file's name says where.
    if (error instanceof ResponseError && error.code === TransferLabErrorCode.UserInput) throw new ResponseError(error.code, `${name}: ${error.message}`);
    throw error;
  }
}
