// The README's pictures of the Forgetting and Attention panels, docs/forgetting-panel.png and
// docs/attention-panel.png: a tiny BERT pretrained on WikiText-2, fine-tuned on the walkthrough's
// SMS sample with a learning rate high enough to forget (the alert shows its follow-up runs),
// then its attention next to the base model's. Run on demand with `npm run e2e:screenshot` (not
// matched by the suite's *.e2e.test.ts): it rewrites committed files and trains for minutes.
// It also clicks a follow-up button, which must start a run with half the learning rate.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EXTENSION_READY_TIMEOUT_MS, REPO_ROOT, UI_TIMEOUT_MS, WORKBENCH_READY_TIMEOUT_MS } from './harness/constants';
import { modelRow, openTransferLab, trainRun, treeContextCommand, treeRow } from './harness/finishedRun';
import { scenario } from './harness/session';
import type { Workbench } from './harness/workbench';

const FORGETTING_SCREENSHOT = join(REPO_ROOT, 'docs', 'forgetting-panel.png');
const ATTENTION_SCREENSHOT = join(REPO_ROOT, 'docs', 'attention-panel.png');
const DATASET = join(REPO_ROOT, 'media', 'walkthrough', 'sms-spam-sample.csv');
const CORPUS = join(REPO_ROOT, 'data', 'wikitext2', 'wiki.valid.raw');
const BASE = 'bert-wiki';
/** A fine-tuning learning rate ten times too high: the probe loss on general text rises. */
const FORGETFUL_LR = '1e-2';
const SENTENCE = 'Free entry in 2 a wkly comp to win FA Cup final tkts';
/** Pretraining 150 steps (~2 minutes on two idle cores) and fine-tuning 3 epochs of 400 rows. */
const PREPARE_TIMEOUT_MS = 15 * 60_000;
/** The README loads them on every view: keep them small. */
const MAX_BYTES = 300 * 1024;

/** Pretrains `transfer-lab pretrain` a tiny BERT on WikiText-2 (writes probe.txt, the forgetting probe). */
function pretrain(out: string): void {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'pretrain', CORPUS, '--family', 'bert', '--size', 'tiny', '--steps', '150', '--batch', '16', '--out', out], { encoding: 'utf8', timeout: PREPARE_TIMEOUT_MS });
  assert.equal(r.status, 0, `transfer-lab pretrain failed: ${r.stderr}`);
}

/** The editor area alone: no side bar, no toasts, no hover. */
async function tidy(wb: Workbench): Promise<void> {
  await wb.runCommand('View: Close Primary Side Bar');
  await wb.page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  await wb.runCommand('Notifications: Clear All Notifications');
  await wb.page.mouse.move(0, 0);
}

async function save(wb: Workbench, path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  await wb.page.screenshot({ path });
  const { size } = statSync(path);
  assert.ok(size <= MAX_BYTES, `${path} is ${Math.round(size / 1024)} KB (limit ${MAX_BYTES / 1024} KB)`);
}

scenario(
  { name: 'readme-panels', trusted: true, datasets: [DATASET], workspaceName: 'spam-filter', timeoutMs: 2 * WORKBENCH_READY_TIMEOUT_MS + 2 * PREPARE_TIMEOUT_MS + 20 * UI_TIMEOUT_MS },
  async (session) => {
    const wb = session.workbench;
    const baseDir = join(session.workspace, BASE);
    pretrain(baseDir);
    const run = trainRun(session.workspace, 'sms-spam-sample.csv', baseDir, ['--epochs', '3', '--lr', FORGETFUL_LR]);
    const alerts = run.events.filter((e) => e['type'] === 'forgetting' && (e['alert'] as { level?: string } | null)?.level === 'alert');
    assert.ok(alerts.length > 0, 'the forgetful learning rate raised the forgetting alert');

    // The Forgetting panel, from the Runs view.
    await openTransferLab(wb);
    const row = treeRow(wb, 'Runs', run.runId);
    await row.waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
    await treeContextCommand(wb, row, 'Open Forgetting');
    const forgetting = await wb.webview('Forgetting: sms-spam-sample.csv');
    await forgetting.locator('main#app[data-evaluations="3"]').waitFor({ timeout: UI_TIMEOUT_MS });
    await forgetting.locator('.alert-alert vscode-button').first().waitFor({ timeout: UI_TIMEOUT_MS });
    await tidy(wb);
    await save(wb, FORGETTING_SCREENSHOT);
    await session.screenshot('forgetting-panel.png');

    // One click on a follow-up: a run with half the learning rate starts, and its curves open.
    await forgetting.locator('vscode-button', { hasText: 'half the learning rate' }).click();
    await wb.notification(/started run .* \(Re-run with half the learning rate/).waitFor({ timeout: UI_TIMEOUT_MS });
    await wb.editorTab('Training: sms-spam-sample.csv').waitFor({ timeout: UI_TIMEOUT_MS });
    const runsDir = join(session.workspace, '.transfer-lab', 'runs');
    const others = readdirSync(runsDir).filter((id) => id !== run.runId);
    assert.equal(others.length, 1, 'one follow-up run folder');
    const started = others[0]!;
    const config = (JSON.parse(readFileSync(join(runsDir, started, 'run.json'), 'utf8')) as { config: { learningRate: number; model: string } }).config;
    assert.equal(config.learningRate, Number(FORGETFUL_LR) / 2, 'the follow-up run has half the learning rate');
    assert.equal(config.model, baseDir, 'and the same base model');
    // Focus back in the workbench (a webview keeps F1 to itself), then a clean editor area.
    await openTransferLab(wb);
    await wb.runCommand('View: Close All Editors');

    // The Attention panel: the run's output beside its base model, from the Models view.
    const output = modelRow(wb, `${run.runId} (final)`);
    await output.waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
    await treeContextCommand(wb, output, 'Inspect Attention…');
    const input = wb.quickInput.locator('.quick-input-box input');
    await input.waitFor({ timeout: UI_TIMEOUT_MS });
    await input.fill(SENTENCE);
    await input.press('Enter');
    const attention = await wb.webview(`Attention: ${run.runId} (final) vs ${BASE}`);
    await attention.locator('main#app[data-comparing="true"]').waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
    await tidy(wb);
    await attention.locator('canvas.thumb[data-layer="1"][data-head="0"]').click();
    await attention.locator('.head-queries .head-token').nth(4).hover();
    await save(wb, ATTENTION_SCREENSHOT);
    await session.screenshot('attention-panel.png');
  },
);
