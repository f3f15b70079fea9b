// The Prompt panel's side of postMessage and of its saved webview state.
import type { PromptPanelState, PromptToExtensionMessage } from '../messages';
import { panelHost } from '../ui/panelHost';

export const { postToExtension, savedState, saveState } = panelHost<PromptToExtensionMessage, PromptPanelState>();
