// Nothing in a dataset, a tokenizer or a model runs as code in a panel: each panel's real page
// (media/panel.html filled as the extension fills it, with its strict CSP and nonce) and its built
// bundle (dist/webview/<panel>.js) run in Chromium, and the extension's messages carry
// `<img src=x onerror=…>` and `</script><script>…` in every string a user's files can set — a
// run's dataset, columns, model, class labels and error, a compared run's name, attention token labels, forgetting layer names and
// alerts, generated text, labels and fill-mask tokens. Each is shown as text, nothing executes,
// no script is refused because none was tried; and the CSP itself refuses inline script and eval.
// Needs only Chromium (no code-server): the page is served from a fake origin by request routing.
// Browser-side code is written as strings: tsx would wrap functions in helpers the page lacks.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, REPO_ROOT, UI_TIMEOUT_MS } from './harness/constants';

const ORIGIN = 'https://panel.test';
const IMG = '<img src=x onerror="window.__xss=(window.__xss||0)+1">';
const SCRIPT = '</script><script>window.__xss=(window.__xss||0)+1</script>';
const BOTH = `${IMG} ${SCRIPT}`;
const NONCE = 'bm9uY2UtZm9yLXRoZS10ZXN0';

interface PanelTemplate {
  fillPanelTemplate(template: string, values: { nonce: string; title: string; cspSource: string; scriptUri: string; styleUri: string }): string;
}

/** Loaded by URL: test/tsconfig.json's project does not include extension/ (see commandTable.test.ts). */
async function loadTemplate(): Promise<PanelTemplate> {
  return (await import(pathToFileURL(join(REPO_ROOT, 'extension', 'panels', 'panelTemplate.ts')).href)) as PanelTemplate;
}

let browser: Browser;
let template: PanelTemplate;

before(async () => {
  for (const page of ['training', 'attention', 'forgetting', 'prompt']) {
    assert.ok(existsSync(join(REPO_ROOT, 'dist', 'webview', `${page}.js`)), `dist/webview/${page}.js is missing: run npm run build first`);
  }
  template = await loadTemplate();
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
});
after(async () => browser?.close());

/**
 * A page of `panel` as VS Code would show it: the template with a hostile title, the bundle and
 * its stylesheet from ORIGIN, a stand-in for acquireVsCodeApi, and a log of CSP violations.
 */
async function openPanel(panel: string): Promise<Page> {
  const page = await browser.newPage();
  const html = template.fillPanelTemplate(readFileSync(join(REPO_ROOT, 'media', 'panel.html'), 'utf8'), {
    nonce: NONCE, title: `Training: ${BOTH}`, cspSource: ORIGIN, scriptUri: `${ORIGIN}/dist/webview/${panel}.js`, styleUri: `${ORIGIN}/dist/webview/${panel}.css`,
  });
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/index.html') return route.fulfill({ body: html, contentType: 'text/html' });
    const file = join(REPO_ROOT, path);
    if (!path.startsWith('/dist/webview/') || !existsSync(file)) return route.fulfill({ status: 404, body: '' });
    return route.fulfill({ body: readFileSync(file), contentType: path.endsWith('.js') ? 'text/javascript' : 'text/css' });
  });
  // Injected by the browser (CDP), like VS Code's own webview preamble; not subject to the page's CSP.
  await page.addInitScript({ content: `
    window.__posted = [];
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.effectiveDirective + ' ' + e.blockedURI));
    window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => undefined });
  ` });
  await page.goto(`${ORIGIN}/index.html`);
  await waitInPage(page, `window.__posted.some((m) => m.type === 'ready')`, 'the panel\'s ready message');
  return page;
}

/**
 * Waits until `expression` is true in the page, polled from here: page.waitForFunction's in-page
 * polling compiles the predicate with eval, which the panel's CSP (rightly) refuses.
 */
async function waitInPage(page: Page, expression: string, what: string): Promise<void> {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  while (!((await page.evaluate(expression)) as boolean)) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50)); // a condition poll, not a blind delay
  }
}

/** Delivers `message` as the extension's postMessage does (a window message event). */
async function post(page: Page, message: unknown): Promise<void> {
  await page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
}

/** Waits until `text` is on screen, then checks that nothing ran, no element came from data, and no script was refused. */
async function assertShownAsText(page: Page, texts: readonly string[]): Promise<void> {
  for (const text of texts) await waitInPage(page, `document.body.textContent.includes(${JSON.stringify(text)})`, `"${text}" on screen`);
  const state = (await page.evaluate(`({
    xss: window.__xss ?? 0,
    injectedImages: document.querySelectorAll('img[src="x"]').length,
    scripts: [...document.scripts].map((s) => s.getAttribute('nonce')),
    violations: window.__violations,
    title: document.title,
  })`)) as { xss: number; injectedImages: number; scripts: (string | null)[]; violations: string[]; title: string };
  assert.equal(state.xss, 0, 'a payload executed');
  assert.equal(state.injectedImages, 0, 'a payload became an <img> element');
  assert.deepEqual(state.scripts, [NONCE], 'the only script is the bundle, with its nonce');
  assert.deepEqual(state.violations.filter((v) => v.startsWith('script-src')), [], 'a script was attempted and refused');
  assert.equal(state.title, `Training: ${BOTH}`, 'the title is text, not markup');
}

const RUN = {
  runId: `run-${IMG}`, runDir: `/runs/${SCRIPT}`, state: 'failed', backend: IMG, createdAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:01:00.000Z',
  config: { dataset: `/data/${IMG}.csv`, model: `/models/${SCRIPT}`, epochs: 2, textColumn: IMG, labelColumn: SCRIPT },
  message: `Run failed on ${BOTH}`, totalSteps: 4, lastStep: 2, lastLoss: 0.5, lastValAccuracy: 0.5,
};
const EVENTS = [
  { type: 'step', step: 1, epoch: 1, loss: 0.7, learningRate: 1e-4, tokensPerSec: 100, elapsedMs: 100 },
  { type: 'step', step: 2, epoch: 1, loss: 0.6, learningRate: 1e-4, tokensPerSec: 100, elapsedMs: 200 },
  // The confusion matrix names its classes with the dataset's labels.
  { type: 'eval', step: 2, epoch: 1, valLoss: 0.6, valAccuracy: 0.5, valMacroF1: 0.5, elapsedMs: 250, confusion: [[1, 1], [1, 1]], confusionLabels: [IMG, SCRIPT] },
];

/** base64 of a little-endian float32 [1, 1, n, n] map whose rows sum to 1. */
function uniformMap(n: number): string {
  const values = new Float32Array(n * n).fill(1 / n);
  return Buffer.from(values.buffer).toString('base64');
}

describe('panels render data as text under a strict CSP', () => {
  it('Training: a run whose dataset, columns, model, id, class labels and error carry markup, and a compared run', async () => {
    const page = await openPanel('training');
    await post(page, { type: 'init', run: RUN, events: EVENTS, backend: { backend: IMG, device: SCRIPT } });
    await assertShownAsText(page, [`${IMG}.csv`, `Run failed on ${BOTH}`]);
    const classes = (await page.evaluate(`[...document.querySelectorAll('th')].map((e) => e.textContent)`)) as string[];
    assert.ok(classes.includes(IMG) && classes.includes(SCRIPT), `the confusion matrix names its classes as text: ${classes.join(' | ')}`);
    // A run overlaid with Compare: its name reaches the legend.
    const other = { ...RUN, runId: `other-${SCRIPT}`, config: { ...RUN.config, dataset: `/data/${SCRIPT}.csv` } };
    await post(page, { type: 'compare', runs: [{ run: other, events: EVENTS }] });
    await assertShownAsText(page, [SCRIPT]);
    await page.close();
  });

  it('Attention: token labels and the input text carry markup', async () => {
    const page = await openPanel('attention');
    const tokens = ['[CLS]', IMG, SCRIPT, '[SEP]'];
    const maps = { layers: 1, heads: 1, queryTokens: tokens, keyTokens: tokens, data: uniformMap(tokens.length) };
    await post(page, { type: 'attention', model: IMG, text: SCRIPT, result: { family: 'bert', truncated: false, attention: maps, decoderAttention: null, crossAttention: null }, base: null, notice: null });
    await assertShownAsText(page, [IMG, SCRIPT]);
    const rowLabels = (await page.evaluate(`[...document.querySelectorAll('.row-label')].map((e) => e.textContent)`)) as string[];
    assert.deepEqual(rowLabels, tokens, 'the heat map\'s token labels are the tokens, as text');
    await post(page, { type: 'error', message: `Cannot read ${BOTH}` });
    await assertShownAsText(page, [`Cannot read ${BOTH}`]);
    await page.close();
  });

  it('Forgetting: layer names, the alert and its suggestions carry markup', async () => {
    const page = await openPanel('forgetting');
    const event = {
      type: 'forgetting', step: 2, epoch: 1, elapsedMs: 300, probeLoss: 2.5, baseProbeLoss: 2,
      weightDrift: [{ layer: IMG, drift: 0.1 }], cka: [{ layer: SCRIPT, cka: 0.9 }], attentionDrift: [{ layer: IMG, head: 0, js: 0.1 }],
      alert: { level: 'alert', message: `Forgetting in ${BOTH}`, suggestions: [{ label: `Try ${SCRIPT}` }] },
    };
    await post(page, { type: 'init', run: { ...RUN, state: 'completed', message: null }, strategy: 'full', events: [event] });
    await assertShownAsText(page, [`Forgetting in ${BOTH}`, `Try ${SCRIPT}`]);
    await page.close();
  });

  it('Prompt: the prompt, generated text, labels, template and fill-mask tokens carry markup', async () => {
    const page = await openPanel('prompt');
    const settings = { maxTokens: 8, temperature: 0, topK: 0, topP: 1, seed: 0 };
    await post(page, { type: 'generationStart', requestId: 'r1', model: IMG, prompt: SCRIPT, settings });
    await post(page, { type: 'piece', requestId: 'r1', piece: IMG });
    await post(page, { type: 'piece', requestId: 'r1', piece: SCRIPT });
    await post(page, { type: 'generationEnd', requestId: 'r1', tokens: 2, tokensPerSec: 10, timeToFirstTokenMs: 5, cancelled: false });
    await assertShownAsText(page, [`${IMG}${SCRIPT}`]);
    await post(page, {
      type: 'classification', model: IMG, text: SCRIPT, template: `{text} ${IMG} {label}`, calibrated: true,
      ranking: [{ label: IMG, probability: 0.6, raw: 0.5 }, { label: SCRIPT, probability: 0.4, raw: 0.5 }],
    });
    await assertShownAsText(page, [IMG, SCRIPT]);
    await post(page, { type: 'fillMask', model: SCRIPT, text: `a [MASK] ${IMG}`, predictions: [[{ token: IMG, probability: 0.5 }, { token: SCRIPT, probability: 0.5 }]] });
    await assertShownAsText(page, [IMG, SCRIPT]);
    await page.close();
  });

  it('the CSP refuses inline script and eval (default-src none, scripts by nonce only)', async () => {
    const page = await openPanel('prompt');
    const outcome = (await page.evaluate(`(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.append(s);
      const img = document.createElement('img');
      img.src = 'https://elsewhere.test/pixel.png';
      document.body.append(img);
      await new Promise((r) => setTimeout(r, 200)); // violation events are dispatched asynchronously
      let evalOutcome = 'ran';
      try {
        (0, eval)('1 + 1'); // a string the page would evaluate as code: refused without 'unsafe-eval'
      } catch (e) {
        evalOutcome = e.name;
      }
      return { inline: window.__inline ?? 0, evalOutcome, violations: window.__violations };
    })()`)) as { inline: number; evalOutcome: string; violations: string[] };
    assert.equal(outcome.inline, 0, 'an inline script ran');
    assert.equal(outcome.evalOutcome, 'EvalError');
    assert.ok(outcome.violations.some((v) => v.startsWith('script-src')), `inline script refused: ${outcome.violations.join('; ')}`);
    assert.ok(outcome.violations.some((v) => v.startsWith('img-src') && v.includes('elsewhere.test')), `a foreign image refused: ${outcome.violations.join('; ')}`);
    await page.close();
  });
});
