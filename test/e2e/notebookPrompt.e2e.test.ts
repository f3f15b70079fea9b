// The prompt commands on notebook cells. The workspace holds a tiny GPT-2 and a notebook with two
// code cells: the start of a story and a review.
// 1. The story cell's toolbar menu → "Run Prompt" → the GPT-2: the Prompt panel opens in a group
//    beside the notebook and the model's text streams in after the cell's text.
// 2. The review cell focused → Command Palette "Zero-shot Classify Selection…" → labels, template,
//    the GPT-2: the panel ranks the labels with probabilities that sum to 1.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { writeHfCheckpoint } from '../helpers/hfCheckpoints';
import { EXTENSION_READY_TIMEOUT_MS, UI_TIMEOUT_MS, WORKBENCH_READY_TIMEOUT_MS } from './harness/constants';
import { contextCommand, groupOf, openNotebook, webviewWith } from './harness/notebook';
import { answerInputBox, startCommand } from './harness/palette';
import { scenario } from './harness/session';

const NOTEBOOK = 'cells.ipynb';
const STORY = 'the cat sat on the';
const REVIEW = 'the movie was very good';
const GPT2 = 'tiny-gpt2';
const LABELS = ['good', 'bad', 'fun'];
const SCENARIO_TIMEOUT_MS = 2 * WORKBENCH_READY_TIMEOUT_MS + 3 * EXTENSION_READY_TIMEOUT_MS + 10 * UI_TIMEOUT_MS;

const notebookDir = mkdtempSync(join(tmpdir(), 'tl-e2e-notebook-prompt-'));
writeFileSync(join(notebookDir, NOTEBOOK), JSON.stringify({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
  cells: [
    { id: 'story', cell_type: 'code', metadata: {}, source: [STORY], execution_count: null, outputs: [] },
    { id: 'review', cell_type: 'code', metadata: {}, source: [REVIEW], execution_count: null, outputs: [] },
  ],
}));

/** The percentages shown in a column's probability rows. */
async function percentages(column: Locator): Promise<number[]> {
  const texts = await column.locator('.prob-value').allTextContents();
  return texts.map((t) => Number(t.replace('%', '')));
}

scenario({ name: 'notebook-prompt', trusted: true, datasets: [join(notebookDir, NOTEBOOK)], timeoutMs: SCENARIO_TIMEOUT_MS }, async (session) => {
  const wb = session.workbench;
  const page = session.page;
  writeHfCheckpoint(join(session.workspace, GPT2), { family: 'gpt2', head: 'causal-lm', seed: 3 });
  // The fixture has 64 positions; a short generation keeps the scenario quick.
  mkdirSync(join(session.workspace, '.vscode'), { recursive: true });
  writeFileSync(join(session.workspace, '.vscode', 'settings.json'), JSON.stringify({ 'transferLab.prompt.maxTokens': 12 }));

  // 1. Run Prompt from the story cell's toolbar menu.
  await openNotebook(wb, NOTEBOOK);
  const storyCell = page.locator('.notebook-editor .code-cell-row').first();
  await storyCell.locator('.view-lines').click();
  await contextCommand(page, () => storyCell.locator('.cell-title-toolbar .codicon-toolbar-more').click(), 'Run Prompt');
  await wb.pickQuickItem('Model with', GPT2);
  const panel = await webviewWith(page, 'pre.output-text', EXTENSION_READY_TIMEOUT_MS);
  const base = panel.locator('.answer[data-role="base"]');
  await base.locator('.card-hint', { hasText: /^\d+ tokens/ }).waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  const echo = (await base.locator('.prompt-echo').textContent()) ?? '';
  assert.equal(echo.trimEnd(), STORY, 'the prompt is the cell’s text');
  const text = (await base.locator('pre.output-text').textContent()) ?? '';
  assert.ok(text.startsWith(echo) && text.slice(echo.length).trim() !== '', `the model’s text follows the cell’s: ${JSON.stringify(text)}`);
  const notebookGroup = await groupOf(page, NOTEBOOK);
  assert.ok(notebookGroup >= 0 && (await groupOf(page, 'Prompt')) === notebookGroup + 1, 'the Prompt panel opens beside the notebook');
  await session.screenshot('workbench-notebook-run-prompt.png');

  // 2. Zero-shot Classify on the review cell, from the Command Palette with the cell focused.
  const reviewCell = page.locator('.notebook-editor .code-cell-row').nth(1);
  await reviewCell.locator('.view-lines').click();
  await startCommand(wb, 'Transfer Lab: Zero-shot Classify Selection…');
  await answerInputBox(wb, 'Transfer Lab: zero-shot labels', LABELS.join(', '));
  await answerInputBox(wb, 'Transfer Lab: classification template');
  await wb.pickQuickItem('Model with', GPT2);
  const ranked = panel.locator('.answer[data-role="base"]');
  await ranked.locator('.prob-row').nth(LABELS.length - 1).waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  assert.equal((await panel.locator('pre.input-text').textContent())?.trim(), REVIEW, 'the text is the focused cell’s');
  const labels = await ranked.locator('.prob-label').allTextContents();
  assert.deepEqual([...labels].sort(), [...LABELS].sort(), 'every label is ranked once');
  const shown = await percentages(ranked);
  assert.ok(shown.every((p, i) => i === 0 || p <= shown[i - 1]!), `ranked most probable first: ${shown.join(', ')}`);
  // Each percentage is rounded to 0.1: the sum is 100 within the rounding of each row.
  const sum = shown.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 100) <= 0.05 * LABELS.length + 1e-9, `probabilities sum to 1 on screen: ${shown.join(' + ')} = ${sum}`);
  assert.equal(await groupOf(page, 'Prompt'), notebookGroup + 1, 'the Prompt panel stays beside the notebook');
  await session.screenshot('workbench-notebook-classify.png');
});
