// The Forgetting panel's side of postMessage and of its saved webview state.
import type { ForgettingPanelState, ForgettingToExtensionMessage } from '../messages';
import { panelHost } from '../ui/panelHost';

export const { postToExtension, savedState, saveState } = panelHost<ForgettingToExtensionMessage, ForgettingPanelState>();
