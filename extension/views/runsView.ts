// The Runs view: every run of the runs folder grouped by dataset file name, each with its state
// icon and "step 120/400 · loss 0.31 · acc 97%" kept live from metric notifications (at most every
// REFRESH_MS while runs train, re-rendering only the rows that changed: treeRefresh.ts).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunState, RunSummary } from '../../server/protocol';
import type { TrainingServer } from '../client';
import { COMMANDS } from '../commandIds';
import type { RunRegistry } from '../runs';
import { treeRefresh, type TreeSnapshot } from './treeRefresh';

export type RunsNode = { readonly kind: 'dataset'; readonly name: string } | { readonly kind: 'run'; readonly run: RunSummary };

/** Coalesces progress updates. */
const REFRESH_MS = 500;

/**
 * A run's row. The view hands VS Code the same object for a run as long as it is listed, so a
 * row can be refreshed on its own; `run` is the registry's latest summary.
 */
class RunNode {
  readonly kind = 'run';
  constructor(private readonly registry: RunRegistry, private last: RunSummary) {}

  get run(): RunSummary {
    this.last = this.registry.get(this.last.runId) ?? this.last;
    return this.last;
  }
}

const STATE_ICONS: Record<RunState, string> = {
  running: 'sync~spin',
  completed: 'pass',
  failed: 'error',
  cancelled: 'circle-slash',
  interrupted: 'debug-pause',
  queued: 'clock',
};

const STATE_COLORS: Partial<Record<RunState, string>> = {
  completed: 'testing.iconPassed',
  failed: 'testing.iconFailed',
};

/** contextValue of a run item: `run.<state>` (menus match `viewItem =~ /^run\.(running|queued)$/`). */
export function runContextValue(state: RunState): string {
  return `run.${state}`;
}

/**
 * "step 120/400 · loss 0.31 · acc 97%" from whatever is known, after the state unless the run is
 * training (its spinning icon says so): "completed · step 400/400 · loss 0.12 · acc 97%".
 */
export function runDescription(state: RunState, step: number, total: number, loss: number | null, accuracy: number | null): string {
  const parts = state === 'running' ? [] : [state as string];
  parts.push(total > 0 ? `step ${step}/${total}` : `step ${step}`);
  if (loss !== null) parts.push(`loss ${loss < 0.01 ? loss.toPrecision(2) : loss.toFixed(2)}`);
  if (accuracy !== null) parts.push(`acc ${Math.round(accuracy * 100)}%`);
  return parts.join(' · ');
}

export class RunsViewProvider implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<RunsNode | RunsNode[] | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  /** Latest validation accuracy from live eval events (RunSummary's lags until the next state). */
  private readonly accuracy = new Map<string, number>();
  private readonly runNodes = new Map<string, RunNode>();
  private readonly datasetNodes = new Map<string, RunsNode>();
  /** The tree as last handed to VS Code. */
  private rendered: TreeSnapshot = { groups: new Map(), renderings: new Map() };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private loaded = false;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(private readonly runs: RunRegistry, server: TrainingServer) {
    this.disposables.push(
      runs.onDidChange(() => this.scheduleRefresh()),
      server.onMetrics(({ runId, events }) => {
        for (const e of events) if (e.type === 'eval') this.accuracy.set(runId, e.valAccuracy);
      }),
    );
  }

  /** Reloads the runs folder (the Refresh button). */
  async reload(): Promise<void> {
    await this.runs.refresh();
    this.loaded = true;
    this.emitter.fire(undefined);
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    if (node.kind === 'dataset') {
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon('table');
      item.id = `dataset:${node.name}`;
      return item;
    }
    const run = node.run;
    const item = new vscode.TreeItem(run.runId, vscode.TreeItemCollapsibleState.None);
    item.id = `run:${run.runId}`;
    item.description = this.descriptionOf(run);
    const color = STATE_COLORS[run.state];
    item.iconPath = new vscode.ThemeIcon(STATE_ICONS[run.state], color !== undefined ? new vscode.ThemeColor(color) : undefined);
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${run.state}** · `);
    tooltip.appendText(`${path.basename(run.config.dataset)} · model ${run.config.model === 'tiny' || !path.isAbsolute(run.config.model) ? run.config.model : path.basename(run.config.model)}\n\n`);
    tooltip.appendText(`strategy ${run.config.strategy ?? 'full'} · ${run.config.epochs} epochs · started ${new Date(run.createdAt).toLocaleString()}\n\n${run.runDir}`);
    if (run.message !== null) tooltip.appendText(`\n\n${run.message}`);
    item.tooltip = tooltip;
    item.contextValue = runContextValue(run.state);
    item.command = { command: COMMANDS.openRunCurves.id, title: 'Open Curves', arguments: [node] };
    return item;
  }

  async getChildren(node?: RunsNode): Promise<RunsNode[]> {
    if (!this.loaded) {
      // No refresh after this first load: the tree is being rendered from it right now.
      await this.runs.refresh();
      this.loaded = true;
    }
    const current = this.snapshot();
    if (node === undefined) {
      this.rendered = current;
      return [...current.groups.keys()].map((name) => this.datasetNode(name));
    }
    if (node.kind === 'run') return [];
    return (current.groups.get(node.name) ?? []).map((runId) => this.runNode(runId));
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }

  private descriptionOf(run: RunSummary): string {
    const progress = this.runs.progressOf(run.runId);
    const accuracy = this.accuracy.get(run.runId) ?? run.lastValAccuracy;
    return runDescription(run.state, progress?.step ?? run.lastStep, run.totalSteps, progress?.loss ?? run.lastLoss, accuracy);
  }

  /**
   * Runs grouped by dataset file name, newest first, and what each run's row shows; forgets the
   * rows of runs no longer listed.
   */
  private snapshot(): TreeSnapshot {
    const groups = new Map<string, string[]>();
    const renderings = new Map<string, string>();
    for (const run of this.runs.all()) {
      const name = path.basename(run.config.dataset);
      const ids = groups.get(name) ?? [];
      ids.push(run.runId);
      groups.set(name, ids);
      renderings.set(run.runId, `${run.state}\n${this.descriptionOf(run)}\n${run.message ?? ''}`);
    }
    for (const runId of this.runNodes.keys()) if (!renderings.has(runId)) this.runNodes.delete(runId);
    return { groups, renderings };
  }

  private runNode(runId: string): RunNode {
    const known = this.runNodes.get(runId);
    if (known !== undefined) return known;
    const run = this.runs.get(runId);
    if (run === undefined) throw new Error(`Runs view: run ${runId} is not in the registry`);
    const node = new RunNode(this.runs, run);
    this.runNodes.set(runId, node);
    return node;
  }

  private datasetNode(name: string): RunsNode {
    let node = this.datasetNodes.get(name);
    if (node === undefined) this.datasetNodes.set(name, (node = { kind: 'dataset', name }));
    return node;
  }

  private scheduleRefresh(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const current = this.snapshot();
      const change = treeRefresh(this.rendered, current);
      this.rendered = current;
      if (change === 'root') this.emitter.fire(undefined);
      else if (change.length > 0) this.emitter.fire(change.map((runId) => this.runNode(runId)));
    }, REFRESH_MS);
  }
}
