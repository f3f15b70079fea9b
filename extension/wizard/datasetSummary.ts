// The dataset summary the wizard and "Edit as JSON" start from. A .jsonl/.json file that is not a
// flat table may still be a tagging dataset (records of token lists), so its error is kept, not shown.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatasetSummary } from '../../server/protocol';
import type { TrainingServer } from '../client';
import { errorText } from '../errors';

/** The dataset's summary, or why it is not a flat table (records of token lists still fine-tune as tagging). */
export async function readSummary(server: TrainingServer, dataset: vscode.Uri): Promise<{ summary: DatasetSummary | null; error: string }> {
  try {
    const summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Reading ${path.basename(dataset.fsPath)}…` },
      () => server.inspectDataset({ path: dataset.fsPath }),
    );
    return { summary, error: '' };
  } catch (error) {
    const ext = path.extname(dataset.fsPath).toLowerCase();
    if (ext !== '.jsonl' && ext !== '.json') throw error; // a CSV the server cannot read: nothing to fine-tune
    return { summary: null, error: errorText(error) };
  }
}
