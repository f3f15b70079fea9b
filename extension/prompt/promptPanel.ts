// The Prompt panel: one webview beside the editor (or notebook) that shows the latest prompt
// command's input and result: streamed generations with a Stop button, zero-shot rankings and
// fill-mask predictions. Messages posted before the page says `ready` are queued.
import * as vscode from 'vscode';
import { PANEL_VIEW_TYPES } from '../commandIds';
import { panelOptions, renderPanelHtml, webviewOptions } from '../panels/panelHtml';
import {
  assertNever,
  isPromptToExtensionMessage,
  type ExtensionToPromptMessage,
  type PromptToExtensionMessage,
} from '../../webview/messages';

export interface PromptPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly output: vscode.LogOutputChannel;
  /** The user pressed Stop on generation `requestId`. */
  readonly onStop: (requestId: string) => void;
  /** The user pressed "Change model" for `task`. */
  readonly onChangeModel: (task: Extract<PromptToExtensionMessage, { type: 'changeModel' }>['task']) => void;
  /** The panel was closed (running generations have no one to stream to). */
  readonly onClose: () => void;
}

const TITLE = 'Prompt';

export class PromptPanel implements vscode.Disposable {
  private static current: PromptPanel | undefined;

  /** Shows the panel (created beside the active editor or notebook, without taking focus). */
  static show(deps: PromptPanelDeps): PromptPanel {
    const existing = PromptPanel.current;
    if (existing !== undefined) {
      existing.panel.reveal(undefined, true);
      return existing;
    }
    // panelOptions keeps the page alive in a hidden tab: a generation keeps streaming into it.
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPES.prompt, TITLE, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, panelOptions(deps.extensionUri));
    PromptPanel.current = new PromptPanel(deps, panel);
    return PromptPanel.current;
  }

  /**
   * The serializer's half: a panel kept across a window reload. Its page redraws what it showed
   * from its own saved state; this side only takes it back as the current Prompt panel.
   */
  static restore(deps: PromptPanelDeps, webviewPanel: vscode.WebviewPanel): void {
    if (PromptPanel.current !== undefined) {
      webviewPanel.dispose();
      return;
    }
    webviewPanel.webview.options = webviewOptions(deps.extensionUri);
    PromptPanel.current = new PromptPanel(deps, webviewPanel);
  }

  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private queue: ExtensionToPromptMessage[] = [];
  private disposed = false;

  private constructor(private readonly deps: PromptPanelDeps, private readonly panel: vscode.WebviewPanel) {
    panel.webview.html = renderPanelHtml(deps.extensionUri, panel.webview, 'prompt', 'Prompt');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
    );
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  post(message: ExtensionToPromptMessage): void {
    if (this.disposed) return;
    if (this.ready) void this.panel.webview.postMessage(message);
    else this.queue.push(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (PromptPanel.current === this) PromptPanel.current = undefined;
    this.deps.onClose();
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private onMessage(message: unknown): void {
    if (!isPromptToExtensionMessage(message)) {
      this.deps.output.warn(`Prompt panel sent an unknown message: ${JSON.stringify(message)}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        for (const queued of this.queue.splice(0)) void this.panel.webview.postMessage(queued);
        return;
      case 'stop':
        this.deps.onStop(message.requestId);
        return;
      case 'changeModel':
        this.deps.onChangeModel(message.task);
        return;
      default:
        assertNever(message);
    }
  }
}

