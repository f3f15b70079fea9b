// The only place @vscode/webview-ui-toolkit is touched: registers the web components the panels
// use as tags (<vscode-button>, <vscode-progress-ring>), themed by VS Code itself. Not
// <vscode-badge>: its template sets a style attribute, which the panels' CSP (rightly) blocks.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeProgressRing } from '@vscode/webview-ui-toolkit';

/** Tag names of the registered components, so panels build them without string typos. */
export const UI_TAGS = {
  button: 'vscode-button',
  progressRing: 'vscode-progress-ring',
} as const;

let registered = false;

/** Registers the components once per page (custom elements cannot be defined twice). */
export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeProgressRing());
}

/** A `<vscode-button>` whose label is set with textContent. */
export function createButton(label: string, appearance: 'primary' | 'secondary' | 'icon' = 'primary'): HTMLElement {
  const button = document.createElement(UI_TAGS.button);
  button.setAttribute('appearance', appearance);
  button.textContent = label;
  return button;
}

export function createProgressRing(): HTMLElement {
  return document.createElement(UI_TAGS.progressRing);
}
