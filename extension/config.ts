// Typed getters for the `transferLab.*` settings. This is the only file that calls
// `workspace.getConfiguration`, so every default and every validation lives here.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BACKEND_CHAIN, type BackendPreference } from '../server/protocol';

const SECTION = 'transferLab';
const DEFAULT_EPOCHS = 3;
/** Where runs go inside a workspace folder when `transferLab.runsDirectory` is empty. */
const WORKSPACE_RUNS_DIR = path.join('.transfer-lab', 'runs');

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

/** `transferLab.backend`: 'auto' (default) or a forced backend; unknown values read as 'auto'. */
export function backendPreference(): BackendPreference {
  const value = section().get<unknown>('backend');
  return BACKEND_CHAIN.find((b) => b === value) ?? 'auto';
}

/** `transferLab.nodePath`: the Node binary that runs the server; undefined = VS Code's own. */
export function nodePath(): string | undefined {
  const value = section().get<unknown>('nodePath');
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * `transferLab.runsDirectory` resolved to an absolute path. Empty (default) means
 * `<first workspace folder>/.transfer-lab/runs`, or `<globalStorage>/runs` with no folder open;
 * a relative value is taken relative to the first workspace folder.
 */
export function runsDirectory(globalStorageUri: vscode.Uri): string {
  const value = section().get<unknown>('runsDirectory');
  const configured = typeof value === 'string' ? value.trim() : '';
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const base = folder ?? vscode.Uri.joinPath(globalStorageUri, 'runs').fsPath;
  if (configured === '') return folder !== undefined ? path.join(folder, WORKSPACE_RUNS_DIR) : base;
  return path.isAbsolute(configured) ? configured : path.resolve(folder ?? base, configured);
}

/** `transferLab.defaultEpochs`: a positive integer, 3 when unset or invalid. */
export function defaultEpochs(): number {
  const value = section().get<unknown>('defaultEpochs');
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : DEFAULT_EPOCHS;
}

/** True when a change needs a server restart to apply (backend or Node binary). */
export function affectsServer(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(`${SECTION}.backend`) || e.affectsConfiguration(`${SECTION}.nodePath`);
}
