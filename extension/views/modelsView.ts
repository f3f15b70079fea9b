// The Models view: ModelList's answer grouped into Presets, Workspace (workspace folders and
// `transferLab.modelPaths`) and Runs (run outputs, under their run: "final", "best"). Refreshed on
// demand, when a run completes and when the model settings change.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelList, ModelSummary } from '../../server/protocol';
import type { TrainingServer } from '../client';
import * as config from '../config';
import type { PromptTask } from '../prompt/modelChoice';
import { FILL_MASK_HEADS, GENERATION_HEADS } from '../prompt/promptText';
import { errorText } from '../errors';

export type ModelsNode =
  | { readonly kind: 'group'; readonly group: ModelGroup }
  | { readonly kind: 'preset'; readonly name: string }
  | { readonly kind: 'run'; readonly runId: string }
  | { readonly kind: 'model'; readonly model: ModelSummary };

type ModelGroup = 'presets' | 'workspace' | 'runs';

/** Model folders first; the presets (about twenty fresh-model names) start collapsed. */
const GROUPS: readonly { readonly group: ModelGroup; readonly label: string; readonly icon: string; readonly expanded: boolean }[] = [
  { group: 'workspace', label: 'Workspace', icon: 'folder-library', expanded: true },
  { group: 'runs', label: 'Runs', icon: 'history', expanded: true },
  { group: 'presets', label: 'Presets', icon: 'sparkle', expanded: false },
];

/** The prompt task a model's head supports ("Prompt with This Model…"), if any. */
export function promptTaskOf(head: string): Extract<PromptTask, 'generate' | 'fillMask'> | undefined {
  if (GENERATION_HEADS.has(head)) return 'generate';
  return FILL_MASK_HEADS.has(head) ? 'fillMask' : undefined;
}

/**
 * contextValue of model items (menus in package.json match on these): `model.folder.lm` for a
 * folder with a head that prompts (generation or fill-mask), `model.folder` for the others.
 */
export const MODEL_CONTEXT = { folder: 'model.folder', promptable: 'model.folder.lm', preset: 'model.preset' } as const;

/** The ModelList request for the current workspace and settings. */
export function modelListParams(globalStorageUri: vscode.Uri): ModelList.Params {
  return {
    workspaceRoots: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
    modelPaths: config.modelPaths(),
    runsDir: config.runsDirectory(globalStorageUri),
  };
}

/** "bert · sequence-classification · 2×128 · tokenizer.json": family, head, size (layers × hidden), tokenizer. */
export function modelDescription(m: ModelSummary): string {
  return `${m.family} · ${m.head} · ${m.layers}×${m.hidden} · ${m.tokenizer === 'none' ? 'no tokenizer' : m.tokenizer}`;
}

export class ModelsViewProvider implements vscode.TreeDataProvider<ModelsNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ModelsNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private result: ModelList.Result | undefined;
  private loading: Promise<void> | undefined;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(private readonly server: TrainingServer, private readonly globalStorageUri: vscode.Uri) {
    this.disposables.push(
      server.onRunState(({ run }) => {
        if (run.state === 'completed') this.refresh();
      }),
      server.onDidChangeStatus((s) => {
        if (s.kind === 'running') this.refresh();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (config.affectsModels(e)) this.refresh();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()),
    );
  }

  /** Drops the cached list; the tree asks again (one ModelList request). */
  refresh(): void {
    this.result = undefined;
    this.loading = undefined;
    this.emitter.fire(undefined);
  }

  /** Every model of the last answer (for quick picks), loading it if needed. */
  async models(): Promise<ModelList.Result> {
    await this.load();
    return this.result ?? { models: [], presets: [] };
  }

  getTreeItem(node: ModelsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group': {
        const g = GROUPS.find((x) => x.group === node.group)!;
        const item = new vscode.TreeItem(g.label, g.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.iconPath = new vscode.ThemeIcon(g.icon);
        item.contextValue = 'modelGroup';
        return item;
      }
      case 'preset': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
        item.description = 'fresh model';
        item.tooltip = `Preset "${node.name}": a freshly initialised model whose vocabulary is trained on your data.`;
        item.iconPath = new vscode.ThemeIcon('symbol-constructor');
        item.contextValue = MODEL_CONTEXT.preset;
        return item;
      }
      case 'run': {
        const item = new vscode.TreeItem(node.runId, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `run:${node.runId}`;
        item.iconPath = new vscode.ThemeIcon('folder');
        item.tooltip = `The model folders run ${node.runId} wrote`;
        item.contextValue = 'modelRun';
        return item;
      }
      case 'model': {
        const m = node.model;
        // Under its run a run's output is named by its folder ("final", "best"): the full name
        // "<run id> (final)" is wider than the side bar, which cut off the part that differs.
        const item = new vscode.TreeItem(m.runId !== null ? path.basename(m.dir) : m.name, vscode.TreeItemCollapsibleState.None);
        item.id = `model:${m.dir}`;
        item.description = modelDescription(m);
        item.accessibilityInformation = { label: `${m.name}, ${item.description}` };
        const tooltip = new vscode.MarkdownString();
        tooltip.appendText(`${m.name}\n\n${m.dir}\n\n`);
        tooltip.appendMarkdown(`**${m.family}** · ${m.head} · ${m.layers} layers × hidden ${m.hidden} · ${m.heads} heads  \n`);
        tooltip.appendText(`tokenizer: ${m.tokenizer}${m.runId !== null ? ` · run ${m.runId}` : ''}`);
        item.tooltip = tooltip;
        item.iconPath = new vscode.ThemeIcon(m.source === 'run' ? 'package' : 'symbol-class');
        item.resourceUri = vscode.Uri.file(m.dir);
        item.contextValue = promptTaskOf(m.head) !== undefined ? MODEL_CONTEXT.promptable : MODEL_CONTEXT.folder;
        return item;
      }
    }
  }

  async getChildren(node?: ModelsNode): Promise<ModelsNode[]> {
    if (node !== undefined && node.kind !== 'group' && node.kind !== 'run') return [];
    await this.load();
    const result = this.result;
    if (result === undefined) return [];
    if (node?.kind === 'run') return result.models.filter((m) => m.runId === node.runId).map((model) => ({ kind: 'model', model }));
    if (node === undefined) {
      // No groups at all lets contributes.viewsWelcome show its guidance.
      if (result.models.length === 0 && result.presets.length === 0) return [];
      // Empty groups are left out (a workspace without run outputs shows no "Runs").
      return GROUPS.filter((g) => this.childrenOf(result, g.group).length > 0).map((g) => ({ kind: 'group', group: g.group }));
    }
    return this.childrenOf(result, node.group);
  }

  private childrenOf(result: ModelList.Result, group: ModelGroup): ModelsNode[] {
    if (group === 'presets') return result.presets.map((name) => ({ kind: 'preset', name }));
    if (group === 'runs') {
      const runIds = new Set(result.models.flatMap((m) => (m.source === 'run' && m.runId !== null ? [m.runId] : [])));
      return [...runIds].map((runId) => ({ kind: 'run', runId }));
    }
    return result.models.filter((m) => m.source === 'workspace' || m.source === 'setting').map((model) => ({ kind: 'model', model }));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private load(): Promise<void> {
    if (this.result !== undefined) return Promise.resolve();
    this.loading ??= (async () => {
      try {
        this.result = await this.server.listModels(modelListParams(this.globalStorageUri));
      } catch (error) {
        this.server.output.warn(`Listing models failed: ${errorText(error)}`);
        this.loading = undefined;
      }
    })();
    return this.loading;
  }
}
