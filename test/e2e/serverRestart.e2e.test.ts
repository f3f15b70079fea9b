// The training server dies mid-run: a user fine-tunes from the Explorer; after the first
// checkpoint the server process is killed with SIGKILL (its pid is in run.json); the extension
// says so and restarts it; the Runs view and the Training panel show the run interrupted; "Resume Run" from the run's
// context menu continues it from the checkpoint, and the Training panel and the Runs view end on
// completed.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { EXTENSION_READY_TIMEOUT_MS, PROCESS_POLL_MS, TRAINING_TIMEOUT_MS, UI_TIMEOUT_MS, WORKBENCH_READY_TIMEOUT_MS } from './harness/constants';
import { fineTuneFromExplorer, trainingPanel, waitForCompletedRun } from './harness/fineTuneFlow';
import { treeContextCommand } from './harness/finishedRun';
import { scenario } from './harness/session';
import type { Workbench } from './harness/workbench';

const DATASET = 'tiny-sentiment.csv';
/** 2 steps an epoch on 54 training rows, a checkpoint after each: long enough to be killed after the first. */
const EPOCHS = 10;
const SCENARIO_TIMEOUT_MS = 2 * WORKBENCH_READY_TIMEOUT_MS + 2 * EXTENSION_READY_TIMEOUT_MS + 2 * TRAINING_TIMEOUT_MS + 10 * UI_TIMEOUT_MS;

interface RunFile {
  readonly state: string;
  readonly pid: number | null;
  readonly lastStep: number;
  readonly totalSteps: number;
}

const readRun = (runDir: string): RunFile => JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunFile;

/** Polls the file system until `check` returns a value (a condition, with a named limit). */
async function until<T>(what: string, timeoutMs: number, check: () => T | undefined): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = (() => {
      try {
        return check();
      } catch {
        return undefined; // a file being replaced right now
      }
    })();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, PROCESS_POLL_MS));
  }
}

/** The run's row in the Runs view of the Transfer Lab container (the Models view lists its model too). */
async function runRow(wb: Workbench, runId: string): Promise<Locator> {
  const row = wb.page.locator('.pane:has(.pane-header[aria-label="Runs Section"]) .monaco-list-row', { hasText: runId }).first();
  if (!(await row.isVisible())) await wb.page.locator('.activitybar .action-item a[aria-label^="Transfer Lab"]').first().click({ timeout: UI_TIMEOUT_MS });
  await row.waitFor({ timeout: UI_TIMEOUT_MS });
  return row;
}

scenario({ name: 'server-restart', trusted: true, timeoutMs: SCENARIO_TIMEOUT_MS }, async (session) => {
  const wb = session.workbench;
  await fineTuneFromExplorer(wb, { dataset: DATASET, textColumn: 'text', labelColumn: 'label', model: 'tiny', epochs: EPOCHS });
  const panel = await trainingPanel(wb, DATASET);

  // The run trains; once its first checkpoint is on disk, kill the process that trains it.
  const runsDir = join(session.workspace, '.transfer-lab', 'runs');
  const runDir = await until('the run folder', TRAINING_TIMEOUT_MS, () => {
    const name = existsSync(runsDir) ? readdirSync(runsDir)[0] : undefined;
    return name === undefined ? undefined : join(runsDir, name);
  });
  const runId = runDir.split('/').pop() ?? '';
  const pid = await until('the first checkpoint of a running run', TRAINING_TIMEOUT_MS, () => {
    const run = readRun(runDir);
    const checkpoints = existsSync(join(runDir, 'checkpoints')) ? readdirSync(join(runDir, 'checkpoints')).filter((n) => /^\d+$/.test(n)) : [];
    return run.state === 'running' && run.pid !== null && checkpoints.length > 0 ? run.pid : undefined;
  });
  process.kill(pid, 'SIGKILL');

  // The extension notices, says so, and starts a new server, which finds the run interrupted.
  // A progress notification while the new server starts, then a warning that stays.
  await wb.notification(/training server stopped unexpectedly and was restarted/).waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  await wb.notification(/is restarting/).waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS }); // the progress closed itself
  await session.screenshot('server-restarted.png');
  const interrupted = await until('run.json to say interrupted', EXTENSION_READY_TIMEOUT_MS, () => (readRun(runDir).state === 'interrupted' ? true : undefined));
  assert.ok(interrupted);
  const row = await runRow(wb, runId);
  await row.locator('.codicon-debug-pause').waitFor({ timeout: UI_TIMEOUT_MS });
  await panel.locator('.state-badge.state-interrupted').waitFor({ timeout: UI_TIMEOUT_MS });
  await session.screenshot('runs-view-interrupted.png');
  const stoppedAt = readRun(runDir).lastStep;
  const total = readRun(runDir).totalSteps;
  assert.ok(stoppedAt > 0 && stoppedAt < total, `interrupted at step ${stoppedAt} of ${total}`);

  // Resume from the run's context menu: it continues and completes.
  await treeContextCommand(wb, row, 'Resume Run'); // hover + Enter: a plain click was seen dropped
  // The badge passes through queued and running; it must end on completed (not stay interrupted).
  await panel.locator('.state-badge.state-running, .state-badge.state-queued, .state-badge.state-completed').first().waitFor({ timeout: UI_TIMEOUT_MS });
  await panel.locator('.state-badge.state-completed').waitFor({ timeout: TRAINING_TIMEOUT_MS });
  await waitForCompletedRun(panel);
  await (await runRow(wb, runId)).locator('.codicon-pass').waitFor({ timeout: UI_TIMEOUT_MS });
  const done = readRun(runDir);
  assert.equal(done.state, 'completed');
  assert.equal(done.lastStep, total);
  assert.ok(existsSync(join(runDir, 'final', 'model.safetensors')));
  // Each step once in metrics.jsonl: the steps after the checkpoint were dropped and redone.
  const steps = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"type":"step"')).map((l) => (JSON.parse(l) as { step: number }).step);
  assert.deepEqual(steps, Array.from({ length: total }, (_, i) => i + 1));
  await session.screenshot('resumed-completed.png');
});
