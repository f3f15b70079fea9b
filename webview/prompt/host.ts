// The Prompt panel's side of postMessage: the VS Code API handle (acquirable once per page),
// typed to the messages of webview/messages.ts.
import type { PromptToExtensionMessage } from '../messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function postToExtension(message: PromptToExtensionMessage): void {
  api.postMessage(message);
}
