// The Training panel: one webview per run, showing its curves live, with other runs of its runs
// folder overlaid on request (Compare). On open it replays RunHistory of every shown run, then
// forwards their metric and state notifications. Its serializer restores it after a reload.
import * as vscode from 'vscode';
import type { ForgettingEvent, MetricEvent, RunSummary } from '../../server/protocol';
import {
  assertNever,
  isTrainingToExtensionMessage,
  parseTrainingPanelState,
  type ExtensionToTrainingMessage,
  type PanelBackendInfo,
  type PanelComparedRun,
  type PanelRunRef,
  type TrainingToExtensionMessage,
} from '../../webview/messages';
import type { TrainingServer } from '../client';
import { COMMANDS, PANEL_VIEW_TYPES } from '../commandIds';
import { errorText, reportError } from '../errors';
import { MAX_COMPARED_RUNS, pickRunsToCompare } from './comparePick';
import { panelOptions, renderPanelHtml } from './panelHtml';
import { restoreRunPanel, runPanelTitle } from './restoreRunPanel';
import { saveExport } from './saveExport';

export interface TrainingPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly server: TrainingServer;
}

type CurveEvent = Exclude<MetricEvent, ForgettingEvent>;

/** The Training panel draws step and evaluation events; forgetting events belong to the Forgetting panel. */
function curveEvents(events: readonly MetricEvent[]): CurveEvent[] {
  return events.filter((e): e is CurveEvent => e.type !== 'forgetting');
}

export class TrainingPanel implements vscode.Disposable {
  /** Open panels by run id: a run never gets two panels. */
  private static readonly open = new Map<string, TrainingPanel>();

  /** Shows the panel of `run`, creating it beside the active editor if it is not open. */
  static show(deps: TrainingPanelDeps, run: RunSummary): TrainingPanel {
    const existing = TrainingPanel.open.get(run.runId);
    if (existing !== undefined) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPES.training, panelTitle(run), vscode.ViewColumn.Beside, panelOptions(deps.extensionUri));
    return TrainingPanel.adopt(deps, panel, run, []);
  }

  /** The runs overlaid in `runId`'s panel, if it is open (the compare pick ticks them). */
  static comparedWith(runId: string): string[] {
    return TrainingPanel.open.get(runId)?.compared.map((r) => r.runId) ?? [];
  }

  /**
   * The serializer's half: a panel VS Code kept across a window reload, with the state its page
   * saved. Its run is read again (RunHistory); a run that is gone closes the panel with a message.
   */
  static async restore(deps: TrainingPanelDeps, panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const saved = parseTrainingPanelState(state);
    const run = await restoreRunPanel('Training', deps, panel, saved, (id) => TrainingPanel.open.has(id));
    if (run !== undefined && saved !== undefined) TrainingPanel.adopt(deps, panel, run, saved.compare);
  }

  private static adopt(deps: TrainingPanelDeps, panel: vscode.WebviewPanel, run: RunSummary, compare: readonly PanelRunRef[]): TrainingPanel {
    const created = new TrainingPanel(deps, panel, run, compare);
    TrainingPanel.open.set(run.runId, created);
    return created;
  }

  private readonly disposables: vscode.Disposable[] = [];
  /** True once the webview said `ready` (messages posted earlier would be lost). */
  private webviewReady = false;
  /** True once `init` went out for the current load; live events are buffered until then. */
  private synced = false;
  private pendingEvents: MetricEvent[] = [];
  private pendingState: RunSummary | undefined;
  /** The runs overlaid on this one, in legend order. */
  private compared: PanelRunRef[];
  /** Compared runs whose history the webview has; the others' live events wait in comparePending. */
  private compareSynced = new Set<string>();
  private comparePending = new Map<string, MetricEvent[]>();
  /** Guard against an older RunHistory answer landing after a newer one. */
  private loadGeneration = 0;
  private compareGeneration = 0;
  private disposed = false;

  private constructor(private readonly deps: TrainingPanelDeps, private readonly panel: vscode.WebviewPanel, private run: RunSummary, compare: readonly PanelRunRef[]) {
    this.compared = compare.filter((r) => r.runId !== run.runId).slice(0, MAX_COMPARED_RUNS);
    panel.webview.html = renderPanelHtml(deps.extensionUri, panel.webview, 'training', 'Training');
    const { server } = deps;
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      server.onMetrics(({ runId, events }) => this.onLiveEvents(runId, events)),
      server.onRunState(({ run: changed }) => this.onLiveState(changed)),
      // After a server restart, notifications may have been missed: replay the history.
      server.onDidChangeStatus((s) => {
        if (s.kind === 'running' && this.webviewReady) void this.loadAll();
      }),
    );
  }

  /** The run this panel shows. */
  get runId(): string {
    return this.run.runId;
  }

  /** Overlays `runs` (replacing the compared set; this panel's own run is skipped). */
  async compareWith(runs: readonly RunSummary[]): Promise<void> {
    this.compared = runs.filter((r) => r.runId !== this.run.runId).slice(0, MAX_COMPARED_RUNS).map((r) => ({ runId: r.runId, runDir: r.runDir }));
    this.panel.reveal();
    if (this.webviewReady) await this.loadCompared();
  }

  dispose(): void {
    if (this.disposed) return; // panel.dispose() below fires onDidDispose, which lands here again
    this.disposed = true;
    if (TrainingPanel.open.get(this.run.runId) === this) TrainingPanel.open.delete(this.run.runId);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private onMessage(message: unknown): void {
    if (!isTrainingToExtensionMessage(message)) {
      this.deps.server.output.warn(`Training panel sent an unknown message: ${JSON.stringify(message).slice(0, 200)}`);
      return;
    }
    this.handle(message);
  }

  private handle(message: TrainingToExtensionMessage): void {
    switch (message.type) {
      case 'ready':
        this.webviewReady = true;
        void this.loadAll();
        return;
      case 'cancelRun':
        void this.cancel();
        return;
      case 'revealRunFolder':
        void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(this.run.runDir));
        return;
      case 'openForgetting':
        void vscode.commands.executeCommand(COMMANDS.openForgetting.id, this.run.runId);
        return;
      case 'pickCompare':
        void this.pickCompared();
        return;
      case 'removeCompare':
        this.compared = this.compared.filter((r) => r.runId !== message.runId);
        void this.loadCompared();
        return;
      case 'export':
        void saveExport(this.deps.server, message, message.format === 'png' ? 'Save the charts as PNG' : 'Save the curves as CSV', 'Exporting the curves');
        return;
      default:
        assertNever(message);
    }
  }

  private async loadAll(): Promise<void> {
    await this.load();
    await this.loadCompared();
  }

  /** Sends `init` with every event recorded so far (and whatever arrived live meanwhile). */
  private async load(): Promise<void> {
    const generation = ++this.loadGeneration;
    this.synced = false;
    let events: readonly MetricEvent[] = [];
    let failure: string | undefined;
    try {
      const history = await this.deps.server.runHistory({ runDir: this.run.runDir });
      this.run = history.run;
      events = history.events;
    } catch (error) {
      failure = `Could not load the run's history: ${errorText(error)}`;
    }
    if (generation !== this.loadGeneration) return;
    const live = this.pendingEvents;
    this.pendingEvents = [];
    this.post({ type: 'init', run: this.run, events: curveEvents([...events, ...live]), backend: this.backendInfo() });
    if (failure !== undefined) this.post({ type: 'error', message: failure });
    if (this.pendingState !== undefined) this.onLiveState(this.pendingState);
    this.pendingState = undefined;
    this.synced = true;
  }

  /** Sends `compare` with the history of every compared run (a run that cannot be read is dropped, with a message). */
  private async loadCompared(): Promise<void> {
    const generation = ++this.compareGeneration;
    const refs = this.compared;
    this.compareSynced = new Set();
    this.comparePending = new Map(refs.map((r) => [r.runId, []]));
    const results = await Promise.all(refs.map(async (ref) => {
      try {
        return await this.deps.server.runHistory({ runDir: ref.runDir });
      } catch (error) {
        return new Error(`Could not load run ${ref.runId} to compare: ${errorText(error)}`);
      }
    }));
    if (generation !== this.compareGeneration || this.disposed) return;
    const runs: PanelComparedRun[] = [];
    for (const r of results) {
      if (r instanceof Error) {
        this.post({ type: 'error', message: r.message });
        continue;
      }
      runs.push({ run: r.run, events: curveEvents([...r.events, ...(this.comparePending.get(r.run.runId) ?? [])]) });
      this.compareSynced.add(r.run.runId);
    }
    this.compared = runs.map((c) => ({ runId: c.run.runId, runDir: c.run.runDir }));
    this.comparePending.clear();
    this.post({ type: 'compare', runs });
  }

  private async pickCompared(): Promise<void> {
    try {
      const picked = await pickRunsToCompare(this.deps.server, this.run, this.compared.map((r) => r.runId));
      if (picked !== undefined) await this.compareWith(picked);
    } catch (error) {
      await reportError(this.deps.server, error, 'Comparing runs');
    }
  }

  private onLiveEvents(runId: string, events: readonly MetricEvent[]): void {
    if (runId === this.run.runId) {
      if (this.synced) this.post({ type: 'metrics', runId, events: curveEvents(events) });
      else this.pendingEvents.push(...events);
      return;
    }
    if (this.compareSynced.has(runId)) this.post({ type: 'metrics', runId, events: curveEvents(events) });
    else this.comparePending.get(runId)?.push(...events);
  }

  private onLiveState(run: RunSummary): void {
    if (run.runId === this.run.runId) {
      this.run = run;
      if (this.synced) this.post({ type: 'state', run });
      else this.pendingState = run;
      return;
    }
    if (this.compareSynced.has(run.runId)) this.post({ type: 'state', run });
  }

  private async cancel(): Promise<void> {
    try {
      await this.deps.server.cancelRun({ runId: this.run.runId });
    } catch (error) {
      await reportError(this.deps.server, error, 'Cancelling the run');
    }
  }

  private backendInfo(): PanelBackendInfo | null {
    const status = this.deps.server.status;
    return status.kind === 'running' && status.backend !== null
      ? { backend: status.backend.backend, device: status.backend.device }
      : null;
  }

  private post(message: ExtensionToTrainingMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }
}

function panelTitle(run: RunSummary): string {
  return runPanelTitle('Training', run);
}
