// The Attention panel's side of postMessage and of its saved webview state.
import type { AttentionPanelState, AttentionToExtensionMessage } from '../messages';
import { panelHost } from '../ui/panelHost';

export const { postToExtension, savedState, saveState } = panelHost<AttentionToExtensionMessage, AttentionPanelState>();
