// Registers the dataset and run-configuration CodeLenses (the prompt CodeLens lives with the prompt commands).
import * as vscode from 'vscode';
import type { TrainingServer } from '../client';
import { DATASET_FILE_GLOB, RUN_CONFIG_FILE_GLOB } from '../commandIds';
import { DatasetCodeLensProvider } from './datasetCodeLens';
import { RunConfigCodeLensProvider } from './runConfigCodeLens';

export function registerCodeLenses(server: TrainingServer): vscode.Disposable {
  const datasets = new DatasetCodeLensProvider(server);
  const disposables = [
    datasets,
    vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: DATASET_FILE_GLOB }, datasets),
    vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: RUN_CONFIG_FILE_GLOB }, new RunConfigCodeLensProvider()),
  ];
  return vscode.Disposable.from(...disposables);
}
