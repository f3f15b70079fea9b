// The Attention panel: one webview (reused) showing every attention map of a model for a text,
// from ModelAttention. Exports arrive from the webview as data and are written after a Save dialog.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  assertNever,
  isAttentionToExtensionMessage,
  type AttentionToExtensionMessage,
  type ExtensionToAttentionMessage,
} from '../../webview/messages';
import type { TrainingServer } from '../client';
import { reportError } from '../errors';
import { panelResourceRoots, renderPanelHtml } from './panelHtml';

export interface AttentionPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly server: TrainingServer;
}

/** What to inspect: a model folder (or preset) and the text. */
export interface AttentionRequest {
  readonly model: string;
  readonly modelName: string;
  readonly text: string;
}

const VIEW_TYPE = 'transferLab.attention';
const PNG_PREFIX = 'data:image/png;base64,';

export class AttentionPanel implements vscode.Disposable {
  private static current: AttentionPanel | undefined;

  /** Shows the panel (creating it beside the editor) and computes the maps of `request`. */
  static show(deps: AttentionPanelDeps, request: AttentionRequest): AttentionPanel {
    let panel = AttentionPanel.current;
    if (panel === undefined) {
      const webviewPanel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Attention', vscode.ViewColumn.Beside, {
        enableScripts: true,
        localResourceRoots: panelResourceRoots(deps.extensionUri),
        retainContextWhenHidden: true,
      });
      panel = new AttentionPanel(deps, webviewPanel);
      AttentionPanel.current = panel;
    } else {
      panel.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    panel.inspect(request);
    return panel;
  }

  private readonly disposables: vscode.Disposable[] = [];
  private webviewReady = false;
  /** The last message that describes the panel's content, replayed when the webview (re)loads. */
  private lastMessages: ExtensionToAttentionMessage[] = [];
  private generation = 0;
  private disposed = false;

  private constructor(private readonly deps: AttentionPanelDeps, private readonly panel: vscode.WebviewPanel) {
    panel.webview.html = renderPanelHtml(deps.extensionUri, panel.webview, 'attention', 'Attention');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (AttentionPanel.current === this) AttentionPanel.current = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private inspect(request: AttentionRequest): void {
    const generation = ++this.generation;
    this.panel.title = `Attention: ${request.modelName}`;
    this.lastMessages = [{ type: 'loading', model: request.modelName, text: request.text }];
    this.post(this.lastMessages[0]!);
    void (async () => {
      let message: ExtensionToAttentionMessage;
      try {
        const result = await this.deps.server.modelAttention({ model: request.model, text: request.text });
        message = { type: 'attention', model: request.modelName, text: request.text, result };
      } catch (error) {
        message = { type: 'error', message: error instanceof Error ? error.message : String(error) };
      }
      if (generation !== this.generation || this.disposed) return; // a newer request replaced it
      this.lastMessages.push(message);
      this.post(message);
    })();
  }

  private onMessage(message: unknown): void {
    if (!isAttentionToExtensionMessage(message)) {
      this.deps.server.output.warn(`Attention panel sent an unknown message: ${JSON.stringify(message).slice(0, 200)}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.webviewReady = true;
        for (const m of this.lastMessages) void this.panel.webview.postMessage(m);
        return;
      case 'export':
        void this.save(message);
        return;
      default:
        assertNever(message);
    }
  }

  private async save(message: Extract<AttentionToExtensionMessage, { type: 'export' }>): Promise<void> {
    try {
      if (message.format === 'png' && !message.data.startsWith(PNG_PREFIX)) throw new Error('The panel sent an image that is not a PNG.');
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const name = path.basename(message.suggestedName); // never a path from the webview
      const target = await vscode.window.showSaveDialog({
        title: message.format === 'png' ? 'Save the heat map as PNG' : 'Save the attention weights as JSON',
        filters: message.format === 'png' ? { 'PNG image': ['png'] } : { JSON: ['json'] },
        ...(folder !== undefined ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
      });
      if (target === undefined) return;
      const bytes = message.format === 'png'
        ? Buffer.from(message.data.slice(PNG_PREFIX.length), 'base64')
        : Buffer.from(message.data, 'utf8');
      await vscode.workspace.fs.writeFile(target, bytes);
      void vscode.window.showInformationMessage(`Transfer Lab: saved ${path.basename(target.fsPath)}.`);
    } catch (error) {
      await reportError(this.deps.server, error, 'Exporting the attention map');
    }
  }

  private post(message: ExtensionToAttentionMessage): void {
    if (this.webviewReady) void this.panel.webview.postMessage(message);
  }
}
