// Run Prompt, Classify Selection and Fill Mask: take the text (promptSource.ts), the model
// (modelChoice.ts), send ModelGenerate / ModelClassify / ModelFillMask and show the answer in
// the Prompt panel, or insert a generation after the selection (transferLab.prompt.insertInEditor).
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { LSPErrorCodes, ResponseError } from 'vscode-languageclient/node';
import type { ModelGenerate } from '../../server/protocol';
import type { TrainingServer } from '../client';
import * as config from '../config';
import { reportError } from '../errors';
import { chooseModel, forgetModel, modelLabel, type PromptTask } from './modelChoice';
import { PromptPanel, type PromptPanelDeps } from './promptPanel';
import { resolvePromptSource, type PromptSource } from './promptSource';
import { DEFAULT_CLASSIFY_TEMPLATE, findMasks, MASK_TOKENS, parseLabels, rankLabels, validateLabels, validateTemplate } from './promptText';

const LABELS_KEY = 'transferLab.prompt.labels';

export class PromptCommands implements vscode.Disposable {
  /** Running generations by requestId, so Stop (or closing the panel) can cancel them. */
  private readonly running = new Map<string, vscode.CancellationTokenSource>();
  /** The requestIds among `running` that stream into the panel (closing it stops them). */
  private readonly streamingToPanel = new Set<string>();

  constructor(private readonly extension: vscode.ExtensionContext, private readonly server: TrainingServer) {}

  dispose(): void {
    this.cancelAll();
  }

  /** Cancels every running generation (the extension is deactivating). */
  private cancelAll(): void {
    for (const cts of this.running.values()) cts.cancel();
  }

  async runPrompt(arg: unknown): Promise<void> {
    const source = await resolvePromptSource(arg);
    if (source === undefined) return;
    const model = await this.model('generate');
    if (model === undefined) return;
    const params: ModelGenerate.Params = { model, prompt: source.text, requestId: randomUUID(), stop: [], ...config.promptSampling() };
    if (config.promptInsertInEditor() && source.insertAt !== undefined) await this.generateIntoEditor(params, source);
    else await this.generateIntoPanel(params);
  }

  async classifySelection(arg: unknown): Promise<void> {
    const source = await resolvePromptSource(arg);
    if (source === undefined) return;
    const labels = await this.askLabels();
    if (labels === undefined) return;
    const template = await this.askTemplate();
    if (template === undefined) return;
    const model = await this.model('classify');
    if (model === undefined) return;
    const panel = this.panel();
    panel.post({ type: 'pending', task: 'classify', model: modelLabel(model), text: source.text });
    try {
      const r = await this.server.classify({ model, text: source.text, labels, template, calibrate: true });
      panel.post({ type: 'classification', model: modelLabel(model), text: source.text, template: r.template, calibrated: true, ranking: rankLabels(r.labels, r.probabilities, r.raw) });
    } catch (error) {
      await this.fail(panel, error, 'Classify Selection');
    }
  }

  async fillMask(arg: unknown): Promise<void> {
    const source = await resolvePromptSource(arg);
    if (source === undefined) return;
    if (findMasks(source.text).length === 0) {
      void vscode.window.showInformationMessage(`Transfer Lab: the text has no mask token. Write ${MASK_TOKENS.join(' or ')} where a word should be predicted.`);
      return;
    }
    const model = await this.model('fillMask');
    if (model === undefined) return;
    const panel = this.panel();
    panel.post({ type: 'pending', task: 'fillMask', model: modelLabel(model), text: source.text });
    try {
      const r = await this.server.fillMask({ model, text: source.text, topK: config.fillMaskTopK() });
      panel.post({ type: 'fillMask', model: modelLabel(model), text: source.text, predictions: r.predictions });
    } catch (error) {
      await this.fail(panel, error, 'Fill Mask');
    }
  }

  private model(task: PromptTask): Promise<string | undefined> {
    return chooseModel({ extension: this.extension, server: this.server }, task);
  }

  /** Takes back a Prompt panel VS Code kept across a window reload (its serializer calls this). */
  restorePanel(webviewPanel: vscode.WebviewPanel): void {
    PromptPanel.restore(this.panelDeps(), webviewPanel);
  }

  private panel(): PromptPanel {
    return PromptPanel.show(this.panelDeps());
  }

  private panelDeps(): PromptPanelDeps {
    return {
      extensionUri: this.extension.extensionUri,
      output: this.server.output,
      onStop: (requestId) => this.running.get(requestId)?.cancel(),
      onChangeModel: (task) => void this.changeModel(task),
      onClose: () => {
        for (const id of this.streamingToPanel) this.running.get(id)?.cancel();
      },
    };
  }

  private async changeModel(task: PromptTask): Promise<void> {
    await forgetModel(this.extension, task);
    try {
      const picked = await this.model(task);
      if (picked !== undefined) void vscode.window.showInformationMessage(`Transfer Lab: using ${modelLabel(picked)} from now on in this workspace.`);
    } catch (error) {
      await reportError(this.server, error, 'Choosing a model');
    }
  }

  /** Streams the generation into the Prompt panel; Stop cancels the request. */
  private async generateIntoPanel(params: ModelGenerate.Params): Promise<void> {
    const panel = this.panel();
    const { maxTokens, temperature, topK, topP, seed } = params;
    panel.post({ type: 'generationStart', requestId: params.requestId, model: modelLabel(params.model), prompt: params.prompt, settings: { maxTokens, temperature, topK, topP, seed } });
    this.streamingToPanel.add(params.requestId);
    const pieces = this.server.onGeneratedText((p) => {
      if (p.requestId === params.requestId) panel.post({ type: 'piece', requestId: p.requestId, piece: p.piece });
    });
    try {
      const r = await this.generate(params);
      panel.post({ type: 'generationEnd', requestId: params.requestId, tokens: r?.tokens ?? 0, tokensPerSec: r?.tokensPerSec ?? 0, timeToFirstTokenMs: r?.timeToFirstTokenMs ?? 0, cancelled: r?.cancelled ?? true });
    } catch (error) {
      await this.fail(panel, error, 'Run Prompt'); // the panel keeps the pieces that arrived and says "failed"
    } finally {
      pieces.dispose();
      this.streamingToPanel.delete(params.requestId);
    }
  }

  /** Generates with a cancellable progress notification, then inserts the text after the prompt. */
  private async generateIntoEditor(params: ModelGenerate.Params, source: PromptSource): Promise<void> {
    const at = source.insertAt!;
    try {
      const r = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Generating with ${modelLabel(params.model)}…`, cancellable: true },
        (_progress, token) => {
          const sub = token.onCancellationRequested(() => this.running.get(params.requestId)?.cancel());
          return this.generate(params).finally(() => sub.dispose());
        },
      );
      if (r === undefined || r.text === '') return;
      const edit = new vscode.WorkspaceEdit();
      edit.insert(at.uri, at.position, r.text);
      await vscode.workspace.applyEdit(edit);
    } catch (error) {
      await reportError(this.server, error, 'Run Prompt');
    }
  }

  /** Sends ModelGenerate with a token that Stop cancels; undefined when the answer was dropped. */
  private async generate(params: ModelGenerate.Params): Promise<ModelGenerate.Result | undefined> {
    const cts = new vscode.CancellationTokenSource();
    this.running.set(params.requestId, cts);
    try {
      return await this.server.generate(params, cts.token);
    } catch (error) {
      if (cts.token.isCancellationRequested && isCancellation(error)) return undefined;
      throw error;
    } finally {
      this.running.delete(params.requestId);
      cts.dispose();
    }
  }

  /** Labels, comma-separated, offered from last time (remembered per workspace). */
  private async askLabels(): Promise<string[] | undefined> {
    const last: unknown = this.extension.workspaceState.get(LABELS_KEY);
    const input = await vscode.window.showInputBox({
      title: 'Transfer Lab: zero-shot labels',
      prompt: 'Labels, separated by commas',
      placeHolder: 'positive, negative',
      value: typeof last === 'string' ? last : '',
      validateInput: validateLabels,
      ignoreFocusOut: true,
    });
    if (input === undefined) return undefined;
    const labels = parseLabels(input);
    await this.extension.workspaceState.update(LABELS_KEY, labels.join(', '));
    return labels;
  }

  /** The template, starting from transferLab.prompt.classifyTemplate (or the built-in default). */
  private async askTemplate(): Promise<string | undefined> {
    const configured = config.classifyTemplate();
    return vscode.window.showInputBox({
      title: 'Transfer Lab: classification template',
      prompt: 'Each label is scored in the {label} slot; {text} is the selection. Enter to accept.',
      value: configured !== '' ? configured : DEFAULT_CLASSIFY_TEMPLATE,
      validateInput: validateTemplate,
      ignoreFocusOut: true,
    });
  }

  /** Shows a failed request in the panel and through the usual error path. */
  private async fail(panel: PromptPanel, error: unknown, doing: string): Promise<void> {
    if (isCancellation(error)) return;
    panel.post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    await reportError(this.server, error, doing);
  }
}

function isCancellation(error: unknown): boolean {
  return error instanceof vscode.CancellationError ||
    (error instanceof ResponseError && (error.code === LSPErrorCodes.RequestCancelled || error.code === LSPErrorCodes.ServerCancelled));
}
