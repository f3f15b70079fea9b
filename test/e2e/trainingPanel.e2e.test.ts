// A user compares two runs in the Training panel: two fine-tunes of tiny-sentiment.csv lie in the
// runs folder (trained by the CLI: full fine-tuning and LoRA), the user right-clicks one in the
// Runs view → "Compare with…" → ticks the other. Checked from the charts' own data: both runs'
// lines, the smoothing slider (from the keyboard), log-y, the time axis, the confusion matrix of
// each evaluation, CSV export through the Save dialog, light and dark themes, and the panel
// coming back after a window reload with the same runs and settings.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import { EXTENSION_READY_TIMEOUT_MS, REPO_ROOT, UI_TIMEOUT_MS, WORKBENCH_READY_TIMEOUT_MS } from './harness/constants';
import { reloadWindow } from './harness/palette';
import { scenario, type E2ESession } from './harness/session';
import type { Workbench } from './harness/workbench';

const DATASET = 'tiny-sentiment.csv';
const EPOCHS = 3;
/** Two CLI fine-tunes of 60 rows, a reload and the checks: a few minutes on two busy cores. */
const SCENARIO_TIMEOUT_MS = 3 * WORKBENCH_READY_TIMEOUT_MS + 2 * EXTENSION_READY_TIMEOUT_MS + 20 * UI_TIMEOUT_MS;
const CLI_TIMEOUT_MS = 180_000;
/** Interval between two looks at a chart's data-series while waiting for a redraw. */
const POLL_MS = 100;

interface SeriesInfo {
  readonly key: string;
  readonly label: string;
  readonly points: number;
  readonly last: number | null;
}

/** Fine-tunes the workspace's dataset with the CLI into the workspace's runs folder; returns the run id. */
function cliRun(workspace: string, args: readonly string[]): string {
  const r = spawnSync(process.execPath, [
    join(REPO_ROOT, 'dist', 'cli.js'), 'finetune', join(workspace, DATASET), '--epochs', String(EPOCHS), '--batch-size', '4',
    '--runs-dir', join(workspace, '.transfer-lab', 'runs'), '--json', ...args,
  ], { encoding: 'utf8', timeout: CLI_TIMEOUT_MS });
  assert.equal(r.status, 0, `transfer-lab finetune failed: ${r.stderr}`);
  const summary = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { runId?: string };
  assert.ok(typeof summary.runId === 'string', 'the CLI summary names the run');
  return summary.runId;
}

async function series(panel: FrameLocator, chart: string): Promise<SeriesInfo[]> {
  return JSON.parse((await panel.locator(`.chart[data-chart="${chart}"]`).getAttribute('data-series')) ?? '[]') as SeriesInfo[];
}

function find(all: readonly SeriesInfo[], key: string): SeriesInfo {
  const s = all.find((x) => x.key === key);
  assert.ok(s !== undefined, `no series ${key} among ${all.map((x) => x.key).join(', ')}`);
  return s;
}

/** Waits until chart `chart`'s series satisfy `ok` (it redraws on the next input event): a condition polled every POLL_MS. */
async function waitForSeries(panel: FrameLocator, chart: string, ok: (all: readonly SeriesInfo[]) => boolean): Promise<void> {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  while (!ok(await series(panel, chart))) {
    if (Date.now() > deadline) throw new Error(`the ${chart} chart's series never met the condition: ${JSON.stringify(await series(panel, chart))}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * The workbench with the panel scrolled to its top (header, settings, legend, loss chart) and to
 * the confusion matrix. Whole-workbench shots: an element screenshot of a webview's page does not
 * scroll the webview's own frame.
 */
async function screenshots(session: E2ESession, panel: FrameLocator, theme: string): Promise<void> {
  await panel.locator('table.confusion').scrollIntoViewIfNeeded();
  await session.page.mouse.move(0, 0);
  await session.screenshot(`training-compare-confusion-${theme}.png`);
  await panel.locator('.run-header').scrollIntoViewIfNeeded();
  await session.screenshot(`training-compare-${theme}.png`);
}

/** The run ids of the legend's items, in order. */
async function runIds(items: Locator): Promise<(string | null)[]> {
  const ids: (string | null)[] = [];
  for (let i = 0; i < (await items.count()); i++) ids.push(await items.nth(i).getAttribute('data-run-id'));
  return ids;
}

/** Runs a palette command that opens a quick pick of its own, and picks `item` in it. */
async function paletteThenPick(wb: Workbench, command: string, item: string): Promise<void> {
  await wb.page.keyboard.press('F1');
  const input = wb.quickInput.locator('.quick-input-box input');
  await input.waitFor({ timeout: UI_TIMEOUT_MS });
  await input.fill(`>${command}`);
  await wb.quickInput.getByRole('option', { name: new RegExp(`^${command}`) }).first().click({ timeout: UI_TIMEOUT_MS });
  await input.fill(item);
  await wb.quickInput.getByRole('option', { name: new RegExp(`^${item}`) }).first().click({ timeout: UI_TIMEOUT_MS });
  await wb.quickInput.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
}

scenario({ name: 'training-panel-compare', trusted: true, timeoutMs: SCENARIO_TIMEOUT_MS }, async (session) => {
  const wb = session.workbench;
  const own = cliRun(session.workspace, ['--lr', '1e-3']);
  const other = cliRun(session.workspace, ['--lr', '3e-4', '--strategy', 'lora']);

  // Runs view → right-click the first run → Compare with… → tick the other → OK.
  await wb.page.locator('.activitybar .action-item a[aria-label^="Transfer Lab"]').first().click({ timeout: UI_TIMEOUT_MS });
  // The Runs view's row (the Models view lists the run's output folders under the same id).
  const row = wb.page.locator('.pane:has(.pane-header[aria-label="Runs Section"]) .monaco-list-row', { hasText: own });
  await row.first().waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  await row.first().click({ button: 'right' });
  const menu = wb.page.locator('.context-view .monaco-menu');
  await menu.waitFor({ timeout: UI_TIMEOUT_MS });
  // Hover to focus the item, then Enter: a click right after the menu opened is sometimes dropped.
  await menu.locator('.action-label', { hasText: 'Compare with…' }).hover();
  await menu.locator('.action-item.focused', { hasText: 'Compare with…' }).waitFor({ timeout: UI_TIMEOUT_MS });
  await wb.page.keyboard.press('Enter');
  await wb.quickInput.locator('.quick-input-box input[placeholder*="Runs to overlay"]').waitFor({ timeout: UI_TIMEOUT_MS });
  await wb.quickInput.locator('.monaco-list-row', { hasText: other }).first().click();
  await wb.quickInput.locator('.monaco-button', { hasText: 'OK' }).click({ timeout: UI_TIMEOUT_MS });

  const panel = await wb.webview(`Training: ${DATASET}`);
  const legend = panel.locator('.run-legend .run-item');
  await legend.nth(1).waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  assert.deepEqual(await runIds(legend), [own, other], 'the legend lists this run, then the compared one');

  // Both runs on every chart, with their own values.
  const loss = await series(panel, 'loss');
  for (const run of [own, other]) {
    assert.ok(find(loss, `${run}:trainLoss:raw`).points >= EPOCHS, `${run} has its train loss per step`);
    assert.equal(find(loss, `${run}:valLoss:value`).points, EPOCHS, `${run} has one validation loss per epoch`);
    for (const [chart, key] of [['accuracy', 'valAccuracy:value'], ['learningRate', 'learningRate:value'], ['gradNorm', 'gradNorm:smoothed'], ['throughput', 'tokensPerSec:smoothed']] as const) {
      assert.ok(find(await series(panel, chart), `${run}:${key}`).points > 0, `${chart} of ${run}`);
    }
  }

  // Smoothing from the keyboard: Home = 0 (the EMA is the raw line), End = 0.99 (it lags behind).
  const slider = panel.locator('input.smoothing');
  await slider.focus();
  await slider.press('Home');
  await waitForSeries(panel, 'loss', (s) => find(s, `${own}:trainLoss:smoothed`).last === find(s, `${own}:trainLoss:raw`).last);
  await slider.press('End');
  await waitForSeries(panel, 'loss', (s) => find(s, `${own}:trainLoss:smoothed`).last !== find(s, `${own}:trainLoss:raw`).last);
  assert.equal(await panel.locator('output.smoothing-value').textContent(), '0.99');

  // Log-y on the magnitude charts (accuracy stays linear), then elapsed time on x.
  await panel.locator('label.toggle', { hasText: 'Log scale' }).click();
  await panel.locator('.chart[data-chart="loss"][data-scale="log"]').waitFor({ timeout: UI_TIMEOUT_MS });
  assert.equal(await panel.locator('.chart[data-chart="learningRate"]').getAttribute('data-scale'), 'log');
  assert.equal(await panel.locator('.chart[data-chart="accuracy"]').getAttribute('data-scale'), 'linear');
  await panel.locator('select.x-axis').selectOption('time');
  await panel.locator('.chart[data-chart="loss"][data-x="time"]').waitFor({ timeout: UI_TIMEOUT_MS });
  await panel.locator('select.x-axis').selectOption('step');
  await panel.locator('.chart[data-chart="loss"][data-x="step"]').waitFor({ timeout: UI_TIMEOUT_MS });

  // The confusion matrix of this run's latest evaluation: the dataset's labels as text, every
  // validation example counted; an earlier evaluation from the step picker.
  const table = panel.locator('table.confusion');
  await table.waitFor({ timeout: UI_TIMEOUT_MS });
  assert.deepEqual((await table.locator('th.col-head:not(.total)').allTextContents()).sort(), ['negative', 'positive']);
  const counts = (await table.locator('td.cell:not(.total)').allTextContents()).map(Number);
  assert.equal(counts.reduce((a, b) => a + b, 0), 6, 'the 6 validation examples, each once');
  assert.match((await table.locator('td.cell').first().getAttribute('aria-label')) ?? '', /^true \w+, predicted \w+: \d+ of \d+ \(\d+\.\d%\)$/);
  const steps = await panel.locator('select.confusion-step option').allTextContents();
  assert.equal(steps.length, EPOCHS + 1, `"Latest" and one entry per evaluation: ${steps.join(', ')}`);
  const first = steps.at(-1) ?? '';
  await panel.locator('select.confusion-step').selectOption({ label: first });
  await panel.locator(`.confusion-body[data-step="${first.replace(/^Step /, '')}"]`).waitFor({ timeout: UI_TIMEOUT_MS });

  await screenshots(session, panel, 'dark');

  // Export CSV: the Save dialog proposes the workspace and a file name; Enter saves there.
  await panel.locator('vscode-button', { hasText: 'Export CSV' }).click();
  await wb.quickInput.locator('.quick-input-box input').waitFor({ timeout: UI_TIMEOUT_MS });
  await wb.page.keyboard.press('Enter');
  const csvPath = join(session.workspace, `${own}-compared-metrics.csv`);
  await wb.notification(`saved ${own}-compared-metrics.csv`).waitFor({ timeout: UI_TIMEOUT_MS });
  assert.ok(existsSync(csvPath), `${csvPath} was written`);
  const csv = readFileSync(csvPath, 'utf8').trim().split('\n');
  assert.match(csv[0] ?? '', /^run,step,epoch,elapsed_s,train_loss,train_loss_smoothed,learning_rate,grad_norm,tokens_per_sec,val_loss,val_accuracy,val_macro_f1$/);
  for (const run of [own, other]) assert.ok(csv.some((l) => l.startsWith(`${run},`)), `the CSV has rows of ${run}`);

  // Light theme: the same panel, re-themed.
  await wb.runCommand('Notifications: Clear All Notifications');
  await paletteThenPick(wb, 'Preferences: Color Theme', 'Light Modern');
  await panel.locator('body.vscode-light').waitFor({ timeout: UI_TIMEOUT_MS });
  await screenshots(session, panel, 'light');
  await paletteThenPick(wb, 'Preferences: Color Theme', 'Dark Modern');

  // A window reload brings the panel back (serializer): the same two runs, log-y still on.
  await reloadWindow(wb);
  const restored = await wb.webview(`Training: ${DATASET}`);
  await restored.locator('.run-legend .run-item').nth(1).waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  assert.deepEqual(await runIds(restored.locator('.run-legend .run-item')), [own, other]);
  await restored.locator('.chart[data-chart="loss"][data-scale="log"]').waitFor({ timeout: UI_TIMEOUT_MS });
  assert.equal(await restored.locator('output.smoothing-value').textContent(), '0.99');
  await session.screenshot('workbench-training-restored.png');
});
