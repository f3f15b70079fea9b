// The Forgetting panel's side of postMessage (the VS Code API handle, acquirable once per page).
import type { ForgettingToExtensionMessage } from '../messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function postToExtension(message: ForgettingToExtensionMessage): void {
  api.postMessage(message);
}
