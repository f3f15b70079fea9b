// Writes what a panel exports (a PNG as a data: URL, or CSV / JSON text) to a file the user picks
// in a Save dialog. The webview never names a path: only a file name to suggest.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrainingServer } from '../client';
import { reportError } from '../errors';

export type ExportFormat = 'png' | 'csv' | 'json';

export interface ExportRequest {
  readonly format: ExportFormat;
  /** A data:image/png;base64 URL for PNG, the file's text otherwise. */
  readonly data: string;
  readonly suggestedName: string;
}

const PNG_PREFIX = 'data:image/png;base64,';

const FILTERS: Readonly<Record<ExportFormat, Record<string, string[]>>> = {
  png: { 'PNG image': ['png'] },
  csv: { CSV: ['csv'] },
  json: { JSON: ['json'] },
};

/** The bytes of the file, or an error naming what the panel sent wrong. */
export function exportBytes(request: ExportRequest): Uint8Array {
  if (request.format !== 'png') return Buffer.from(request.data, 'utf8');
  if (!request.data.startsWith(PNG_PREFIX)) throw new Error('The panel sent an image that is not a PNG.');
  return Buffer.from(request.data.slice(PNG_PREFIX.length), 'base64');
}

/**
 * Asks where to save (`title` heads the dialog, e.g. "Save the charts as PNG"), writes the file
 * and says so; failures go through reportError as `doing`.
 */
export async function saveExport(server: TrainingServer, request: ExportRequest, title: string, doing: string): Promise<void> {
  try {
    const bytes = exportBytes(request);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = path.basename(request.suggestedName); // never a path from the webview
    const target = await vscode.window.showSaveDialog({
      title,
      filters: FILTERS[request.format],
      ...(folder !== undefined ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
    });
    if (target === undefined) return;
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`Transfer Lab: saved ${path.basename(target.fsPath)}.`);
  } catch (error) {
    await reportError(server, error, doing);
  }
}
