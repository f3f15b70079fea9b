// The Attention panel: one webview (reused) showing every attention map of a model for a text,
// from ModelAttention. Exports arrive from the webview as data and are written after a Save dialog.
import * as vscode from 'vscode';
import {
  assertNever,
  isAttentionToExtensionMessage,
  parseAttentionPanelState,
  type AttentionToExtensionMessage,
  type ExtensionToAttentionMessage,
} from '../../webview/messages';
import type { TrainingServer } from '../client';
import { PANEL_VIEW_TYPES } from '../commandIds';
import { panelOptions, renderPanelHtml, webviewOptions } from './panelHtml';
import { saveExport } from './saveExport';

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


export class AttentionPanel implements vscode.Disposable {
  private static current: AttentionPanel | undefined;

  /** Shows the panel (creating it beside the editor) and computes the maps of `request`. */
  static show(deps: AttentionPanelDeps, request: AttentionRequest): AttentionPanel {
    let panel = AttentionPanel.current;
    if (panel === undefined) {
      const webviewPanel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPES.attention, 'Attention', vscode.ViewColumn.Beside, panelOptions(deps.extensionUri));
      panel = new AttentionPanel(deps, webviewPanel);
      AttentionPanel.current = panel;
    } else {
      panel.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    panel.inspect(request);
    return panel;
  }

  /**
   * The serializer's half: a panel kept across a window reload computes its maps again from the
   * model and text its page saved (the maps themselves are not kept: they can be large).
   */
  static restore(deps: AttentionPanelDeps, webviewPanel: vscode.WebviewPanel, state: unknown): void {
    const saved = parseAttentionPanelState(state);
    if (saved === undefined || AttentionPanel.current !== undefined) {
      webviewPanel.dispose();
      return;
    }
    webviewPanel.webview.options = webviewOptions(deps.extensionUri);
    const panel = new AttentionPanel(deps, webviewPanel);
    AttentionPanel.current = panel;
    panel.inspect({ model: saved.model, modelName: saved.modelName, text: saved.text });
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
    const state = { panel: 'attention', model: request.model, modelName: request.modelName, text: request.text } as const;
    this.lastMessages = [{ type: 'loading', model: request.modelName, text: request.text, state }];
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

  private save(message: Extract<AttentionToExtensionMessage, { type: 'export' }>): Promise<void> {
    const title = message.format === 'png' ? 'Save the heat map as PNG' : 'Save the attention weights as JSON';
    return saveExport(this.deps.server, message, title, 'Exporting the attention map');
  }

  private post(message: ExtensionToAttentionMessage): void {
    if (this.webviewReady) void this.panel.webview.postMessage(message);
  }
}
