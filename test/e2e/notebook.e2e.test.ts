// Transfer Lab beside a notebook. The workspace holds a tiny BERT, a notebook whose code cell is a
// sentence (and whose output is a broken attention payload), and a run fine-tuned from the BERT.
// 1. The cell's toolbar menu → "Inspect Attention…" → the BERT: the Attention panel opens in a
//    group beside the notebook with the tokens of the cell's text; the broken output shows the
//    renderer's one-line explanation instead of a map. A right-click on the next cell (a sentence
//    with [MASK]) → "Fill Mask" → a masked-LM BERT: its predictions in the Prompt panel.
// 2. The run's context menu in the Runs view → "Export Run to Notebook…" → next to the run folder:
//    the notebook opens and its outputs render through our renderer: the curves chart with the
//    run's steps, and the attention grid of the fine-tuned model for the sample sentence.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { writeHfCheckpoint } from '../helpers/hfCheckpoints';
import { fineTune, tokensOf } from './harness/cli';
import { EXTENSION_READY_TIMEOUT_MS, FIXTURE_DATASET, UI_TIMEOUT_MS, VIEWPORT, WORKBENCH_READY_TIMEOUT_MS } from './harness/constants';
import { contextCommand, groupOf, openNotebook, webviewWith } from './harness/notebook';
import { scenario } from './harness/session';

const NOTEBOOK = 'cells.ipynb';
const SENTENCE = 'the cat sat on the mat';
const MODEL = 'tiny-bert';
const MASKED = 'the dog sat on the [MASK] .';
const MLM = 'tiny-mlm';
const ATTENTION_MIME = 'application/vnd.transfer-lab.attention+json';
const CURVES_MIME = 'application/vnd.transfer-lab.curves+json';
/** Pause between mouse-wheel steps: the notebook moves its outputs after the list scrolled. */
const FRAME_POLL_MS = 250;
/** Mouse-wheel steps that bring the last output of the exported notebook on screen. */
const SCROLL_PX = 1200;
const MAX_SCROLLS = 40;
const SCENARIO_TIMEOUT_MS = 2 * WORKBENCH_READY_TIMEOUT_MS + 4 * EXTENSION_READY_TIMEOUT_MS + 20 * UI_TIMEOUT_MS;

/** 2 layers × 1 head × 2 × 2 tokens need 8 values; this output carries 4. */
const BROKEN_OUTPUT = {
  output_type: 'display_data',
  metadata: {},
  data: { [ATTENTION_MIME]: { layers: 2, heads: 1, queryTokens: ['a', 'b'], keyTokens: ['a', 'b'], data: Buffer.from(new Float32Array([1, 0, 0, 1]).buffer).toString('base64') }, 'text/plain': 'broken attention payload' },
};

const notebookDir = mkdtempSync(join(tmpdir(), 'tl-e2e-notebook-'));
writeFileSync(join(notebookDir, NOTEBOOK), JSON.stringify({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
  cells: [
    { id: 'notes', cell_type: 'markdown', metadata: {}, source: ['# Notes'] },
    { id: 'sentence', cell_type: 'code', metadata: {}, source: [SENTENCE], execution_count: null, outputs: [BROKEN_OUTPUT] },
    { id: 'masked', cell_type: 'code', metadata: {}, source: [MASKED], execution_count: null, outputs: [] },
  ],
}));

/**
 * Scrolls the notebook with the mouse wheel until `target` (inside the outputs' webview) lies
 * within the cell list on screen; returns its box. Playwright's own scrolling would scroll the
 * webview's document, which the notebook positions itself.
 */
async function scrollIntoNotebookView(page: Page, target: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const list = page.locator('.notebook-editor .cell-list-container');
  const view = await list.boundingBox();
  assert.ok(view !== null, 'the notebook is on screen');
  // Over the cells' left margin: wheel events over an output would go to the outputs' webview.
  await page.mouse.move(view.x + 12, view.y + view.height / 2);
  const seen: string[] = [];
  for (let i = 0; i < MAX_SCROLLS; i++) {
    const box = await target.boundingBox();
    if (box !== null && box.y >= view.y && box.y + Math.min(box.height, view.height) <= view.y + view.height) return box;
    seen.push(box === null ? 'none' : `${Math.round(box.y)}+${Math.round(box.height)}`);
    await page.mouse.wheel(0, box !== null && box.y < view.y ? -SCROLL_PX : SCROLL_PX);
    await page.waitForTimeout(FRAME_POLL_MS); // the notebook moves its outputs after the list scrolled
  }
  throw new Error(`the output did not come into view of ${Math.round(view.y)}+${Math.round(view.height)}: ${seen.join(', ')}`);
}

async function attr(locator: Locator, name: string): Promise<string> {
  return (await locator.getAttribute(name)) ?? '';
}

scenario({ name: 'notebook', trusted: true, datasets: [join(notebookDir, NOTEBOOK), FIXTURE_DATASET], timeoutMs: SCENARIO_TIMEOUT_MS }, async (session) => {
  const wb = session.workbench;
  const page = session.page;
  const modelDir = join(session.workspace, MODEL);
  writeHfCheckpoint(modelDir, { family: 'bert', head: 'base', seed: 3 });
  writeHfCheckpoint(join(session.workspace, MLM), { family: 'bert', head: 'masked-lm', seed: 4 });
  const runsDir = join(session.workspace, '.transfer-lab', 'runs');
  const run = fineTune(join(session.workspace, 'tiny-sentiment.csv'), modelDir, runsDir, ['--epochs', '2', '--seed', '1']);

  // 1. Inspect Attention from the cell toolbar's menu.
  await openNotebook(wb, NOTEBOOK);
  const cell = page.locator('.notebook-editor .code-cell-row').first();
  await cell.locator('.view-lines').click();
  await contextCommand(page, () => cell.locator('.cell-title-toolbar .codicon-toolbar-more').click(), 'Inspect Attention…');
  await wb.pickQuickItem('Model', MODEL);
  const attention = await webviewWith(page, 'main#app[data-layers]', EXTENSION_READY_TIMEOUT_MS);
  const root = attention.locator('main#app[data-layers]');
  const layers = Number(await attr(root, 'data-layers'));
  const heads = Number(await attr(root, 'data-heads'));
  assert.ok(layers >= 1 && heads >= 1, `layers ${layers}, heads ${heads}`);
  assert.equal(await attention.locator('canvas.thumb').count(), layers * heads);
  assert.deepEqual(JSON.parse(await attr(root, 'data-tokens')), tokensOf(modelDir, SENTENCE), 'the panel shows the tokens of the cell’s text');
  const notebookGroup = await groupOf(page, NOTEBOOK);
  const panelGroup = await groupOf(page, `Attention: ${MODEL}`);
  assert.ok(notebookGroup >= 0 && panelGroup === notebookGroup + 1, `the Attention panel opens beside the notebook (groups ${notebookGroup} and ${panelGroup})`);
  // The cell's broken output: one line naming the problem, not a map.
  const outputs = await webviewWith(page, '.transfer-lab-problem', UI_TIMEOUT_MS);
  assert.match((await outputs.locator('.transfer-lab-problem').textContent()) ?? '', /cannot draw this application\/vnd\.transfer-lab\.attention\+json output: "data" holds 4 values; 2 layers × 1 heads × 2 × 2 tokens need 8\. The payload is described in docs\/notebook-mime\.md/);
  await session.screenshot('workbench-notebook-attention.png');

  // Fill Mask from the next cell's context menu: select the cell, then right-click it beside its
  // editor (that menu passes no cell to commands, so they take the notebook's selected cell).
  const maskedCell = page.locator('.notebook-editor .code-cell-row').nth(1);
  await maskedCell.locator('.view-lines').click();
  const cellBox = await maskedCell.boundingBox();
  assert.ok(cellBox !== null);
  await contextCommand(page, () => page.mouse.click(cellBox.x + 8, cellBox.y + 10, { button: 'right' }), 'Fill Mask');
  await wb.pickQuickItem('Model with', MLM);
  const prompt = await webviewWith(page, '.answer[data-role="base"] .prob-row', EXTENSION_READY_TIMEOUT_MS);
  assert.equal((await prompt.locator('pre.input-text').textContent())?.trim(), MASKED, 'the text is the right-clicked cell’s');
  assert.equal(await prompt.locator('.answer .prob-row').count(), 5, 'the top 5 predictions at the mask');
  assert.equal(await groupOf(page, 'Prompt'), notebookGroup + 1, 'the Prompt panel opens beside the notebook');
  await session.screenshot('workbench-notebook-fill-mask.png');

  // 2. Export the run to a notebook from the Runs view.
  await wb.runCommand('View: Close All Editors');
  await page.locator('.activitybar .action-item a[aria-label^="Transfer Lab"]').first().click({ timeout: UI_TIMEOUT_MS });
  // The Runs view (the Models view lists the run's output folders under the same id).
  const runsView = page.locator('.pane', { has: page.locator('.pane-header[aria-label="Runs Section"]') });
  const runRow = runsView.locator('.monaco-list-row', { hasText: run.runId });
  await runRow.first().waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  await contextCommand(page, () => runRow.first().click({ button: 'right' }), 'Export Run to Notebook…');
  // The command gets its run from the row: the view's refreshes right after it first loads keep
  // the row's element (it does not ask "Run to export", as it does from the palette).
  const runPick = wb.quickInput.locator('.quick-input-box input[placeholder*="Run to export"]');
  const wherePick = wb.quickInput.locator('.quick-input-box input[placeholder*="Where to write the notebook"]');
  await runPick.or(wherePick).waitFor({ timeout: UI_TIMEOUT_MS });
  assert.equal(await runPick.isVisible(), false, 'the context menu passed the run');
  await wb.pickQuickItem('Where to write the notebook', 'Next to the run folder');
  const exported = join(runsDir, `${run.runId}.ipynb`);
  await wb.editorTab(`${run.runId}.ipynb`).waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  assert.ok(existsSync(exported), `${exported} is written next to the run folder`);
  const written = JSON.parse(readFileSync(exported, 'utf8')) as { cells: { id: string; outputs?: { data: Record<string, { text?: string }> }[] }[] };
  const sample = written.cells.find((c) => c.id === 'attention-maps')?.outputs?.[0]?.data[ATTENTION_MIME]?.text ?? '';
  assert.ok(sample !== '', 'the exported notebook has an attention output');

  // The curves: a line per series, the train-loss path through every step of metrics.jsonl.
  const chart = await webviewWith(page, 'svg[role="img"]', EXTENSION_READY_TIMEOUT_MS);
  const svg = chart.locator('svg[role="img"]');
  const legend = await svg.locator('text').allTextContents();
  for (const series of ['train loss', 'val loss', 'val accuracy']) assert.ok(legend.includes(series), `legend shows ${series}: ${legend.join(' | ')}`);
  const steps = readFileSync(join(run.runDir, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"type":"step"')).length;
  const trainPath = await attr(svg.locator('path').first(), 'd');
  assert.equal(trainPath.split(/[ML]/).filter((p) => p.trim() !== '').length, steps, `the train-loss curve has a point per step (${steps})`);
  assert.ok(written.cells.find((c) => c.id === 'training-curves')?.outputs?.[0]?.data[CURVES_MIME] !== undefined);
  const chartBox = await scrollIntoNotebookView(page, svg);
  await page.screenshot({ path: join(session.artifacts, 'notebook-curves-output.png'), clip: chartBox });

  // The attention output, below the curves: scroll the notebook until it is on screen.
  const maps = chart.locator('.tl-attention');
  await maps.waitFor({ state: 'attached', timeout: EXTENSION_READY_TIMEOUT_MS });
  const box = await scrollIntoNotebookView(page, maps);
  assert.equal(await attr(maps, 'data-layers'), String(layers));
  assert.equal(await attr(maps, 'data-heads'), String(heads));
  const sampleTokens = tokensOf(join(run.runDir, 'final'), sample);
  assert.deepEqual(JSON.parse(await attr(maps, 'data-tokens')), sampleTokens, 'the attention output shows the fine-tuned model’s tokens of the sample sentence');
  assert.equal(await maps.locator('canvas.tl-thumb').count(), layers * heads);
  assert.deepEqual(await maps.locator('.tl-row-label').allTextContents(), sampleTokens, 'one row label per token, as text');
  // A real click on the last thumbnail (at its place on screen) selects that map.
  const thumb = await maps.locator(`canvas.tl-thumb[data-layer="${layers - 1}"][data-head="${heads - 1}"]`).boundingBox();
  assert.ok(thumb !== null);
  await page.mouse.click(thumb.x + thumb.width / 2, thumb.y + thumb.height / 2);
  await maps.locator('.tl-map-title', { hasText: `layer ${layers - 1}, head ${heads - 1}` }).waitFor({ timeout: UI_TIMEOUT_MS });
  await page.screenshot({ path: join(session.artifacts, 'notebook-attention-output.png'), clip: { ...box, height: Math.min(box.height, VIEWPORT.height - box.y) } });
  await session.screenshot('workbench-exported-notebook.png');
});
