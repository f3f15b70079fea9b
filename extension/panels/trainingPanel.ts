// The Training panel: one webview per run, showing its loss and accuracy curves live. On open
// it replays RunHistory, then forwards this run's metric and state notifications.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ForgettingEvent, MetricEvent, RunSummary } from '../../server/protocol';
import {
  assertNever,
  isTrainingToExtensionMessage,
  type ExtensionToTrainingMessage,
  type PanelBackendInfo,
} from '../../webview/messages';
import type { TrainingServer } from '../client';
import { COMMANDS } from '../commandIds';
import { reportError } from '../errors';
import { panelResourceRoots, renderPanelHtml } from './panelHtml';

export interface TrainingPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly server: TrainingServer;
}

const VIEW_TYPE = 'transferLab.training';

/** The Training panel draws step and evaluation events; forgetting events belong to the Forgetting panel. */
function curveEvents(events: readonly MetricEvent[]): Exclude<MetricEvent, ForgettingEvent>[] {
  return events.filter((e): e is Exclude<MetricEvent, ForgettingEvent> => e.type !== 'forgetting');
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
    const roots = panelResourceRoots(deps.extensionUri);
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, panelTitle(run), vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: roots,
      retainContextWhenHidden: true, // the charts keep their data and zoom when the tab is hidden
    });
    const created = new TrainingPanel(deps, panel, run);
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
  /** Guards against an older RunHistory answer landing after a newer one. */
  private loadGeneration = 0;
  private disposed = false;

  private constructor(private readonly deps: TrainingPanelDeps, private readonly panel: vscode.WebviewPanel, private run: RunSummary) {
    panel.webview.html = renderPanelHtml(deps.extensionUri, panel.webview, 'training', 'Training');
    const { server } = deps;
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      server.onMetrics(({ runId, events }) => {
        if (runId === this.run.runId) this.onLiveEvents(events);
      }),
      server.onRunState(({ run: changed }) => {
        if (changed.runId === this.run.runId) this.onLiveState(changed);
      }),
      // After a server restart, notifications may have been missed: replay the history.
      server.onDidChangeStatus((s) => {
        if (s.kind === 'running' && this.webviewReady) void this.load();
      }),
    );
  }

  dispose(): void {
    if (this.disposed) return; // panel.dispose() below fires onDidDispose, which lands here again
    this.disposed = true;
    TrainingPanel.open.delete(this.run.runId);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private onMessage(message: unknown): void {
    if (!isTrainingToExtensionMessage(message)) {
      this.deps.server.output.warn(`Training panel sent an unknown message: ${JSON.stringify(message)}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.webviewReady = true;
        void this.load();
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
      default:
        assertNever(message);
    }
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
      failure = `Could not load the run's history: ${error instanceof Error ? error.message : String(error)}`;
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

  private onLiveEvents(events: readonly MetricEvent[]): void {
    if (this.synced) this.post({ type: 'metrics', events: curveEvents(events) });
    else this.pendingEvents.push(...events);
  }

  private onLiveState(run: RunSummary): void {
    this.run = run;
    if (this.synced) this.post({ type: 'state', run });
    else this.pendingState = run;
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
    void this.panel.webview.postMessage(message);
  }
}

function panelTitle(run: RunSummary): string {
  return `Training: ${path.basename(run.config.dataset)}`;
}
