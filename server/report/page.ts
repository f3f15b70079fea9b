/**
 * The shell of a self-contained report page: inline stylesheet, no scripts, and a Content
 * Security Policy that forbids loading or running anything, so a report opens offline and safely.
 */
import { h, raw, render, type Child } from './html';
import { REPORT_CSS } from './reportStyle';

/** Nothing may load or run; only the inline stylesheet and style attributes apply. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** A complete HTML document with `title` and `body`. */
export function htmlPage(title: string, body: readonly Child[]): string {
  const head = h('head', {},
    h('meta', { charset: 'utf-8' }),
    h('meta', { 'http-equiv': 'Content-Security-Policy', content: CSP }),
    h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
    h('meta', { name: 'color-scheme', content: 'light dark' }),
    h('title', {}, title),
    h('style', {}, raw(REPORT_CSS)));
  return `<!doctype html>\n${render(h('html', { lang: 'en' }, head, h('body', {}, body)))}\n`;
}

/** A two-column key/value table; rows whose value is null are left out. */
export function keyValueTable(rows: readonly (readonly [string, Child])[]): Child {
  const kept = rows.filter(([, v]) => v !== null && v !== undefined);
  return h('table', { class: 'kv' }, kept.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, v))));
}
