// The Prompt panel: one webview beside the editor (or notebook) that shows the latest prompt
// command's input and result: streamed generations with a Stop button, zero-shot rankings and
// fill-mask predictions. Messages posted before the page says `ready` are queued.
import * as vscode from 'vscode';
import { panelResourceRoots, renderPanelHtml } from '../panels/panelHtml';
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

const VIEW_TYPE = 'transferLab.prompt';
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
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, TITLE, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: panelResourceRoots(deps.extensionUri),
      retainContextWhenHidden: true, // a generation keeps streaming into a hidden tab
    });
    PromptPanel.current = new PromptPanel(deps, panel);
    return PromptPanel.current;
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

