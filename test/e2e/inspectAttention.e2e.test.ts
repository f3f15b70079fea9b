// A user inspects attention from the editor: a tiny BERT checkpoint lies in the workspace, the
// user selects a sentence in notes.txt → "Transfer Lab: Inspect Attention…" → picks the model →
// the Attention panel shows the layers × heads grid and the tokens the model's tokenizer made.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHfCheckpoint } from '../helpers/hfCheckpoints';
import { EXTENSION_READY_TIMEOUT_MS, REPO_ROOT, UI_TIMEOUT_MS, WORKBENCH_READY_TIMEOUT_MS } from './harness/constants';
import { scenario } from './harness/session';
import { reloadWindow, startCommand } from './harness/palette';

const NOTES = 'notes.txt';
const SENTENCE = 'the cat sat on the mat';
const MODEL = 'tiny-bert';
const SCENARIO_TIMEOUT_MS = 3 * WORKBENCH_READY_TIMEOUT_MS + 3 * EXTENSION_READY_TIMEOUT_MS + 12 * UI_TIMEOUT_MS;

const notesDir = mkdtempSync(join(tmpdir(), 'tl-e2e-notes-'));
writeFileSync(join(notesDir, NOTES), `${SENTENCE}\n`);

/** The tokens the engine's tokenizer makes of `text` (the CLI's `tokenize`, independent of the panel). */
function tokensOf(model: string, text: string): string[] {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'tokenize', '--model', model, '--text', text, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `transfer-lab tokenize failed: ${r.stderr}`);
  const line = r.stdout.split('\n').find((l) => l.includes('"tokens"')) ?? '';
  return (JSON.parse(line) as { tokens: string[] }).tokens;
}

scenario({ name: 'inspect-attention', trusted: true, datasets: [join(notesDir, NOTES)], timeoutMs: SCENARIO_TIMEOUT_MS }, async (session) => {
  const wb = session.workbench;
  const modelDir = join(session.workspace, MODEL);
  writeHfCheckpoint(modelDir, { family: 'bert', head: 'base', seed: 3 });
  const expected = tokensOf(modelDir, SENTENCE);

  await wb.openFromExplorer(NOTES);
  await wb.page.locator('.monaco-editor .view-lines').first().click();
  await wb.page.keyboard.press('Control+A');
  // Not wb.runCommand: that waits for the palette to close, and this command opens the next quick
  // pick at once. startCommand reopens the palette until the extension host has registered it.
  await startCommand(wb, 'Transfer Lab: Inspect Attention…');
  await wb.pickQuickItem('Model', MODEL);

  const panel = await wb.webview(`Attention: ${MODEL}`);
  const root = panel.locator('main#app[data-layers]');
  await root.waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  const layers = Number(await root.getAttribute('data-layers'));
  const heads = Number(await root.getAttribute('data-heads'));
  assert.ok(layers >= 1 && heads >= 1, `layers ${layers}, heads ${heads}`);
  assert.equal(await panel.locator('canvas.thumb').count(), layers * heads, 'one thumbnail per layer and head');
  const tokens: unknown = JSON.parse((await root.getAttribute('data-tokens')) ?? '[]');
  assert.deepEqual(tokens, expected, 'the panel shows the tokenizer’s tokens');
  const rowLabels = await panel.locator('.row-label').allTextContents();
  assert.equal(rowLabels.length, expected.length, 'one row label per token');

  await panel.locator('canvas.thumb[data-layer="0"][data-head="1"]').click();
  assert.match((await panel.locator('.map-title').textContent()) ?? '', /layer 0, head 1/);

  // From the keyboard: arrow keys choose the neighbouring map in the grid, and walk the heat
  // map's cells, each one's weight read out in the aria-live line.
  await panel.locator('canvas.thumb[data-layer="0"][data-head="1"]').focus();
  await panel.locator('canvas.thumb[data-layer="0"][data-head="1"]').press('ArrowLeft');
  assert.match((await panel.locator('.map-title').textContent()) ?? '', /layer 0, head 0/);
  assert.equal(await panel.locator('canvas.thumb[data-layer="0"][data-head="0"]').getAttribute('aria-pressed'), 'true');
  const heat = panel.locator('canvas.heat');
  await heat.focus();
  await heat.press('ArrowRight');
  await heat.press('ArrowDown');
  const readout = panel.locator('.readout[aria-live="polite"]');
  assert.match((await readout.textContent()) ?? '', new RegExp(`^query “.+” \\(1\\) → key “.+” \\(1\\): \\d\\.\\d{4}$`));
  assert.match((await heat.getAttribute('aria-label')) ?? '', new RegExp(`${expected.length} query tokens`));
  await panel.locator('main#app').screenshot({ path: join(session.artifacts, 'attention-panel.png') });
  await session.screenshot('workbench-attention-panel.png');

  // The Models view of the Transfer Lab container lists the checkpoint under Workspace, with
  // family · head · layers×hidden.
  await wb.page.locator('.activitybar .action-item a[aria-label^="Transfer Lab"]').first().click({ timeout: UI_TIMEOUT_MS });
  const item = wb.page.locator('.pane .monaco-list-row', { hasText: MODEL });
  await item.first().waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  assert.match((await item.first().textContent()) ?? '', new RegExp(`${MODEL}\\s*bert · base · ${layers}×\\d+`));
  await wb.page.locator('.pane .monaco-list-row', { hasText: 'Presets' }).first().waitFor({ timeout: UI_TIMEOUT_MS });
  await session.screenshot('workbench-models-view.png');

  // A window reload brings the panel back at the map it showed (the serializer computes the maps again).
  const last = layers - 1;
  await panel.locator(`canvas.thumb[data-layer="${last}"][data-head="1"]`).click();
  assert.match((await panel.locator('.map-title').textContent()) ?? '', new RegExp(`layer ${last}, head 1`));
  await reloadWindow(wb);
  const restored = await wb.webview(`Attention: ${MODEL}`);
  await restored.locator(`canvas.thumb[data-layer="${last}"][data-head="1"][aria-pressed="true"]`).waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  assert.match((await restored.locator('.map-title').textContent()) ?? '', new RegExp(`layer ${last}, head 1`));
  await session.screenshot('workbench-attention-restored.png');
});
