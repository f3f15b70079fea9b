// The Training panel's side of postMessage and of its saved webview state.
import type { TrainingPanelState, TrainingToExtensionMessage } from '../messages';
import { panelHost } from '../ui/panelHost';

export const { postToExtension, savedState, saveState } = panelHost<TrainingToExtensionMessage, TrainingPanelState>();
