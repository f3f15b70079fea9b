// Extension entry point: wires the training server, the run registry, the status bar and the
// commands together. Everything else lives in the modules it names.
import type * as vscode from 'vscode';
import { TrainingServer } from './client';
import { registerCommands } from './commands';
import { registerCodeLenses } from './codeLens/registerCodeLenses';
import { watchPretrainJobs } from './pretrain/pretrainCommand';
import { registerPanelSerializers } from './panels/panelSerializers';
import { registerPromptCodeLens } from './prompt/promptFeature';
import * as config from './config';
import { RunRegistry } from './runs';
import { TrainingStatusBar } from './statusBar';
import { registerViews } from './views/registerViews';

let server: TrainingServer | undefined;

export function activate(context: vscode.ExtensionContext): void {
  server = new TrainingServer(context);
  const runs = new RunRegistry(server, () => config.runsDirectory(context.globalStorageUri));
  const views = registerViews(context, server, runs);
  context.subscriptions.push(views);
  context.subscriptions.push(server, runs, new TrainingStatusBar(server, runs), ...registerCommands({ extension: context, server, runs, views }));
  context.subscriptions.push(registerPromptCodeLens(), registerCodeLenses(server), watchPretrainJobs(server, () => views.models.refresh()));
  context.subscriptions.push(...registerPanelSerializers({ extension: context, server, runs, views }));
  // Activation comes from a command, a panel to restore or a dataset in the workspace (its CodeLens): the server is about to be needed, start it now.
  void server.start();
}

/** Returning the stop promise lets VS Code wait for the server (and its runs) to shut down. */
export function deactivate(): Promise<void> | undefined {
  const stopping = server?.stop();
  server = undefined;
  return stopping;
}
