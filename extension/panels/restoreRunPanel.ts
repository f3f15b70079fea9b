// The serializer's common half for panels that show one run (Training, Forgetting): after a
// window reload, read the run the page saved again and dress the kept panel for it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../server/protocol';
import type { TrainingServer } from '../client';
import { errorText } from '../errors';
import { webviewOptions } from './panelHtml';

export interface SavedRunRef {
  readonly run: { readonly runId: string; readonly runDir: string };
}

/** "Training: sms_spam.csv": the panel kind and the run's dataset file. */
export function runPanelTitle(kind: string, run: RunSummary): string {
  return `${kind}: ${path.basename(run.config.dataset)}`;
}

/**
 * The run to show in `panel`, or undefined with the panel disposed: when the page never said
 * which run it showed, when the run is gone (with a message), or when that run's panel of this
 * kind is already open.
 */
export async function restoreRunPanel(
  kind: string,
  deps: { readonly server: TrainingServer; readonly extensionUri: vscode.Uri },
  panel: vscode.WebviewPanel,
  saved: SavedRunRef | undefined,
  isOpen: (runId: string) => boolean,
): Promise<RunSummary | undefined> {
  if (saved === undefined) {
    panel.dispose(); // a page that never said which run it showed: nothing to restore
    return undefined;
  }
  let run: RunSummary;
  try {
    run = (await deps.server.runHistory({ runDir: saved.run.runDir })).run;
  } catch (error) {
    panel.dispose();
    void vscode.window.showWarningMessage(`Transfer Lab: the ${kind} panel of ${saved.run.runId} was not restored: ${errorText(error)}`);
    return undefined;
  }
  if (isOpen(run.runId)) {
    panel.dispose();
    return undefined;
  }
  panel.webview.options = webviewOptions(deps.extensionUri);
  panel.title = runPanelTitle(kind, run);
  return run;
}
