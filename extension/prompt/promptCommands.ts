// Run Prompt, Classify Selection and Fill Mask: take the text (promptSource.ts), the model
// (modelChoice.ts), send ModelGenerate / ModelClassify / ModelFillMask and show the answer in
// the Prompt panel, or insert a generation after the selection (transferLab.prompt.insertInEditor).
// When a run fine-tuned from the model exists (fineTunedModel.ts), its model answers too, in a
// second column of the panel.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { LSPErrorCodes, ResponseError } from 'vscode-languageclient/node';
import type { ModelGenerate } from '../../server/protocol';
import type { TrainingServer } from '../client';
import * as config from '../config';
import { errorText, reportError } from '../errors';
import type { PanelAnswerRole } from '../../webview/messages';
import { fineTunedModelOf, type FineTunedModel } from './fineTunedModel';
import { chooseModel, forgetModel, modelLabel, taskHeads, type PromptTask } from './modelChoice';
import { PromptPanel, type PromptPanelDeps } from './promptPanel';
import { resolvePromptSource, type PromptSource } from './promptSource';
import { DEFAULT_CLASSIFY_TEMPLATE, findMasks, MASK_TOKENS, parseLabels, rankLabels, validateLabels, validateTemplate } from './promptText';

const LABELS_KEY = 'transferLab.prompt.labels';

/** One answer column: the prompt's model, or the run fine-tuned from it. */
interface Column {
  readonly role: PanelAnswerRole;
  /** Model folder sent to the server. */
  readonly model: string;
  /** Display name. */
  readonly label: string;
}

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
    else await this.generateIntoPanel(params, await this.columns(model, 'generate'));
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
    const columns = await this.columns(model, 'classify');
    const panel = this.panel();
    panel.post({ type: 'pending', task: 'classify', model: modelLabel(model), text: source.text, fineTuned: fineTunedColumn(columns) });
    await this.answerEach(panel, columns, 'Classify Selection', async (c) => {
      const r = await this.server.classify({ model: c.model, text: source.text, labels, template, calibrate: true });
      panel.post({ type: 'classification', role: c.role, model: c.label, text: source.text, template: r.template, calibrated: true, ranking: rankLabels(r.labels, r.probabilities, r.raw) });
    });
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
    const columns = await this.columns(model, 'fillMask');
    const panel = this.panel();
    panel.post({ type: 'pending', task: 'fillMask', model: modelLabel(model), text: source.text, fineTuned: fineTunedColumn(columns) });
    await this.answerEach(panel, columns, 'Fill Mask', async (c) => {
      const r = await this.server.fillMask({ model: c.model, text: source.text, topK: config.fillMaskTopK() });
      panel.post({ type: 'fillMask', role: c.role, model: c.label, text: source.text, predictions: r.predictions });
    });
  }

  /** The prompt's model, and beside it the newest run fine-tuned from it that can do `task`. */
  private async columns(model: string, task: PromptTask): Promise<Column[]> {
    const base: Column = { role: 'base', model, label: modelLabel(model) };
    const fineTuned = await this.fineTunedModel(model, task);
    return fineTuned === undefined ? [base] : [base, { role: 'fineTuned', model: fineTuned.dir, label: fineTuned.name }];
  }

  /** Looks in the runs folder; a failure only means no comparison (logged, not shown). */
  private async fineTunedModel(model: string, task: PromptTask): Promise<FineTunedModel | undefined> {
    if (!config.promptCompareWithFineTuned()) return undefined;
    try {
      const runsDir = config.runsDirectory(this.extension.globalStorageUri);
      const [{ runs }, { models }] = await Promise.all([
        this.server.listRuns({ runsDir }),
        this.server.listModels({ workspaceRoots: [], modelPaths: [], runsDir }), // run outputs only
      ]);
      return fineTunedModelOf(model, runs, models, taskHeads(task));
    } catch (error) {
      this.server.output.warn(`Looking for runs fine-tuned from ${model} failed: ${errorText(error)}`);
      return undefined;
    }
  }

  /** Asks every column's model at once; a failure shows in its own column (or the panel, alone). */
  private async answerEach(panel: PromptPanel, columns: readonly Column[], doing: string, ask: (c: Column) => Promise<void>): Promise<void> {
    await Promise.all(columns.map(async (c) => {
      try {
        await ask(c);
      } catch (error) {
        await this.fail(panel, error, columns.length > 1 ? `${doing} (${c.label})` : doing, columns.length > 1 ? c.role : undefined);
      }
    }));
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

  /** Streams the generation of each column into the Prompt panel; Stop cancels the requests. */
  private async generateIntoPanel(params: ModelGenerate.Params, columns: readonly Column[]): Promise<void> {
    const panel = this.panel();
    const { maxTokens, temperature, topK, topP, seed } = params;
    const requests = columns.map((c) => ({ column: c, params: c.role === 'base' ? params : { ...params, model: c.model, requestId: randomUUID() } }));
    const fineTuned = requests.find((r) => r.column.role === 'fineTuned');
    panel.post({
      type: 'generationStart', requestId: params.requestId, model: modelLabel(params.model), prompt: params.prompt, settings: { maxTokens, temperature, topK, topP, seed },
      fineTuned: fineTuned === undefined ? null : { requestId: fineTuned.params.requestId, model: fineTuned.column.label },
    });
    const ids = new Set(requests.map((r) => r.params.requestId));
    for (const id of ids) this.streamingToPanel.add(id);
    const pieces = this.server.onGeneratedText((p) => {
      if (ids.has(p.requestId)) panel.post({ type: 'piece', requestId: p.requestId, piece: p.piece });
    });
    try {
      // The panel keeps the pieces that arrived before a failure and says "failed".
      await this.answerEach(panel, columns, 'Run Prompt', async (c) => {
        const request = requests.find((r) => r.column === c)!.params;
        const r = await this.generate(request);
        panel.post({ type: 'generationEnd', requestId: request.requestId, tokens: r?.tokens ?? 0, tokensPerSec: r?.tokensPerSec ?? 0, timeToFirstTokenMs: r?.timeToFirstTokenMs ?? 0, cancelled: r?.cancelled ?? true });
      });
    } finally {
      pieces.dispose();
      for (const id of ids) this.streamingToPanel.delete(id);
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

  /** Shows a failed request in the panel (in `role`'s column when given) and through the usual error path. */
  private async fail(panel: PromptPanel, error: unknown, doing: string, role?: PanelAnswerRole): Promise<void> {
    if (isCancellation(error)) return;
    const message = errorText(error);
    panel.post(role === undefined ? { type: 'error', message } : { type: 'error', message, role });
    await reportError(this.server, error, doing);
  }
}

/** The panel's fine-tuned column, when the comparison has one. */
function fineTunedColumn(columns: readonly Column[]): { readonly model: string } | null {
  const c = columns.find((x) => x.role === 'fineTuned');
  return c === undefined ? null : { model: c.label };
}

function isCancellation(error: unknown): boolean {
  return error instanceof vscode.CancellationError ||
    (error instanceof ResponseError && (error.code === LSPErrorCodes.RequestCancelled || error.code === LSPErrorCodes.ServerCancelled));
}
