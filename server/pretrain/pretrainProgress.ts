/**
 * Shows each pretraining job as LSP work-done progress: VS Code renders a progress notification
 * whose Cancel button stops the job. Reports at most a few times per second.
 */
import { basename } from 'node:path';
import type { Connection, WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import type { PretrainJob } from '../protocol';
import type { PretrainEvent } from './pretrainLoop';

const REPORT_MS = 250;

export class PretrainProgress {
  private readonly reporters = new Map<string, { reporter: WorkDoneProgressServerReporter; lastReport: number }>();
  /** Jobs that ended before their progress was created (a corpus that failed at once). */
  private readonly ended = new Set<string>();

  constructor(private readonly connection: Connection, private readonly cancel: (jobId: string) => void) {}

  async begin(job: PretrainJob): Promise<void> {
    const reporter = await this.connection.window.createWorkDoneProgress();
    const what = job.family === 'folder' ? 'a model' : `${job.family}-${job.size}`;
    reporter.begin(`Transfer Lab: pretraining ${what} on ${basename(job.corpus)}`, 0, 'reading the corpus, training a vocabulary…', true);
    if (this.ended.delete(job.jobId)) {
      reporter.done();
      return;
    }
    reporter.token.onCancellationRequested(() => this.cancel(job.jobId));
    this.reporters.set(job.jobId, { reporter, lastReport: 0 });
  }

  event(job: PretrainJob, e: PretrainEvent): void {
    const entry = this.reporters.get(job.jobId);
    const now = Date.now();
    if (entry === undefined || (e.type === 'step' && e.step !== job.steps && now - entry.lastReport < REPORT_MS)) return;
    entry.lastReport = now;
    const held = job.heldOutLoss !== null ? ` · held-out ${job.heldOutLoss.toFixed(3)}` : '';
    const loss = job.lastLoss !== null ? ` · loss ${job.lastLoss.toFixed(3)}` : '';
    entry.reporter.report(Math.min(100, Math.round((100 * job.step) / job.steps)), `step ${job.step}/${job.steps}${loss}${held}`);
  }

  end(jobId: string): void {
    const entry = this.reporters.get(jobId);
    if (entry === undefined) this.ended.add(jobId);
    entry?.reporter.done();
    this.reporters.delete(jobId);
  }
}
