// A user compares attention before and after fine-tuning: a run fine-tuned from a model folder of
// the workspace has finished → Models view → right-click the run's output → "Inspect Attention…"
// → a sentence → the Attention panel shows the base model's map, the fine-tuned one and their
// difference (values checked against `transfer-lab attention --json` of both models), and the
// head view; "Stop comparing" leaves the fine-tuned model alone.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { distinctColours, texts } from './harness/canvas';
import { EXTENSION_READY_TIMEOUT_MS, REPO_ROOT, TRAINING_TIMEOUT_MS, UI_TIMEOUT_MS, WORKBENCH_READY_TIMEOUT_MS } from './harness/constants';
import { modelRow, openTransferLab, trainRun, treeContextCommand, writeBaseModel } from './harness/finishedRun';
import { scenario } from './harness/session';

const DATASET = 'tiny-sentiment.csv';
const MODEL = 'tiny-bert';
const SENTENCE = 'the cat sat on the mat';
const SCENARIO_TIMEOUT_MS = 2 * WORKBENCH_READY_TIMEOUT_MS + EXTENSION_READY_TIMEOUT_MS + TRAINING_TIMEOUT_MS + 12 * UI_TIMEOUT_MS;

/** `transfer-lab attention --json`: tokens and [layer][head][query][key] weights, independent of the panel. */
function attentionOf(model: string, text: string): { tokens: string[]; attentions: number[][][][] } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'attention', '--model', model, '--text', text, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `transfer-lab attention failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { tokens: string[]; attentions: number[][][][] };
}

scenario({ name: 'attention-compare', trusted: true, timeoutMs: SCENARIO_TIMEOUT_MS }, async (session) => {
  const wb = session.workbench;
  const baseDir = join(session.workspace, MODEL);
  writeBaseModel(baseDir);
  const run = trainRun(session.workspace, DATASET, baseDir, ['--epochs', '2', '--lr', '5e-3']);
  const tuned = attentionOf(join(run.runDir, 'final'), SENTENCE);
  const base = attentionOf(baseDir, SENTENCE);
  assert.deepEqual(tuned.tokens, base.tokens, 'the run keeps its base model’s tokenizer');
  // Layer 0, head 0: what the difference map must show.
  const t00 = tuned.attentions[0]![0]!;
  const b00 = base.attentions[0]![0]!;
  const diff = t00.map((row, i) => row.map((v, j) => v - b00[i]![j]!));
  const limit = Math.max(...diff.flat().map(Math.abs));
  assert.ok(limit > 1e-4, `fine-tuning changed layer 0 head 0 (max |Δ| ${limit})`);

  await openTransferLab(wb);
  const output = `${run.runId} (final)`;
  const row = modelRow(wb, output);
  await row.waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  await treeContextCommand(wb, row, 'Inspect Attention…');
  const input = wb.quickInput.locator('.quick-input-box input');
  await input.waitFor({ timeout: UI_TIMEOUT_MS });
  await input.fill(SENTENCE);
  await input.press('Enter');

  const panel = await wb.webview(`Attention: ${output} vs ${MODEL}`);
  const root = panel.locator('main#app[data-comparing="true"]');
  await root.waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  assert.deepEqual(JSON.parse((await root.getAttribute('data-tokens')) ?? '[]'), tuned.tokens);
  assert.match((await panel.locator('.pane-base .pane-title').textContent()) ?? '', new RegExp(`^base: ${MODEL}$`));
  assert.match((await panel.locator('.pane-tuned .pane-title').textContent()) ?? '', /^fine-tuned: /);
  for (const pane of ['.pane-base', '.pane-tuned', '.pane-diff']) {
    assert.ok((await distinctColours(panel.locator(`${pane} canvas`))) >= 3, `${pane} is drawn`);
    assert.deepEqual(await texts(panel.locator(pane), '.row-label'), await texts(panel.locator('.pane-tuned'), '.row-label'), `${pane} has the same tokens`);
  }
  const shownLimit = Number(await panel.locator('.pane-diff canvas').getAttribute('data-limit'));
  assert.ok(Math.abs(shownLimit - limit) < 1e-5, `difference scale ±${shownLimit}, expected ±${limit}`);

  // Hovering a cell of the difference map reads out all three values of that cell.
  const cells = tuned.tokens.length;
  const box = await panel.locator('.pane-diff canvas').boundingBox();
  assert.ok(box !== null);
  const [i, j] = [1, 2];
  await wb.page.mouse.move(box.x + ((j + 0.5) * box.width) / cells, box.y + ((i + 0.5) * box.height) / cells);
  const readout = (await panel.locator('.readout').textContent()) ?? '';
  const sign = diff[i]![j]! >= 0 ? '\\+' : '−';
  assert.match(readout, new RegExp(`base ${b00[i]![j]!.toFixed(4)} · fine-tuned ${t00[i]![j]!.toFixed(4)} · difference ${sign}${Math.abs(diff[i]![j]!).toFixed(4)}$`));

  // The head view: the tokens on both sides; hovering one isolates its attention.
  const headCard = panel.locator('.head-card');
  assert.equal(await headCard.locator('.head-queries .head-token').count(), cells);
  assert.equal(await headCard.locator('.head-keys .head-token').count(), cells);
  await headCard.locator('.head-queries .head-token').nth(2).hover();
  await headCard.locator('.head-queries .head-token.focused').waitFor({ timeout: UI_TIMEOUT_MS });
  await panel.locator('main#app').screenshot({ path: join(session.artifacts, 'attention-compare.png') });
  await session.screenshot('workbench-attention-compare.png');

  await panel.locator('vscode-button', { hasText: 'Stop comparing' }).click();
  await panel.locator('main#app[data-comparing="false"]').waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  assert.equal(await panel.locator('.pane-diff').isVisible(), false, 'no difference map without a base');
});
