/**
 * The panels' security by construction: media/panel.html's Content Security Policy (default-src
 * 'none', scripts only by nonce, no unsafe-eval or unsafe-inline, no inline script or handler),
 * the template filler escaping what it inserts, every panel created with localResourceRoots of
 * dist/ and media/ only and its HTML from that template, no webview source that turns strings
 * into markup or code, and messages from a panel refused unless they have the expected shape.
 * test/e2e/panelSecurity.e2e.test.ts runs the same pages in Chromium with hostile data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(__dirname, '..', '..');
const TEMPLATE = readFileSync(join(ROOT, 'media', 'panel.html'), 'utf8');

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

/** Loaded by URL: test/tsconfig.json's project includes neither extension/ nor webview/. */
async function load<T>(path: string): Promise<T> {
  return (await import(pathToFileURL(join(ROOT, path)).href)) as T;
}

function cspDirectives(html: string): Map<string, string[]> {
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(meta?.[1] !== undefined, 'media/panel.html has no CSP meta element');
  return new Map(meta[1].split(';').map((d) => d.trim()).filter((d) => d !== '').map((d) => {
    const [name = '', ...values] = d.split(/\s+/);
    return [name, values];
  }));
}

test('panel.html: default-src none, scripts only by nonce, nothing unsafe, no inline script or handler', () => {
  const csp = cspDirectives(TEMPLATE);
  assert.deepEqual(csp.get('default-src'), ["'none'"]);
  assert.deepEqual(csp.get('script-src'), ["'nonce-{{nonce}}'"]);
  // Only the webview's own origin, the nonce, and data: images (exported maps) — nothing unsafe, no wildcard, no other host.
  const allowed = new Set(["'none'", "'nonce-{{nonce}}'", '{{cspSource}}']);
  for (const [name, values] of csp) {
    for (const v of values) assert.ok(allowed.has(v) || (name === 'img-src' && v === 'data:'), `${name} allows ${v}`);
  }
  assert.equal(csp.has('connect-src'), false, 'a panel talks only through postMessage');
  const scripts = [...TEMPLATE.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1);
  for (const [, attrs = '', body = ''] of scripts) {
    assert.match(attrs, /\bnonce="\{\{nonce\}\}"/);
    assert.match(attrs, /\bsrc="\{\{scriptUri\}\}"/);
    assert.equal(body.trim(), '', 'no inline script');
  }
  assert.doesNotMatch(TEMPLATE.replace(/<!--[\s\S]*?-->/g, ''), /\son\w+\s*=|javascript:|\sstyle\s*=/i, 'no inline handler, javascript: URL or style attribute');
});

test('the template filler escapes every value and refuses unknown placeholders', async () => {
  const { fillPanelTemplate } = await load<{ fillPanelTemplate: (t: string, v: Record<string, string>) => string }>('extension/panels/panelTemplate.ts');
  const hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>\'&';
  const html = fillPanelTemplate(TEMPLATE, { nonce: 'n0nce', title: hostile, cspSource: 'https://x.test', scriptUri: `https://x.test/a.js?${hostile}`, styleUri: 'https://x.test/a.css' });
  assert.equal((html.match(/<script\b/g) ?? []).length, 1, 'a value opened a script element');
  assert.doesNotMatch(html, /<img|onerror=alert\(2\)>|"><script>/);
  assert.match(html, /<title>&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;&lt;img src=x onerror=alert\(2\)&gt;&#39;&amp;<\/title>/);
  assert.throws(() => fillPanelTemplate('{{nope}}', { nonce: '', title: '', cspSource: '', scriptUri: '', styleUri: '' }), /unknown placeholder \{\{nope\}\}/);
});

test('every panel loads only from dist/ and media/, with HTML from the template', () => {
  const helper = readFileSync(join(ROOT, 'extension', 'panels', 'panelHtml.ts'), 'utf8');
  const roots = /export function panelResourceRoots\([^)]*\): vscode\.Uri\[\] \{\s*return \[([^\]]*)\];/.exec(helper)?.[1] ?? '';
  assert.deepEqual([...roots.matchAll(/joinPath\(extensionUri, '([^']+)'\)/g)].map((m) => m[1]), ['dist', 'media']);
  assert.match(helper, /export function webviewOptions\([^)]*\)[^{]*\{\s*return \{ enableScripts: true, localResourceRoots: panelResourceRoots\(extensionUri\) \};/);
  assert.match(helper, /export function panelOptions\([^)]*\)[^{]*\{\s*return \{ \.\.\.webviewOptions\(extensionUri\), retainContextWhenHidden: true \};/);
  let panels = 0;
  for (const file of sources(join(ROOT, 'extension'))) {
    const text = readFileSync(file, 'utf8');
    const name = relative(ROOT, file);
    for (const m of text.matchAll(/createWebviewPanel\(([^;]*)\);/g)) {
      panels++;
      assert.match(m[1] ?? '', /, panelOptions\(deps\.extensionUri\)$/, `${name}: a panel must be created with panelOptions(…)`);
    }
    // Restored panels (after a reload) get their options again, from the same helper.
    for (const m of text.matchAll(/\.webview\.options\s*=\s*(.*)/g)) assert.match(m[1] ?? '', /^webviewOptions\(deps\.extensionUri\);/, `${name} sets webview options another way`);
    for (const m of text.matchAll(/\.webview\.html\s*=\s*(.*)/g)) assert.match(m[1] ?? '', /^renderPanelHtml\(/, `${name} sets webview HTML another way`);
    assert.doesNotMatch(text, /enableCommandUris|enableForms/, `${name}: panels need neither command links nor forms`);
  }
  assert.ok(panels >= 4, `found ${panels} panels`);
});

test('webview sources never turn a string into markup or code', () => {
  const forbidden = /\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|\bsrcdoc\b|\beval\(|new Function\b|createContextualFragment|setAttribute\(\s*['"]on/;
  for (const file of sources(join(ROOT, 'webview'))) {
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      assert.doesNotMatch(line, forbidden, `${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
    });
  }
});

interface Guards {
  isTrainingToExtensionMessage(x: unknown): boolean;
  isPromptToExtensionMessage(x: unknown): boolean;
  isAttentionToExtensionMessage(x: unknown): boolean;
  isForgettingToExtensionMessage(x: unknown): boolean;
}

test('messages from a panel are refused unless they have the expected shape', async () => {
  const g = await load<Guards>('webview/messages.ts');
  const junk: unknown[] = [null, undefined, 'ready', 42, [], {}, { type: 42 }, { type: 'eval' }, { type: '__proto__' }, { type: 'constructor' }];
  for (const guard of [g.isTrainingToExtensionMessage, g.isPromptToExtensionMessage, g.isAttentionToExtensionMessage, g.isForgettingToExtensionMessage]) {
    for (const m of junk) assert.equal(guard(m), false, `${guard.name} accepted ${JSON.stringify(m)}`);
    assert.equal(guard({ type: 'ready' }), true, `${guard.name} refused ready`);
  }
  assert.equal(g.isPromptToExtensionMessage({ type: 'stop' }), false, 'stop without a request id');
  assert.equal(g.isPromptToExtensionMessage({ type: 'changeModel', task: 'rm -rf' }), false);
  assert.equal(g.isAttentionToExtensionMessage({ type: 'export', format: 'html', data: '<script>', suggestedName: 'x.html' }), false);
  assert.equal(g.isTrainingToExtensionMessage({ type: 'export', format: 'html', data: '<script>', suggestedName: 'x.html' }), false);
  assert.equal(g.isTrainingToExtensionMessage({ type: 'removeCompare', runId: 7 }), false);
  assert.equal(g.isAttentionToExtensionMessage({ type: 'export', format: 'png', data: 7, suggestedName: 'a.png' }), false);
  assert.equal(g.isForgettingToExtensionMessage({ type: 'applySuggestion', step: '3', index: 0 }), false);
  assert.equal(g.isForgettingToExtensionMessage({ type: 'applySuggestion', step: 3, index: 0.5 }), false);
  assert.equal(g.isForgettingToExtensionMessage({ type: 'applySuggestion', step: 3, index: 1 }), true);
});
