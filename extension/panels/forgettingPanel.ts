// The Forgetting panel: one webview per run with its forgetting diagnostics (probe loss against
// the base model, weight drift, CKA, attention drift) from RunHistory and live metric events, and
// the alert's suggestions, each of which starts a follow-up run.
import * as vscode from 'vscode';
import type { ForgettingEvent, MetricEvent, RunSummary } from '../../server/protocol';
import {
  assertNever,
  isForgettingToExtensionMessage,
  parseForgettingPanelState,
  type ExtensionToForgettingMessage,
  type PanelForgettingEvent,
} from '../../webview/messages';
import type { TrainingServer } from '../client';
import * as config from '../config';
import { errorText, reportError } from '../errors';
import { applyConfigPatch } from './followUpConfig';
import { PANEL_VIEW_TYPES } from '../commandIds';
import { panelOptions, renderPanelHtml } from './panelHtml';
import { restoreRunPanel, runPanelTitle } from './restoreRunPanel';

export interface ForgettingPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly server: TrainingServer;
  readonly globalStorageUri: vscode.Uri;
  /** Called with a follow-up run once it started (the caller opens its Training panel). */
  readonly onRunStarted: (run: RunSummary) => void;
}


function forgettingEvents(events: readonly MetricEvent[]): ForgettingEvent[] {
  return events.filter((e): e is ForgettingEvent => e.type === 'forgetting');
}

/** The panel's copy: suggestion labels only (the config patches stay in the extension). */
function toPanel(e: ForgettingEvent): PanelForgettingEvent {
  return { ...e, alert: e.alert === null ? null : { level: e.alert.level, message: e.alert.message, suggestions: e.alert.suggestions.map((s) => ({ label: s.label })) } };
}

export class ForgettingPanel implements vscode.Disposable {
  private static readonly open = new Map<string, ForgettingPanel>();

  static show(deps: ForgettingPanelDeps, run: RunSummary): ForgettingPanel {
    const existing = ForgettingPanel.open.get(run.runId);
    if (existing !== undefined) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPES.forgetting, panelTitle(run), vscode.ViewColumn.Beside, panelOptions(deps.extensionUri));
    const created = new ForgettingPanel(deps, panel, run);
    ForgettingPanel.open.set(run.runId, created);
    return created;
  }

  /** The serializer's half: the run its page saved is read again; a run that is gone closes the panel with a message. */
  static async restore(deps: ForgettingPanelDeps, panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const run = await restoreRunPanel('Forgetting', deps, panel, parseForgettingPanelState(state), (id) => ForgettingPanel.open.has(id));
    if (run !== undefined) ForgettingPanel.open.set(run.runId, new ForgettingPanel(deps, panel, run));
  }

  private readonly disposables: vscode.Disposable[] = [];
  private readonly events = new Map<number, ForgettingEvent>();
  private synced = false;
  private disposed = false;

  private constructor(private readonly deps: ForgettingPanelDeps, private readonly panel: vscode.WebviewPanel, private run: RunSummary) {
    panel.webview.html = renderPanelHtml(deps.extensionUri, panel.webview, 'forgetting', 'Forgetting');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      deps.server.onMetrics(({ runId, events }) => {
        if (runId !== this.run.runId) return;
        const fresh = forgettingEvents(events);
        for (const e of fresh) this.events.set(e.step, e);
        if (this.synced && fresh.length > 0) this.post({ type: 'forgetting', events: fresh.map(toPanel) });
      }),
      deps.server.onRunState(({ run }) => {
        if (run.runId !== this.run.runId) return;
        this.run = run;
        if (this.synced) this.post({ type: 'state', run });
      }),
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (ForgettingPanel.open.get(this.run.runId) === this) ForgettingPanel.open.delete(this.run.runId);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private onMessage(message: unknown): void {
    if (!isForgettingToExtensionMessage(message)) {
      this.deps.server.output.warn(`Forgetting panel sent an unknown message: ${JSON.stringify(message).slice(0, 200)}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        void this.load();
        return;
      case 'applySuggestion':
        void this.startFollowUp(message.step, message.index);
        return;
      default:
        assertNever(message);
    }
  }

  private async load(): Promise<void> {
    this.synced = false;
    try {
      const history = await this.deps.server.runHistory({ runDir: this.run.runDir });
      this.run = history.run;
      for (const e of forgettingEvents(history.events)) this.events.set(e.step, e);
    } catch (error) {
      this.post({ type: 'error', message: `Could not load the run's history: ${errorText(error)}` });
    }
    const events = [...this.events.values()].sort((a, b) => a.step - b.step).map(toPanel);
    this.post({ type: 'init', run: this.run, strategy: this.run.config.strategy ?? 'full', events });
    this.synced = true;
  }

  /** RunStart with this run's config and the suggestion's patch (mitigations merged key by key). */
  private async startFollowUp(step: number, index: number): Promise<void> {
    const suggestion = this.events.get(step)?.alert?.suggestions[index];
    if (suggestion === undefined) return;
    try {
      const runsDir = config.runsDirectory(this.deps.globalStorageUri);
      const { run } = await this.deps.server.startRun({ config: applyConfigPatch(this.run.config, suggestion.configPatch), runsDir });
      void vscode.window.showInformationMessage(`Transfer Lab: started run ${run.runId} (${suggestion.label}).`);
      this.deps.onRunStarted(run);
    } catch (error) {
      await reportError(this.deps.server, error, `Starting "${suggestion.label}"`);
    }
  }

  private post(message: ExtensionToForgettingMessage): void {
    void this.panel.webview.postMessage(message);
  }
}

function panelTitle(run: RunSummary): string {
  return runPanelTitle('Forgetting', run);
}
