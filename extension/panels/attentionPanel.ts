// The Attention panel: one webview (reused) showing every attention map of a model for a text,
// from ModelAttention, and — when comparing — a base model's maps of the same text (the webview
// draws the difference). Exports arrive from the webview as data and are written after a Save dialog.
import * as vscode from 'vscode';
import type { ModelAttention } from '../../server/protocol';
import {
  assertNever,
  isAttentionToExtensionMessage,
  parseAttentionPanelState,
  type AttentionSelection,
  type AttentionCompareChoice,
  type AttentionToExtensionMessage,
  type ExtensionToAttentionMessage,
} from '../../webview/messages';
import type { TrainingServer } from '../client';
import { errorText, reportError } from '../errors';
import { PANEL_VIEW_TYPES } from '../commandIds';
import { panelOptions, renderPanelHtml, webviewOptions } from './panelHtml';
import { saveExport } from './saveExport';

/** A model folder (or preset) and its display name. */
export interface ModelRef {
  readonly model: string;
  readonly name: string;
}

export interface AttentionPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly server: TrainingServer;
  /**
   * Asks the user for the other side of a comparison with `current`: a base model, or a
   * fine-tuned run's model. Absent where the caller offers no picker (the panel then says so).
   */
  readonly pickComparison?: (role: 'base' | 'fine-tuned', current: ModelRef) => Promise<ModelRef | undefined>;
}

/** What to inspect: a model folder (or preset) and the text. */
export interface AttentionRequest {
  readonly model: string;
  readonly modelName: string;
  readonly text: string;
  /** Compare with this model's maps of the same text: the difference map is `model` − `base`. */
  readonly base?: ModelRef;
  /** Shown above the maps, e.g. why a run's output has no base model to compare with. */
  readonly notice?: string;
  /** The map to open at (a panel restored after a window reload); absent: the first. */
  readonly selection?: AttentionSelection;
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
      panel.deps = { ...deps, ...(deps.pickComparison === undefined && panel.deps.pickComparison !== undefined ? { pickComparison: panel.deps.pickComparison } : {}) };
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
    const { model, modelName, text, base, selection } = saved;
    panel.inspect({ model, modelName, text, ...(base !== undefined ? { base } : {}), ...(selection !== undefined ? { selection } : {}) });
  }

  private readonly disposables: vscode.Disposable[] = [];
  private webviewReady = false;
  /** The last message that describes the panel's content, replayed when the webview (re)loads. */
  private lastMessages: ExtensionToAttentionMessage[] = [];
  private generation = 0;
  private disposed = false;
  /** What the panel shows (or computes) now. */
  private request: AttentionRequest | undefined;

  private constructor(private deps: AttentionPanelDeps, private readonly panel: vscode.WebviewPanel) {
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
    this.request = request;
    this.panel.title = request.base === undefined ? `Attention: ${request.modelName}` : `Attention: ${request.modelName} vs ${request.base.name}`;
    const state = {
      panel: 'attention', model: request.model, modelName: request.modelName, text: request.text,
      ...(request.base !== undefined ? { base: { model: request.base.model, name: request.base.name } } : {}),
      ...(request.selection !== undefined ? { selection: request.selection } : {}),
    } as const;
    this.lastMessages = [{ type: 'loading', model: request.modelName, text: request.text, base: request.base?.name ?? null, state }];
    this.post(this.lastMessages[0]!);
    void (async () => {
      let message: ExtensionToAttentionMessage;
      // The base's failure (a missing folder, another tokenizer file) must not hide the model's own maps.
      const [tuned, base] = await Promise.allSettled([
        this.deps.server.modelAttention({ model: request.model, text: request.text }),
        request.base === undefined ? Promise.resolve(null) : this.deps.server.modelAttention({ model: request.base.model, text: request.text }),
      ]);
      if (tuned.status === 'rejected') {
        message = { type: 'error', message: errorText(tuned.reason) };
      } else {
        const baseResult: ModelAttention.Result | null = base.status === 'fulfilled' ? base.value : null;
        const baseProblem = base.status === 'rejected' && request.base !== undefined
          ? `The base model ${request.base.name} could not be inspected, so there is no comparison: ${errorText(base.reason)}`
          : null;
        message = {
          type: 'attention', model: request.modelName, text: request.text, result: tuned.value,
          base: baseResult === null || request.base === undefined ? null : { model: request.base.name, result: baseResult },
          notice: [request.notice, baseProblem].filter((n): n is string => n !== undefined && n !== null).join(' ') || null,
        };
      }
      if (generation !== this.generation || this.disposed) return; // a newer request replaced it
      this.lastMessages.push(message);
      this.post(message);
    })();
  }

  /** "Compare with base…", "Compare with fine-tuned run…", "Stop comparing". */
  private async compare(choice: AttentionCompareChoice): Promise<void> {
    const current = this.request;
    if (current === undefined) return;
    if (choice === 'none') {
      this.inspect({ model: current.model, modelName: current.modelName, text: current.text });
      return;
    }
    const pick = this.deps.pickComparison;
    if (pick === undefined) {
      void vscode.window.showInformationMessage('Transfer Lab: open the Attention panel from the Models view or the Command Palette to compare models.');
      return;
    }
    const self: ModelRef = { model: current.model, name: current.modelName };
    try {
      if (choice === 'base') {
        const base = await pick('base', self);
        if (base !== undefined) this.inspect({ model: current.model, modelName: current.modelName, text: current.text, base });
        return;
      }
      // The model on screen becomes the base of the run picked (or keeps its own base when it has one).
      const tuned = await pick('fine-tuned', current.base ?? self);
      if (tuned !== undefined) this.inspect({ model: tuned.model, modelName: tuned.name, text: current.text, base: current.base ?? self });
    } catch (error) {
      await reportError(this.deps.server, error, 'Choosing a model to compare with');
    }
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
      case 'compare':
        void this.compare(message.with);
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

