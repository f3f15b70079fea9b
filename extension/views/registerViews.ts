// Creates the tree views of the "Transfer Lab" activity-bar container (ids as in package.json).
import * as vscode from 'vscode';
import type { TrainingServer } from '../client';
import { VIEW_IDS } from '../commandIds';
import type { RunRegistry } from '../runs';
import { ModelsViewProvider } from './modelsView';
import { RunsViewProvider } from './runsView';

export interface Views extends vscode.Disposable {
  readonly models: ModelsViewProvider;
  readonly runs: RunsViewProvider;
}

export function registerViews(extension: vscode.ExtensionContext, server: TrainingServer, registry: RunRegistry): Views {
  const models = new ModelsViewProvider(server, extension.globalStorageUri);
  const runs = new RunsViewProvider(registry, server);
  const disposables: vscode.Disposable[] = [
    models,
    runs,
    vscode.window.createTreeView(VIEW_IDS.models, { treeDataProvider: models, showCollapseAll: true }),
    vscode.window.createTreeView(VIEW_IDS.runs, { treeDataProvider: runs, showCollapseAll: true }),
  ];
  return { models, runs, dispose: () => disposables.forEach((d) => d.dispose()) };
}
