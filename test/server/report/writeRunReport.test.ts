/**
 * report.html is written by executeRun when a real run ends — completed with forgetting charts,
 * cancelled with the metrics it had — not when a run recorded no metrics, and a report that cannot
 * be written is logged without failing the run.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_FILE, withRunReport } from '../../../server/report/writeRunReport';
import { runOnFixture, tempDir, testBackend, tinyModelFolder } from '../finetune/finetuneFixtures';

let folder = '';
const runsDir = tempDir('tl-report-runs-');

before(async () => {
  await testBackend();
  folder = await tinyModelFolder('bert');
});

test('a completed run writes report.html with curves, confusion matrix and forgetting charts', async () => {
  const run = await runOnFixture(runsDir, { model: folder, strategy: 'full', epochs: 1, evalEvery: 3 });
  assert.equal(run.record.state, 'completed', run.record.message ?? '');
  const html = readFileSync(join(run.runDir, REPORT_FILE), 'utf8');
  assert.ok(run.logs.includes(`report: ${join(run.runDir, REPORT_FILE)}`));
  assert.match(html, /badge state-completed/);
  assert.match(html, /<figcaption>Loss<\/figcaption><svg /);
  assert.match(html, /<table class="confusion"><tr><th>true ↓ \/ predicted →<\/th><th class="num">negative<\/th><th class="num">positive<\/th>/);
  assert.match(html, /<h2>Forgetting<\/h2>/);
  assert.match(html, /<figcaption>Weight drift/);
  assert.match(html, /<figcaption>Attention drift per head/);
  assert.doesNotMatch(html, /<script/i);
});

test('a cancelled run with metrics gets a report; one cancelled before any metric gets none', async () => {
  const cancelled = await runOnFixture(runsDir, { model: folder, strategy: 'full', epochs: 2 }, { cancelAfter: 2 });
  assert.equal(cancelled.record.state, 'cancelled');
  assert.match(readFileSync(join(cancelled.runDir, REPORT_FILE), 'utf8'), /badge state-cancelled">cancelled<\/span><\/p><p class="message state-cancelled">Cancelled by the user\./);
  const early = await runOnFixture(runsDir, { model: folder, strategy: 'full', epochs: 2 }, { cancelAfter: 0 });
  assert.equal(early.record.state, 'cancelled');
  assert.equal(early.events.length, 0);
  assert.equal(existsSync(join(early.runDir, REPORT_FILE)), false);
});

test('a report that cannot be written is logged and the record comes back unchanged', async () => {
  const run = await runOnFixture(runsDir, { model: folder, strategy: 'features', epochs: 1 });
  assert.ok(existsSync(join(run.runDir, REPORT_FILE)));
  rmSync(join(run.runDir, REPORT_FILE));
  mkdirSync(join(run.runDir, REPORT_FILE, 'in-the-way'), { recursive: true }); // a folder where the file goes: the write fails
  const logs: string[] = [];
  const rec = await withRunReport(run.record, (l) => void logs.push(l));
  assert.equal(rec, run.record);
  assert.equal(logs.length, 1);
  assert.match(logs[0] ?? '', /^report\.html was not written: /);
});
