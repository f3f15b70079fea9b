// Registers a serializer for every webview panel, so the panels open before a window reload come
// back after it (package.json activates the extension on `onWebviewPanel:<view type>`). Each page
// saves what it needs with setState; each panel class parses it and reloads its data.
import * as vscode from 'vscode';
import type { TrainingServer } from '../client';
import { PANEL_VIEW_TYPES } from '../commandIds';
import { promptCommands } from '../prompt/promptFeature';
import type { RunRegistry } from '../runs';
import { pickComparison } from '../views/attentionCompare';
import type { Views } from '../views/registerViews';
import { AttentionPanel } from './attentionPanel';
import { ForgettingPanel } from './forgettingPanel';
import { TrainingPanel } from './trainingPanel';
import { errorText } from '../errors';

export interface SerializerContext {
  readonly extension: vscode.ExtensionContext;
  readonly server: TrainingServer;
  readonly runs: RunRegistry;
  /** The Models view (a restored Attention panel's "Compare with…" picks from its models). */
  readonly views: Views;
}

export function registerPanelSerializers(ctx: SerializerContext): vscode.Disposable[] {
  const deps = { extensionUri: ctx.extension.extensionUri, server: ctx.server };
  const serializer = (restore: (panel: vscode.WebviewPanel, state: unknown) => Promise<void> | void): vscode.WebviewPanelSerializer => ({
    deserializeWebviewPanel: async (panel, state: unknown) => {
      try {
        await restore(panel, state);
      } catch (error) {
        ctx.server.output.warn(`Restoring the panel "${panel.title}" failed: ${errorText(error)}`);
        panel.dispose();
      }
    },
  });
  return [
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPES.training, serializer((panel, state) => TrainingPanel.restore(deps, panel, state))),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPES.forgetting, serializer((panel, state) =>
      ForgettingPanel.restore({
        ...deps,
        globalStorageUri: ctx.extension.globalStorageUri,
        // A follow-up run started from a restored panel's alert: recorded, and its curves opened.
        onRunStarted: (run) => {
          ctx.runs.upsert(run);
          TrainingPanel.show(deps, run);
        },
      }, panel, state))),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPES.attention, serializer((panel, state) =>
      AttentionPanel.restore({ ...deps, pickComparison: (role, current) => pickComparison(ctx, role, current) }, panel, state))),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPES.prompt, serializer((panel) => promptCommands(ctx).restorePanel(panel))),
  ];
}
