// What the extension knows about runs: summaries from RunList, RunStart and state notifications,
// plus the latest step/loss of each training run from metric notifications. Feeds the status bar,
// "Show Training Panel" (most recent run), "Cancel Run" (active runs) and the palette context key.
import * as vscode from 'vscode';
import type { MetricEvent, RunSummary } from '../server/protocol';
import type { TrainingServer } from './client';
import { CONTEXT_KEYS } from './commandIds';
import { errorText } from './errors';

/** The newest step seen for a run (metric notifications arrive more often than state ones). */
export interface RunProgress {
  readonly step: number;
  readonly loss: number;
  readonly epoch: number;
}

const ACTIVE_STATES: ReadonlySet<RunSummary['state']> = new Set(['queued', 'running']);

export function isActive(run: RunSummary): boolean {
  return ACTIVE_STATES.has(run.state);
}

export class RunRegistry implements vscode.Disposable {
  private readonly runs = new Map<string, RunSummary>();
  private readonly progress = new Map<string, RunProgress>();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when any run's summary or progress changed. */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  /** `runsDir` is read on every refresh so a changed setting applies at once. */
  constructor(private readonly server: TrainingServer, private readonly runsDir: () => string) {
    this.disposables.push(
      server.onRunState(({ run }) => this.upsert(run)),
      server.onMetrics(({ runId, events }) => this.onMetrics(runId, events)),
      // A (re)started server knows the runs on disk, including ones a crash interrupted.
      server.onDidChangeStatus((s) => {
        if (s.kind === 'running') void this.refresh();
      }),
    );
  }

  upsert(run: RunSummary): void {
    this.runs.set(run.runId, run);
    if (!isActive(run)) this.progress.delete(run.runId);
    this.changed();
  }

  get(runId: string): RunSummary | undefined {
    return this.runs.get(runId);
  }

  /** The most recently created run, if any. */
  latest(): RunSummary | undefined {
    let best: RunSummary | undefined;
    for (const run of this.runs.values()) if (best === undefined || run.createdAt > best.createdAt) best = run;
    return best;
  }

  /** Queued and running runs, newest first. */
  active(): RunSummary[] {
    return [...this.runs.values()].filter(isActive).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Every known run, newest first. */
  all(): RunSummary[] {
    return [...this.runs.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Forgets a run whose folder was deleted. */
  remove(runId: string): void {
    this.runs.delete(runId);
    this.progress.delete(runId);
    this.changed();
  }

  progressOf(runId: string): RunProgress | undefined {
    return this.progress.get(runId);
  }

  /** Reloads the list from the runs folder; errors are logged, not shown (this runs unasked). */
  async refresh(): Promise<void> {
    try {
      const { runs } = await this.server.listRuns({ runsDir: this.runsDir() });
      for (const run of runs) this.runs.set(run.runId, run);
      this.changed();
    } catch (error) {
      this.server.output.warn(`Listing runs failed: ${errorText(error)}`);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private onMetrics(runId: string, events: readonly MetricEvent[]): void {
    let last: RunProgress | undefined;
    for (const e of events) if (e.type === 'step') last = { step: e.step, loss: e.loss, epoch: e.epoch };
    if (last === undefined) return;
    this.progress.set(runId, last);
    this.changed();
  }

  private changed(): void {
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasActiveRuns, this.active().length > 0);
    this.emitter.fire();
  }
}
