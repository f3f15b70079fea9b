// A finished run in a scenario's workspace, trained with the CLI (the same engine as the
// extension's server, without the wizard's clicks: scenarios about what comes after training
// start from it), and the Transfer Lab side bar's Models and Runs views as a user sees them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { writeHfCheckpoint } from '../../helpers/hfCheckpoints';
import { REPO_ROOT, TRAINING_TIMEOUT_MS, UI_TIMEOUT_MS } from './constants';
import type { Workbench } from './workbench';

/** General text for the forgetting probe: a model folder's probe.txt, as `transfer-lab pretrain` writes it. */
const PROBE_TEXT = [
  'the cat sat on the mat and looked at the door .',
  'a man walked into the room and sat down by the fire .',
  'the weather was cold and the wind blew hard all night .',
  'she read the book on the train to the city .',
  'children played in the park until the sun went down .',
  'he opened the window to let the fresh air in .',
].join('\n');

/**
 * A tiny BERT with its masked-LM head (random weights, the fixture's 64-token vocabulary) and a
 * probe.txt, so a run fine-tuned from it measures probe loss against it.
 */
export function writeBaseModel(dir: string): void {
  writeHfCheckpoint(dir, { family: 'bert', head: 'masked-lm', seed: 3 });
  writeFileSync(join(dir, 'probe.txt'), `${PROBE_TEXT}\n`);
}

export interface FinishedRun {
  readonly runId: string;
  readonly runDir: string;
  /** run.json as written. */
  readonly record: Record<string, unknown>;
  /** metrics.jsonl, one object per line. */
  readonly events: readonly Record<string, unknown>[];
}

/** `transfer-lab finetune <dataset> --model <model> … --json` into `<workspace>/.transfer-lab/runs`. */
export function trainRun(workspace: string, dataset: string, model: string, extra: readonly string[] = []): FinishedRun {
  const r = spawnSync(process.execPath, [
    join(REPO_ROOT, 'dist', 'cli.js'), 'finetune', join(workspace, dataset), '--model', model,
    '--runs-dir', join(workspace, '.transfer-lab', 'runs'), '--json', ...extra,
  ], { encoding: 'utf8', timeout: TRAINING_TIMEOUT_MS });
  assert.equal(r.status, 0, `transfer-lab finetune failed: ${r.stderr}`);
  const summary = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { state?: string; runId?: string; runDir?: string };
  assert.equal(summary.state, 'completed', r.stdout.slice(-2000));
  const runDir = summary.runDir ?? '';
  return {
    runId: summary.runId ?? '',
    runDir,
    record: JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as Record<string, unknown>,
    events: readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** Opens the Transfer Lab container in the activity bar. */
export async function openTransferLab(wb: Workbench): Promise<void> {
  await wb.page.locator('.activitybar .action-item a[aria-label^="Transfer Lab"]').first().click({ timeout: UI_TIMEOUT_MS });
}

/** A view of the side bar by its title ("Models", "Runs"). */
export function viewPane(wb: Workbench, title: string): Locator {
  return wb.page.locator('.part.sidebar .pane', { has: wb.page.locator('.pane-header .title', { hasText: new RegExp(`^${title}$`) }) });
}

/** The row of view `view` whose text contains `text` (a run id, a model name). */
export function treeRow(wb: Workbench, view: 'Models' | 'Runs', text: string): Locator {
  return viewPane(wb, view).locator('.monaco-list-row', { hasText: text }).first();
}

/**
 * The Models view's row of model `name` as the server names it (a run's output: "<run id>
 * (final)", shown as "final" under its run), found by its accessible label.
 */
export function modelRow(wb: Workbench, name: string): Locator {
  return viewPane(wb, 'Models').locator(`.monaco-list-row[aria-label^="${name.replace(/["\\]/g, '\\$&')}, "]`).first();
}

/**
 * Right-clicks `row` and chooses `title` from its context menu. Fails with the menu's items when
 * the command is not there.
 */
export async function treeContextCommand(wb: Workbench, row: Locator, title: string): Promise<void> {
  const menu = wb.page.locator('.context-view .monaco-menu');
  await row.click({ button: 'right' });
  await menu.waitFor({ timeout: UI_TIMEOUT_MS });
  const item = menu.locator('.action-label', { hasText: title });
  if ((await item.count()) === 0) {
    const labels = (await menu.locator('.action-label').allTextContents()).filter((t) => t !== '');
    throw new Error(`"${title}" is not in the context menu; it has: ${labels.join(' | ')}`);
  }
  // Hover (the menu focuses the item) and Enter: a click right after a modal dialog closed was
  // seen to leave the menu open.
  await item.first().hover();
  await wb.page.keyboard.press('Enter');
  await menu.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
}

/** Poll interval while waiting for the file dialog to fill in its path (a condition check, not a delay). */
const DIALOG_POLL_MS = 100;

/**
 * VS Code's own Save / Open dialog (a quick input with the path, in a browser workbench): waits
 * until the path it proposes matches `expected` (it fills in while listing the folder), then
 * presses its button (`OK`, or an Open dialog's openLabel). Returns the path accepted.
 */
export async function acceptFileDialog(wb: Workbench, expected: RegExp, button = 'OK'): Promise<string> {
  const input = wb.quickInput.locator('.quick-input-box input');
  await input.waitFor({ timeout: UI_TIMEOUT_MS });
  const deadline = Date.now() + UI_TIMEOUT_MS;
  let value = await input.inputValue();
  while (!expected.test(value)) {
    if (Date.now() > deadline) throw new Error(`the file dialog proposes "${value}", expected ${String(expected)}`);
    await new Promise((resolve) => setTimeout(resolve, DIALOG_POLL_MS));
    value = await input.inputValue();
  }
  await wb.quickInput.locator('.quick-input-action .monaco-button', { hasText: button }).click();
  await input.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  return value;
}
