// The Training panel's side of postMessage and of VS Code's webview state: the API handle
// (acquirable once per page), typed to the messages and the saved state of webview/messages.ts.
import type { TrainingPanelState, TrainingToExtensionMessage } from '../messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function postToExtension(message: TrainingToExtensionMessage): void {
  api.postMessage(message);
}

/** What the page saved before a reload (unknown: parse it with parseTrainingPanelState). */
export function savedState(): unknown {
  return api.getState();
}

/** Kept by VS Code across reloads and handed to the panel's serializer. */
export function saveState(state: TrainingPanelState): void {
  api.setState(state);
}
