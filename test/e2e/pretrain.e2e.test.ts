// A user pretrains from the Explorer: right-click corpus.txt → "Pretrain…" → family, size, steps
// and the suggested output folder → a progress notification with Cancel while the server trains →
// "pretrained bert-tiny on corpus.txt" and the new model listed in the Models view.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticCorpusText } from '../server/pretrain/corpusFixture';
import { EXTENSION_READY_TIMEOUT_MS, FIXTURE_DATASET, TRAINING_TIMEOUT_MS, UI_TIMEOUT_MS, WORKBENCH_READY_TIMEOUT_MS } from './harness/constants';
import { FINE_TUNE_TITLE, pickQuickRow } from './harness/fineTuneFlow';
import { scenario } from './harness/session';

const CORPUS = 'corpus.txt';
const OUTPUT = 'models/corpus-bert-tiny';
/** 100 steps of 32 × 64 tokens: about 100 s on two busy cores with WebAssembly. */
const PRETRAIN_TIMEOUT_MS = 2 * TRAINING_TIMEOUT_MS;
const SCENARIO_TIMEOUT_MS = 2 * WORKBENCH_READY_TIMEOUT_MS + EXTENSION_READY_TIMEOUT_MS + PRETRAIN_TIMEOUT_MS + 10 * UI_TIMEOUT_MS;

const corpusDir = mkdtempSync(join(tmpdir(), 'tl-e2e-corpus-'));
writeFileSync(join(corpusDir, CORPUS), syntheticCorpusText(300));

scenario({ name: 'pretrain-from-explorer', trusted: true, datasets: [join(corpusDir, CORPUS), FIXTURE_DATASET], timeoutMs: SCENARIO_TIMEOUT_MS }, async (session) => {
  const wb = session.workbench;
  // The editor-title button of a dataset shows once the extension's menus are registered.
  await wb.openFromExplorer('tiny-sentiment.csv');
  await wb.editorAction(FINE_TUNE_TITLE).waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });

  await wb.explorerContextCommand(CORPUS, 'Pretrain…');
  await pickQuickRow(wb, 'Model family', /^bert, masked LM/);
  await pickQuickRow(wb, 'Size of the fresh bert', /^tiny,/);
  await pickQuickRow(wb, 'Optimizer steps', /^100 steps/);
  const output = await pickQuickRow(wb, 'Output model folder', new RegExp(`^${OUTPUT.replace('/', '\\/')}, new folder`));
  assert.match(output, /Output model folder/);

  // The server's progress sits in the status bar; clicking it opens the notification with Cancel.
  // (Messages then land in the notification centre rather than as toasts: look in both.)
  const message = (text: RegExp) => wb.page.locator('.notification-list-item', { hasText: text });
  const done = message(/pretrained bert-tiny on corpus\.txt in 100 steps \(held-out loss \d+\.\d{3}\)/);
  const status = wb.statusBarItem(/pretraining bert-tiny on corpus\.txt/);
  await status.waitFor({ timeout: UI_TIMEOUT_MS });
  await status.click();
  const progress = message(/pretraining bert-tiny on corpus\.txt/);
  await progress.getByRole('button', { name: 'Cancel' }).waitFor({ timeout: UI_TIMEOUT_MS });
  await session.screenshot('pretrain-progress.png');
  await done.first().waitFor({ timeout: PRETRAIN_TIMEOUT_MS });
  await done.first().getByRole('button', { name: 'Fine-tune from This Model…' }).waitFor({ timeout: UI_TIMEOUT_MS });
  await session.screenshot('pretrain-completed.png');
  for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'probe.txt', 'pretrain.json']) {
    assert.ok(existsSync(join(session.workspace, OUTPUT, f)), `${OUTPUT}/${f} was written`);
  }

  // The Models view lists it under Workspace.
  await wb.page.locator('.activitybar .action-item a[aria-label^="Transfer Lab"]').first().click();
  const models = wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: 'Models' }) });
  await models.locator('.monaco-list-row', { hasText: 'corpus-bert-tiny' }).waitFor({ timeout: UI_TIMEOUT_MS });
  assert.match((await models.locator('.monaco-list-row', { hasText: 'corpus-bert-tiny' }).textContent()) ?? '', /bert · masked-lm · 2×128/);
  await session.screenshot('pretrain-done.png');
});
