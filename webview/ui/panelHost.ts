// A panel page's side of postMessage and of VS Code's webview state, typed to one panel's
// messages and saved state (webview/messages.ts). VS Code hands out the API handle once per page,
// so each panel's main.ts calls panelHost() exactly once.
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export interface PanelHost<ToExtension, State> {
  postToExtension(message: ToExtension): void;
  /** What the page saved before a reload (unknown: parse it with the panel's state parser). */
  savedState(): unknown;
  /** Kept by VS Code across window reloads and handed to the panel's serializer. */
  saveState(state: State): void;
}

export function panelHost<ToExtension, State>(): PanelHost<ToExtension, State> {
  const api = acquireVsCodeApi();
  return {
    postToExtension: (message) => api.postMessage(message),
    savedState: () => api.getState(),
    saveState: (state) => api.setState(state),
  };
}
