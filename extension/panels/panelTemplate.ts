// Fills media/panel.html's {{…}} placeholders (no `vscode` import, so tests load the same code).
// Every value is HTML-escaped: a title or a URI can never close a tag or an attribute.

/** The placeholders media/panel.html uses. */
export interface PanelPageValues {
  readonly nonce: string;
  readonly title: string;
  /** The webview's own origin (webview.cspSource). */
  readonly cspSource: string;
  readonly scriptUri: string;
  readonly styleUri: string;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** The page with every {{key}} replaced by its escaped value; an unknown key is a bug in the template. */
export function fillPanelTemplate(template: string, values: PanelPageValues): string {
  const table: Readonly<Record<string, string>> = { ...values };
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = table[key];
    if (value === undefined) throw new Error(`media/panel.html: unknown placeholder {{${key}}}`);
    return escapeHtml(value);
  });
}
