// The CodeLens on the first line of a dataset file: "5,574 rows · labels: ham 87% · spam 13% ·
// Fine-tune…", from the server's streamed inspection of the file on disk (the editor never parses
// it), cached per file and modification time. Until the summary arrives the lens is "Fine-tune…".
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatasetSummary } from '../../server/protocol';
import type { TrainingServer } from '../client';
import { COMMANDS } from '../commandIds';
import { datasetLensTitle } from '../wizard/distribution';
import { isDatasetUri } from '../wizard/fineTuneWizard';
import { errorText } from '../errors';

type Reading = { readonly mtime: number; readonly summary: DatasetSummary | null; readonly error: string | null };

/** Files summarised at most once per modification; entries beyond this are dropped oldest first. */
const MAX_CACHED = 64;

export class DatasetCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly cache = new Map<string, Reading>();
  private readonly pending = new Map<string, Promise<void>>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(private readonly server: TrainingServer) {
    this.disposables.push(
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (isDatasetUri(d.uri)) this.emitter.fire();
      }),
      server.onDidChangeStatus((s) => {
        if (s.kind === 'running') this.emitter.fire();
      }),
    );
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const uri = document.uri;
    if (uri.scheme !== 'file' || !isDatasetUri(uri) || document.lineCount === 0) return [];
    // A .json file is a dataset only as an array of records (package.json, settings… are not).
    const json = path.extname(uri.fsPath).toLowerCase() === '.json';
    if (json && !document.lineAt(0).text.trimStart().startsWith('[')) return [];
    const mtime = await this.mtimeOf(uri);
    const cached = this.cache.get(uri.fsPath);
    const reading = cached !== undefined && cached.mtime === mtime ? cached : undefined;
    if (reading === undefined) this.read(uri, mtime);
    const summary = reading?.summary ?? null;
    if (reading !== undefined && summary === null && json) return [];
    const range = new vscode.Range(0, 0, 0, 0);
    const title = summary !== null ? datasetLensTitle(summary) : 'Fine-tune…';
    const tooltip = summary !== null
      ? `Columns: ${summary.columns.map((c) => c.name).join(', ')}. Click to choose the task, columns, model and strategy (Transfer Lab).`
      : reading?.error ?? 'Fine-tune a model on this dataset (Transfer Lab)';
    return [new vscode.CodeLens(range, { title, tooltip, command: COMMANDS.fineTune.id, arguments: [uri] })];
  }

  /** Summarises the file in the server (streamed there); the lenses refresh when it is done. */
  private read(uri: vscode.Uri, mtime: number): void {
    const key = `${uri.fsPath}@${mtime}`;
    if (this.pending.has(key) || this.server.status.kind !== 'running') return;
    const done = this.server.inspectDataset({ path: uri.fsPath }).then(
      (summary) => this.remember(uri.fsPath, { mtime, summary, error: null }),
      (error: unknown) => this.remember(uri.fsPath, { mtime, summary: null, error: errorText(error) }),
    ).finally(() => {
      this.pending.delete(key);
      this.emitter.fire();
    });
    this.pending.set(key, done);
  }

  private remember(file: string, reading: Reading): void {
    this.cache.delete(file);
    this.cache.set(file, reading);
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= MAX_CACHED) break;
      this.cache.delete(oldest);
    }
  }

  private async mtimeOf(uri: vscode.Uri): Promise<number> {
    try {
      return (await vscode.workspace.fs.stat(uri)).mtime;
    } catch {
      return 0;
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
