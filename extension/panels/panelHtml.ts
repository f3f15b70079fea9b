// The pages of the webview panels: media/<page>.html with a fresh nonce and this webview's
// resource URIs filled into its {{…}} placeholders (templates read once per page).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';

const templates = new Map<string, string>();

/** Fills media/<page>.html for dist/webview/<page>.js and .css. */
export function renderPanelHtml(extensionUri: vscode.Uri, webview: vscode.Webview, page: string): string {
  let template = templates.get(page);
  if (template === undefined) {
    template = readFileSync(vscode.Uri.joinPath(extensionUri, 'media', `${page}.html`).fsPath, 'utf8');
    templates.set(page, template);
  }
  const dist = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  const values: Record<string, string> = {
    nonce: randomBytes(16).toString('base64url'),
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, `${page}.js`)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, `${page}.css`)).toString(),
  };
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`media/${page}.html: unknown placeholder {{${key}}}`);
    return value.replace(/"/g, '&quot;');
  });
}

/** Resource roots every panel may load from. */
export function panelResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}
