// The training server as the extension sees it: a vscode-languageclient LanguageClient over IPC,
// wrapped in `TrainingServer`, which exposes one typed method per protocol request, run events,
// and a status (starting / running with its backend / stopped with a reason).
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type ErrorHandler,
  type NodeModule,
} from 'vscode-languageclient/node';
import {
  DatasetInspect,
  DatasetTokenLengths,
  ModelAttention,
  GeneratedTextNotification,
  ModelClassify,
  ModelFillMask,
  ModelGenerate,
  ModelList,
  PretrainStart,
  PretrainStateNotification,
  PROTOCOL_VERSION,
  RunCancel,
  RunHistory,
  RunList,
  RunMetricsNotification,
  RunResolveConfig,
  RunResume,
  RunStart,
  RunStateNotification,
  type BackendInfo,
  type TransferLabInitializationOptions,
  type TransferLabInitializeResult,
} from '../server/protocol';
import * as config from './config';
import { COMMANDS } from './commandIds';

export type ServerStatus =
  | { readonly kind: 'starting' }
  | { readonly kind: 'running'; readonly backend: BackendInfo | null }
  | { readonly kind: 'stopped'; readonly reason: string };

/** Thrown by requests while the server is down; callers offer "Show Logs" / "Restart". */
export class ServerDownError extends Error {
  constructor(reason: string) {
    super(`The Transfer Lab training server is not running (${reason}).`);
  }
}

const CLIENT_ID = 'transferLab';
const CLIENT_NAME = 'Transfer Lab';
/** Port for `--inspect` when the extension itself runs under the debugger. */
const SERVER_DEBUG_PORT = 6010;
/** Automatic restarts allowed within RESTART_WINDOW_MS before we give up (as the library does). */
const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60 * 1000;

export class TrainingServer implements vscode.Disposable {
  /** "Transfer Lab" output channel: the server's log and stderr. */
  readonly output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  private client: LanguageClient | undefined;
  private currentStatus: ServerStatus = { kind: 'stopped', reason: 'not started yet' };
  /** Set while vscode-languageclient restarts a crashed server, so "stopped" is not flashed. */
  private autoRestarting = false;
  private readonly statusEmitter = new vscode.EventEmitter<ServerStatus>();
  private readonly metricsEmitter = new vscode.EventEmitter<RunMetricsNotification.Params>();
  private readonly runStateEmitter = new vscode.EventEmitter<RunStateNotification.Params>();
  readonly onDidChangeStatus = this.statusEmitter.event;
  readonly onMetrics = this.metricsEmitter.event;
  readonly onRunState = this.runStateEmitter.event;
  private readonly generatedTextEmitter = new vscode.EventEmitter<GeneratedTextNotification.Params>();
  /** Streamed pieces of ModelGenerate requests, tagged with the requestId the caller chose. */
  readonly onGeneratedText = this.generatedTextEmitter.event;
  private readonly pretrainStateEmitter = new vscode.EventEmitter<PretrainStateNotification.Params>();
  /** A pretraining job ended (completed, failed or cancelled). */
  readonly onPretrainState = this.pretrainStateEmitter.event;
  private readonly disposables: vscode.Disposable[] = [this.output, this.statusEmitter, this.metricsEmitter, this.runStateEmitter, this.generatedTextEmitter, this.pretrainStateEmitter];

  constructor(private readonly context: vscode.ExtensionContext) {
    this.disposables.push(vscode.workspace.onDidChangeConfiguration((e) => this.onConfigChanged(e)));
  }

  get status(): ServerStatus {
    return this.currentStatus;
  }

  /** Starts the server; a failure is logged and shown, never thrown. */
  async start(): Promise<void> {
    if (this.client !== undefined) return;
    this.setStatus({ kind: 'starting' });
    try {
      const client = this.createClient();
      this.client = client;
      await client.start();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.output.error(`Starting the training server failed: ${reason}`);
      const failed = this.client;
      this.client = undefined; // so the next start() (or Restart) builds a fresh client
      failed?.dispose().catch(() => undefined);
      this.setStatus({ kind: 'stopped', reason: `failed to start: ${reason}` });
      void this.showDownMessage(`Transfer Lab: the training server failed to start (${reason}).`);
    }
  }

  /** Stops the server (if any) and starts a fresh one with the current settings. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) return;
    try {
      await client.dispose();
    } catch (error) {
      this.output.warn(`Stopping the training server: ${String(error)}`);
    }
    this.setStatus({ kind: 'stopped', reason: 'stopped' });
  }

  async inspectDataset(params: DatasetInspect.Params): Promise<DatasetInspect.Result> {
    return (await this.ready()).sendRequest(DatasetInspect.type, params);
  }
  async tokenLengths(params: DatasetTokenLengths.Params): Promise<DatasetTokenLengths.Result> {
    return (await this.ready()).sendRequest(DatasetTokenLengths.type, params);
  }
  async resolveConfig(params: RunResolveConfig.Params): Promise<RunResolveConfig.Result> {
    return (await this.ready()).sendRequest(RunResolveConfig.type, params);
  }
  async startPretrain(params: PretrainStart.Params): Promise<PretrainStart.Result> {
    return (await this.ready()).sendRequest(PretrainStart.type, params);
  }
  async startRun(params: RunStart.Params): Promise<RunStart.Result> {
    return (await this.ready()).sendRequest(RunStart.type, params);
  }
  async cancelRun(params: RunCancel.Params): Promise<RunCancel.Result> {
    return (await this.ready()).sendRequest(RunCancel.type, params);
  }
  async resumeRun(params: RunResume.Params): Promise<RunResume.Result> {
    return (await this.ready()).sendRequest(RunResume.type, params);
  }
  async listRuns(params: RunList.Params): Promise<RunList.Result> {
    return (await this.ready()).sendRequest(RunList.type, params);
  }
  async runHistory(params: RunHistory.Params): Promise<RunHistory.Result> {
    return (await this.ready()).sendRequest(RunHistory.type, params);
  }
  async modelAttention(params: ModelAttention.Params): Promise<ModelAttention.Result> {
    return (await this.ready()).sendRequest(ModelAttention.type, params);
  }
  async listModels(params: ModelList.Params): Promise<ModelList.Result> {
    return (await this.ready()).sendRequest(ModelList.type, params);
  }
  /**
   * Generates from a prompt; pieces arrive on onGeneratedText. Cancelling `token` stops it: the
   * result then says `cancelled`, or is undefined when the client dropped the answer.
   */
  async generate(params: ModelGenerate.Params, token: vscode.CancellationToken): Promise<ModelGenerate.Result | undefined> {
    const result: ModelGenerate.Result | null | undefined = await (await this.ready()).sendRequest(ModelGenerate.type, params, token);
    return result ?? undefined;
  }
  async classify(params: ModelClassify.Params): Promise<ModelClassify.Result> {
    return (await this.ready()).sendRequest(ModelClassify.type, params);
  }
  async fillMask(params: ModelFillMask.Params): Promise<ModelFillMask.Result> {
    return (await this.ready()).sendRequest(ModelFillMask.type, params);
  }

  dispose(): void {
    void this.stop();
    for (const d of this.disposables) d.dispose();
  }

  /** The status once a (re)start in progress has ended: running or stopped. */
  private settled(): Promise<ServerStatus> {
    if (this.currentStatus.kind !== 'starting') return Promise.resolve(this.currentStatus);
    return new Promise((resolve) => {
      const sub = this.onDidChangeStatus((s) => {
        if (s.kind !== 'starting') {
          sub.dispose();
          resolve(s);
        }
      });
    });
  }

  /** Resolves with a running client, waiting out a (re)start; throws ServerDownError if down. */
  private async ready(): Promise<LanguageClient> {
    const status = await this.settled();
    if (status.kind !== 'running' || this.client === undefined) {
      throw new ServerDownError(status.kind === 'stopped' ? status.reason : 'starting');
    }
    return this.client;
  }

  private createClient(): LanguageClient {
    const runtime = config.nodePath();
    const run: NodeModule = {
      module: this.context.asAbsolutePath(path.join('dist', 'server.js')),
      transport: TransportKind.ipc,
      ...(runtime !== undefined ? { runtime } : {}),
    };
    const debug: NodeModule = { ...run, options: { execArgv: ['--nolazy', `--inspect=${SERVER_DEBUG_PORT}`] } };
    const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, { run, debug }, {
      documentSelector: [],
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: (): TransferLabInitializationOptions => ({ backend: config.backendPreference() }),
      errorHandler: this.crashPolicy(),
      // Our own message (in start()) explains a failed start; don't retry or add a raw one.
      initializationFailedHandler: () => false,
    });
    client.onNotification(RunMetricsNotification.type, (p) => this.metricsEmitter.fire(p));
    client.onNotification(RunStateNotification.type, (p) => this.runStateEmitter.fire(p));
    client.onNotification(GeneratedTextNotification.type, (p) => this.generatedTextEmitter.fire(p));
    client.onNotification(PretrainStateNotification.type, (p) => this.pretrainStateEmitter.fire(p));
    client.onDidChangeState((e) => this.onClientState(client, e.newState));
    return client;
  }

  /**
   * vscode-languageclient's default policy (restart up to MAX_RESTARTS times in RESTART_WINDOW_MS,
   * tolerate 3 connection errors), with our own wording: a crash also interrupts training runs.
   */
  private crashPolicy(): ErrorHandler {
    const crashes: number[] = [];
    return {
      error: (_error, _message, count) => ({ action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown }),
      closed: () => {
        const now = Date.now();
        crashes.push(now);
        while (crashes.length > 0 && now - crashes[0]! > RESTART_WINDOW_MS) crashes.shift();
        if (crashes.length <= MAX_RESTARTS) {
          this.autoRestarting = true;
          this.setStatus({ kind: 'starting' });
          void this.announceRestart();
          return { action: CloseAction.Restart, handled: true };
        }
        this.setStatus({ kind: 'stopped', reason: 'crashed repeatedly' });
        void this.showDownMessage(`Transfer Lab: the training server crashed ${crashes.length} times in a few minutes and was not restarted.`);
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    };
  }

  private onClientState(client: LanguageClient, state: State): void {
    if (client !== this.client) return; // an old client shutting down after a restart
    if (state === State.Running) {
      this.setStatus({ kind: 'running', backend: this.readBackend(client) });
    } else if (state === State.Starting) {
      // The automatic restart has begun: from here a "stopped" is real (the restart failed).
      this.autoRestarting = false;
      this.setStatus({ kind: 'starting' });
    } else if (!this.autoRestarting && this.currentStatus.kind !== 'stopped') {
      this.setStatus({ kind: 'stopped', reason: 'stopped' });
    }
  }

  /** The `transferLab` key of the initialize result, validated; null if the server sent none. */
  private readBackend(client: LanguageClient): BackendInfo | null {
    const custom: unknown = client.initializeResult?.['transferLab'];
    if (!isInitializeResult(custom)) {
      this.output.warn('The server did not report its backend in the initialize result.');
      return null;
    }
    if (custom.protocolVersion !== PROTOCOL_VERSION) {
      this.output.warn(`Protocol version mismatch: server ${custom.protocolVersion}, extension ${PROTOCOL_VERSION}. Rebuild the extension.`);
    }
    this.output.info(`Backend ${custom.backend.backend} on ${custom.backend.device} (tfjs ${custom.backend.tfjsVersion})`);
    return custom.backend;
  }

  private setStatus(status: ServerStatus): void {
    this.currentStatus = status;
    this.statusEmitter.fire(status);
  }

  /**
   * A crash the client restarts from: a progress notification while the new server starts (it
   * closes itself), then one warning that stays, saying what the crash cost. A failed restart
   * reports itself (start() and the stopped state).
   */
  private async announceRestart(): Promise<void> {
    const status = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Transfer Lab: the training server stopped unexpectedly and is restarting…' },
      () => this.settled(),
    );
    if (status.kind !== 'running') return;
    await this.showDownMessage(
      'Transfer Lab: the training server stopped unexpectedly and was restarted. Runs that were training were interrupted; resume them from the Runs view (their last checkpoint is kept).',
      'warning',
    );
  }

  private async showDownMessage(message: string, level: 'error' | 'warning' = 'error'): Promise<void> {
    const show = level === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    const restart = level === 'error' ? [COMMANDS.restartServer.title] : [];
    const choice = await show(message, COMMANDS.showLogs.title, ...restart);
    if (choice === COMMANDS.showLogs.title) this.output.show();
    else if (choice === COMMANDS.restartServer.title) await this.restart();
  }

  private async onConfigChanged(e: vscode.ConfigurationChangeEvent): Promise<void> {
    if (!config.affectsServer(e) || this.client === undefined) return;
    const choice = await vscode.window.showInformationMessage(
      'Transfer Lab: restart the training server to apply the new backend / Node setting? Runs that are training will be interrupted.',
      COMMANDS.restartServer.title,
    );
    if (choice !== undefined) await this.restart();
  }
}

function isInitializeResult(x: unknown): x is TransferLabInitializeResult {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Partial<Record<keyof TransferLabInitializeResult, unknown>>;
  const b = r.backend as Partial<Record<keyof BackendInfo, unknown>> | null | undefined;
  return (
    typeof r.protocolVersion === 'number' &&
    typeof b === 'object' && b !== null &&
    typeof b.backend === 'string' && typeof b.device === 'string' &&
    typeof b.tfjsVersion === 'string' && Array.isArray(b.fallbackReasons)
  );
}
