/**
 * Shows each run as LSP work-done progress (VS Code renders a progress notification with a
 * working Cancel button) and batches metric notifications to a few per second.
 */
import type { Connection, WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import { RunMetricsNotification, type MetricEvent, type RunSummary } from '../protocol';

const FLUSH_MS = 250;

export class RunProgress {
  private readonly reporters = new Map<string, WorkDoneProgressServerReporter>();
  private readonly pending = new Map<string, MetricEvent[]>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly connection: Connection, private readonly cancel: (runId: string) => void) {}

  async begin(run: RunSummary): Promise<void> {
    const reporter = await this.connection.window.createWorkDoneProgress();
    reporter.begin(`Transfer Lab: training on ${run.config.dataset.split(/[\\/]/).pop() ?? 'dataset'}`, 0, 'queued', true);
    reporter.token.onCancellationRequested(() => this.cancel(run.runId));
    this.reporters.set(run.runId, reporter);
  }

  events(run: RunSummary | undefined, runId: string, events: readonly MetricEvent[]): void {
    const list = this.pending.get(runId) ?? [];
    list.push(...events);
    this.pending.set(runId, list);
    const last = events[events.length - 1];
    const reporter = this.reporters.get(runId);
    if (reporter !== undefined && last !== undefined && run !== undefined && run.totalSteps > 0) {
      const pct = Math.min(100, Math.round((100 * last.step) / run.totalSteps));
      const detail = last.type === 'step' ? `loss ${last.loss.toFixed(3)}` : last.type === 'eval' ? `val accuracy ${(last.valAccuracy * 100).toFixed(1)}%` : 'forgetting measured';
      reporter.report(pct, `step ${last.step}/${run.totalSteps} · ${detail}`);
    }
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** Sends whatever is pending now (also before a state notification, to keep order). */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const [runId, events] of this.pending) {
      if (events.length > 0) void this.connection.sendNotification(RunMetricsNotification.type, { runId, events });
    }
    this.pending.clear();
  }

  end(runId: string): void {
    this.reporters.get(runId)?.done();
    this.reporters.delete(runId);
  }
}
