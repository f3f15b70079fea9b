// The pages of the webview panels: media/panel.html (one template for every panel) with a fresh
// nonce, the panel's title and this webview's resource URIs filled into its {{…}} placeholders.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { fillPanelTemplate } from './panelTemplate';

let template: string | undefined;

/** The page of a panel that runs dist/webview/<page>.js and .css. */
export function renderPanelHtml(extensionUri: vscode.Uri, webview: vscode.Webview, page: string, title: string): string {
  template ??= readFileSync(vscode.Uri.joinPath(extensionUri, 'media', 'panel.html').fsPath, 'utf8');
  const dist = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  return fillPanelTemplate(template, {
    nonce: randomBytes(16).toString('base64url'),
    title,
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, `${page}.js`)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, `${page}.css`)).toString(),
  });
}

/** Resource roots every panel may load from. */
export function panelResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** What every panel's webview may do: run its script and load from dist/ and media/. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: panelResourceRoots(extensionUri) };
}

/** Options of a new panel: the webview's, and its page kept alive while the tab is hidden (charts keep their state, streams keep arriving). */
export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { ...webviewOptions(extensionUri), retainContextWhenHidden: true };
}
