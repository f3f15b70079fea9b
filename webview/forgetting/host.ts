// The Forgetting panel's side of postMessage (the VS Code API handle, acquirable once per page).
import type { ForgettingPanelState, ForgettingToExtensionMessage } from '../messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function postToExtension(message: ForgettingToExtensionMessage): void {
  api.postMessage(message);
}

/** Kept by VS Code across window reloads and handed to the panel's serializer. */
export function saveState(state: ForgettingPanelState): void {
  api.setState(state);
}
