// The README's picture, docs/training-panel.png: a completed run's Training panel beside its CSV,
// dark theme, 1400×900, without side bar or toasts. Run on demand with `npm run e2e:screenshot`
// (not matched by the suite's *.e2e.test.ts), since it rewrites a committed file and trains for minutes.
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { REPO_ROOT, UI_TIMEOUT_MS, WORKBENCH_READY_TIMEOUT_MS } from './harness/constants';
import { chartPoints, fineTuneFromExplorer, trainingPanel, waitForCompletedRun } from './harness/fineTuneFlow';
import { scenario } from './harness/session';

const README_SCREENSHOT = join(REPO_ROOT, 'docs', 'training-panel.png');
/** The README's demo dataset: enough rows for a loss curve that visibly falls. */
const DATASET = join(REPO_ROOT, 'data', 'sms-spam', 'sms_spam.csv');
const EPOCHS = 3;
/** 3 epochs of SMS spam (~470 steps) take about 4 minutes on two cores with WebAssembly. */
const README_TRAINING_TIMEOUT_MS = 12 * 60_000;
/** The README loads it on every view: keep it small. */
const MAX_BYTES = 300 * 1024;

{
  scenario(
    { name: 'readme-screenshot', trusted: true, datasets: [DATASET], workspaceName: 'spam-filter', timeoutMs: 2 * WORKBENCH_READY_TIMEOUT_MS + README_TRAINING_TIMEOUT_MS + 10 * UI_TIMEOUT_MS },
    async (session) => {
      const wb = session.workbench;
      const name = basename(DATASET);
      await fineTuneFromExplorer(wb, { dataset: name, textColumn: 'text', labelColumn: 'label', model: 'tiny', epochs: EPOCHS });
      const panel = await trainingPanel(wb, name);
      await waitForCompletedRun(panel, README_TRAINING_TIMEOUT_MS);
      assert.ok((await chartPoints(panel, 'loss')) > 0);
      assert.equal(await chartPoints(panel, 'accuracy'), EPOCHS * 2);

      // The editor and the panel side by side, nothing else.
      await wb.runCommand('View: Close Primary Side Bar');
      await wb.page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
      await wb.runCommand('Notifications: Clear All Notifications');
      await wb.page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
      await wb.page.mouse.move(0, 0); // no hover highlight or tooltip
      mkdirSync(dirname(README_SCREENSHOT), { recursive: true });
      await wb.page.screenshot({ path: README_SCREENSHOT });
      await session.screenshot('readme.png');
      const { size } = statSync(README_SCREENSHOT);
      assert.ok(size <= MAX_BYTES, `${README_SCREENSHOT} is ${Math.round(size / 1024)} KB (limit ${MAX_BYTES / 1024} KB)`);
    },
  );
}
