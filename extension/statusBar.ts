// The status bar item: the server's backend ("$(circuit-board) wasm", device and fallback reasons
// in the tooltip) and, while a run trains, its progress. Clicking opens that run's Training panel.
import * as vscode from 'vscode';
import type { RunSummary } from '../server/protocol';
import type { TrainingServer } from './client';
import { COMMANDS } from './commandIds';
import type { RunRegistry } from './runs';

export class TrainingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('transferLab.status', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(private readonly server: TrainingServer, private readonly runs: RunRegistry) {
    this.item.name = 'Transfer Lab';
    this.disposables.push(server.onDidChangeStatus(() => this.update()), runs.onDidChange(() => this.update()));
    this.update();
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private update(): void {
    const status = this.server.status;
    const training = this.runs.active().find((r) => r.state === 'running');
    if (status.kind === 'stopped') {
      this.item.text = '$(error) Transfer Lab';
      this.item.tooltip = `Training server not running (${status.reason}). Click to show its logs.`;
      this.item.command = COMMANDS.showLogs.id;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      return;
    }
    this.item.backgroundColor = undefined;
    if (training !== undefined) {
      this.showRun(training);
      return;
    }
    if (status.kind === 'starting') {
      this.item.text = '$(loading~spin) Transfer Lab';
      this.item.tooltip = 'Starting the training server…';
    } else if (status.backend === null) {
      this.item.text = '$(circuit-board) Transfer Lab';
      this.item.tooltip = 'Training server running (it did not report its backend).';
    } else {
      const { backend, device, tfjsVersion, fallbackReasons } = status.backend;
      this.item.text = `$(circuit-board) ${backend}`;
      const tooltip = new vscode.MarkdownString(`**Transfer Lab** backend \`${backend}\`  \n${escapeMd(device)} · tfjs ${escapeMd(tfjsVersion)}`);
      if (fallbackReasons.length > 0) tooltip.appendMarkdown(`\n\nFell back because:\n${fallbackReasons.map((r) => `- ${escapeMd(r)}`).join('\n')}`);
      this.item.tooltip = tooltip;
    }
    this.item.command = this.runs.latest() !== undefined ? COMMANDS.showTrainingPanel.id : COMMANDS.showLogs.id;
  }

  private showRun(run: RunSummary): void {
    const progress = this.runs.progressOf(run.runId);
    const step = progress?.step ?? run.lastStep;
    const loss = progress?.loss ?? run.lastLoss;
    const lossText = loss === null ? '' : ` · loss ${loss.toFixed(3)}`;
    this.item.text = `$(sync~spin) step ${step}/${run.totalSteps}${lossText}`;
    const backend = this.server.status.kind === 'running' ? this.server.status.backend : null;
    this.item.tooltip = `Training ${run.config.dataset}\nModel ${run.config.model} on ${backend?.device ?? run.backend ?? 'unknown backend'}\nClick to show the Training panel.`;
    this.item.command = { title: COMMANDS.showTrainingPanel.title, command: COMMANDS.showTrainingPanel.id, arguments: [run.runId] };
  }
}

/** Device strings come from the server; keep them from being read as Markdown. */
function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
