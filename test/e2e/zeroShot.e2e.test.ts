// Zero-shot from the editor, with a fine-tuned run beside the base model. The workspace holds a
// tiny GPT-2 and a tiny BERT (masked LM) and a finished causal-LM run fine-tuned from the GPT-2.
// The user selects a review → "Zero-shot Classify Selection…" → labels and template → the GPT-2:
// the Prompt panel ranks the labels with probabilities summing to 1, for the base model and, in
// a second column, for the fine-tuned run. Then "Run Prompt" streams both models' text side by
// side, and "Fill Mask" on a sentence with [MASK] lists the BERT's predictions.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import { writeHfCheckpoint } from '../helpers/hfCheckpoints';
import { fineTune } from './harness/cli';
import { EXTENSION_READY_TIMEOUT_MS, UI_TIMEOUT_MS, WORKBENCH_READY_TIMEOUT_MS } from './harness/constants';
import { answerInputBox, startCommand } from './harness/palette';
import { scenario } from './harness/session';
import type { Workbench } from './harness/workbench';

const REVIEW = 'review.txt';
const MASKED = 'masked.txt';
const STORY = 'story.txt';
const GPT2 = 'tiny-gpt2';
const BERT = 'tiny-bert';
const LABELS = ['good', 'bad', 'fun'];
const FILL_MASK_TOP_K = 5;
const SCENARIO_TIMEOUT_MS = 2 * WORKBENCH_READY_TIMEOUT_MS + 3 * EXTENSION_READY_TIMEOUT_MS + 20 * UI_TIMEOUT_MS;

const filesDir = mkdtempSync(join(tmpdir(), 'tl-e2e-zero-shot-'));
writeFileSync(join(filesDir, REVIEW), 'the movie was very good\n');
writeFileSync(join(filesDir, MASKED), 'the cat sat on the [MASK] .\n');
// Text of the causal-LM run (the fixture vocabulary's words), seen several times so one epoch moves the model.
writeFileSync(join(filesDir, STORY), Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? 'the dog sat on the mat and it was fun' : 'we sat on the mat and the cat was good')).join('\n') + '\n');

/** Opens `file`, selects all of it and waits for the editor to have focus. */
async function selectAllOf(wb: Workbench, file: string): Promise<void> {
  await wb.openFromExplorer(file);
  await wb.page.locator('.monaco-editor .view-lines').first().click();
  await wb.page.keyboard.press('Control+A');
}

/** The percentages shown in a column's probability rows. */
async function percentages(column: Locator): Promise<number[]> {
  const texts = await column.locator('.prob-value').allTextContents();
  return texts.map((t) => Number(t.replace('%', '')));
}

/** Waits until the panel's `role` column has its ranked list, and returns the column. */
async function rankedColumn(panel: FrameLocator, role: 'base' | 'fineTuned', rows: number): Promise<Locator> {
  const column = panel.locator(`.answer[data-role="${role}"]`);
  await column.locator('.prob-row').nth(rows - 1).waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  return column;
}

scenario({ name: 'zero-shot', trusted: true, datasets: [join(filesDir, REVIEW), join(filesDir, MASKED), join(filesDir, STORY)], timeoutMs: SCENARIO_TIMEOUT_MS }, async (session) => {
  const wb = session.workbench;
  const gpt2 = join(session.workspace, GPT2);
  writeHfCheckpoint(gpt2, { family: 'gpt2', head: 'causal-lm', seed: 3 });
  writeHfCheckpoint(join(session.workspace, BERT), { family: 'bert', head: 'masked-lm', seed: 5 });
  mkdirSync(join(session.workspace, '.vscode'), { recursive: true });
  writeFileSync(join(session.workspace, '.vscode', 'settings.json'), JSON.stringify({ 'transferLab.prompt.maxTokens': 12, 'transferLab.prompt.fillMaskTopK': FILL_MASK_TOP_K }));
  // A run a user fine-tuned earlier: run.json records tiny-gpt2 as its base model.
  const run = fineTune(join(session.workspace, STORY), gpt2, join(session.workspace, '.transfer-lab', 'runs'), ['--task', 'causal-lm', '--epochs', '2', '--lr', '0.01', '--seed', '1']);

  // Zero-shot classification: labels typed once, template accepted, model picked.
  await selectAllOf(wb, REVIEW);
  await startCommand(wb, 'Transfer Lab: Zero-shot Classify Selection…');
  await answerInputBox(wb, 'Transfer Lab: zero-shot labels', LABELS.join(', '));
  await answerInputBox(wb, 'Transfer Lab: classification template');
  await wb.pickQuickItem('Model with', GPT2);

  const panel = await wb.webview('Prompt');
  const base = await rankedColumn(panel, 'base', LABELS.length);
  const baseLabels = await base.locator('.prob-label').allTextContents();
  assert.deepEqual([...baseLabels].sort(), [...LABELS].sort(), 'every label is ranked once');
  const shown = await percentages(base);
  assert.ok(shown.every((p, i) => i === 0 || p <= shown[i - 1]!), `ranked most probable first: ${shown.join(', ')}`);
  // Each percentage is rounded to 0.1: the sum is 100 within the rounding of each row.
  const sum = shown.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 100) <= 0.05 * LABELS.length + 1e-9, `probabilities sum to 1 on screen: ${shown.join(' + ')} = ${sum}`);
  assert.equal(await base.locator('.prob-raw').count(), LABELS.length, 'raw (uncalibrated) probabilities beside the calibrated ones');
  assert.match((await panel.locator('.meta').textContent()) ?? '', /Template\s*\{text\} It was \{label\}\./);

  // The fine-tuned run answers beside the base model, with its own probabilities.
  const tuned = await rankedColumn(panel, 'fineTuned', LABELS.length);
  assert.match((await tuned.locator('.answer-model').textContent()) ?? '', new RegExp(`^${run.runId} \\(final\\)$`));
  assert.match((await base.locator('.answer-model').textContent()) ?? '', new RegExp(`^${GPT2}$`));
  const tunedSum = (await percentages(tuned)).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(tunedSum - 100) <= 0.05 * LABELS.length + 1e-9, `fine-tuned probabilities sum to 1: ${tunedSum}`);
  await panel.locator('main#app').screenshot({ path: join(session.artifacts, 'classify-base-vs-fine-tuned.png') });
  await session.screenshot('workbench-classify.png');

  // Run Prompt on the same selection: both models stream their continuation.
  await selectAllOf(wb, REVIEW);
  await startCommand(wb, 'Transfer Lab: Run Prompt');
  await wb.pickQuickItem('Model with', GPT2);
  for (const role of ['base', 'fineTuned'] as const) {
    const column = panel.locator(`.answer[data-role="${role}"]`);
    await column.locator('.card-hint', { hasText: /^\d+ tokens/ }).waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
    const text = (await column.locator('pre.output-text').textContent()) ?? '';
    assert.ok(text.startsWith('the movie was very good') && text.trimEnd().length > 'the movie was very good'.length, `${role} continues the prompt: ${JSON.stringify(text)}`);
  }
  assert.match((await panel.locator('.meta').textContent()) ?? '', /base [\d.]+ tokens\/s · fine-tuned [\d.]+ tokens\/s/);
  await panel.locator('main#app').screenshot({ path: join(session.artifacts, 'generate-base-vs-fine-tuned.png') });

  // Fill Mask with the BERT: no run was fine-tuned from it, so one column.
  await selectAllOf(wb, MASKED);
  await startCommand(wb, 'Transfer Lab: Fill Mask');
  await wb.pickQuickItem('Model with', BERT);
  const predictions = await rankedColumn(panel, 'base', FILL_MASK_TOP_K);
  assert.equal(await panel.locator('.answer').count(), 1, 'no fine-tuned column without a run of this model');
  assert.equal(await predictions.locator('.prob-row').count(), FILL_MASK_TOP_K);
  const tokens = await predictions.locator('.prob-label').allTextContents();
  assert.ok(tokens.every((t) => t.trim() !== ''), `every prediction names a token: ${tokens.join(' | ')}`);
  const top = await percentages(predictions);
  assert.ok(top.every((p, i) => p > 0 && (i === 0 || p <= top[i - 1]!)) && top.reduce((a, b) => a + b, 0) <= 100.05, `top-${FILL_MASK_TOP_K} probabilities: ${top.join(', ')}`);
  assert.match((await panel.locator('pre.input-text').textContent()) ?? '', /\[MASK\]/);
  await panel.locator('main#app').screenshot({ path: join(session.artifacts, 'fill-mask.png') });
  await session.screenshot('workbench-fill-mask.png');
});
