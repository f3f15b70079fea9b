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

// --- Prompt commands (Run Prompt, Classify Selection, Fill Mask)

/** Sampling settings of Run Prompt, each read from `transferLab.prompt.*` and clamped to its range. */
export interface PromptSampling {
  readonly maxTokens: number;
  readonly temperature: number;
  readonly topK: number;
  readonly topP: number;
  readonly seed: number;
}

/** Defaults, equal to package.json's (test/extension/commandTable.test.ts checks both). */
export const DEFAULT_PROMPT_SAMPLING: PromptSampling = Object.freeze({ maxTokens: 64, temperature: 0.7, topK: 0, topP: 0.9, seed: 0 });

function numberSetting(key: string, fallback: number, min: number, max: number, integer: boolean): number {
  const value = section().get<unknown>(key);
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) return fallback;
  return Math.min(max, Math.max(min, value));
}

/** `transferLab.prompt.{maxTokens,temperature,topK,topP,seed}`. */
export function promptSampling(): PromptSampling {
  const d = DEFAULT_PROMPT_SAMPLING;
  return {
    maxTokens: numberSetting('prompt.maxTokens', d.maxTokens, 1, 4096, true),
    temperature: numberSetting('prompt.temperature', d.temperature, 0, 10, false),
    topK: numberSetting('prompt.topK', d.topK, 0, 100000, true),
    topP: numberSetting('prompt.topP', d.topP, 0, 1, false),
    seed: numberSetting('prompt.seed', d.seed, 0, 2 ** 31 - 1, true),
  };
}

/** `transferLab.prompt.insertInEditor`: insert generated text after the selection instead of the panel. */
export function promptInsertInEditor(): boolean {
  return section().get<unknown>('prompt.insertInEditor') === true;
}

/** `transferLab.prompt.classifyTemplate`: the template offered by Classify Selection; '' = built-in default. */
export function classifyTemplate(): string {
  const value = section().get<unknown>('prompt.classifyTemplate');
  return typeof value === 'string' ? value.trim() : '';
}

/** `transferLab.prompt.compareWithFineTuned`: also answer with a run fine-tuned from the prompt's model (default on). */
export function promptCompareWithFineTuned(): boolean {
  return section().get<unknown>('prompt.compareWithFineTuned') !== false;
}

/** `transferLab.prompt.fillMaskTopK`: predictions shown per mask, 5 when unset or invalid. */
export function fillMaskTopK(): number {
  return numberSetting('prompt.fillMaskTopK', 5, 1, 50, true);
}

/**
 * `transferLab.modelPaths`: extra folders searched for models (each a model folder or a folder of
 * them), absolute or relative to the first workspace folder; non-strings and blanks are dropped.
 */
export function modelPaths(): string[] {
  const value = section().get<unknown>('modelPaths');
  if (!Array.isArray(value)) return [];
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return value
    .filter((p): p is string => typeof p === 'string' && p.trim() !== '')
    .map((p) => (path.isAbsolute(p.trim()) || folder === undefined ? p.trim() : path.resolve(folder, p.trim())));
}

/** True when a change affects which models the Models view lists. */
export function affectsModels(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(`${SECTION}.modelPaths`) || e.affectsConfiguration(`${SECTION}.runsDirectory`);
}
