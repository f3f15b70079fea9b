/**
 * A whole sweep on the tiny fixture (budgets 20 and all, strategies features and full, 1 epoch):
 * every cell runs through executeRun on the same validation file, the baseline sees the runs'
 * subsample, the table has every cell, sweep.json/sweep.html are written; a failing strategy is
 * reported as failed while the sweep goes on.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord } from '../../../server/runs/runStore';
import { runSweep, type SweepHooks, type SweepOptions, type SweepResult } from '../../../server/sweep/runSweep';
import { sweepTableLines } from '../../../server/sweep/sweepTable';
import { SWEEP_HTML, SWEEP_JSON } from '../../../server/sweep/sweepFiles';
import { REPORT_FILE } from '../../../server/report/writeRunReport';
import { tempDir, testBackend, tinyModelFolder } from '../finetune/finetuneFixtures';
import { splitFixture, type SplitFiles } from './sweepFixtures';

let files: SplitFiles;
let model = '';

before(async () => {
  await testBackend();
  files = await splitFixture();
  model = await tinyModelFolder('bert');
});

function hooks(starts: string[]): SweepHooks {
  return { onCellStart: (i, n, what) => void starts.push(`${i}/${n} ${what}`), onCell: () => undefined, onLog: () => undefined, onRunLog: () => undefined, isCancelled: () => false };
}

const options = (over: Partial<SweepOptions>): SweepOptions => ({
  train: files.train, val: files.val, model, budgets: [20, 'all'], strategies: ['features', 'full'], seed: 7, epochs: 1,
  runsDir: tempDir('tl-sweep-runs-'), config: { batchSize: 8, maxLength: 32 }, ...over,
});

const readRecord = (runDir: string): RunRecord => JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunRecord;

test('budgets 20 and all × features, full × pretrained, scratch, plus the baseline: every cell, one validation set', async () => {
  const starts: string[] = [];
  const r: SweepResult = await runSweep(options({}), await testBackend(), hooks(starts));
  assert.equal(r.cells.length, 2 * (1 + 2 * 2));
  assert.equal(starts[0], '1/10 budget 20 · tfidf-logreg · baseline');
  assert.deepEqual(r.cells.map((c) => c.state), r.cells.map(() => 'completed'), r.cells.map((c) => c.message).join('; '));
  assert.deepEqual([r.scratch.model, r.scratch.fromScratch], [model, true], 'from scratch = the same folder with random weights');
  assert.equal(r.cancelled, false);
  for (const c of r.cells) {
    assert.ok(c.valAccuracy !== null && c.valAccuracy >= 0 && c.valAccuracy <= 1);
    assert.ok(c.valMacroF1 !== null && c.trainSeconds !== null);
    assert.equal(c.trainExamples, c.budget === 20 ? 20 : files.trainRows, `${c.init} ${c.strategy} at ${String(c.budget)}`);
    if (c.init === 'baseline') continue;
    assert.ok(c.runDir !== null && existsSync(join(c.runDir, REPORT_FILE)), 'every run writes report.html');
    const rec = readRecord(c.runDir);
    assert.equal(rec.config.valDataset, files.val);
    assert.equal(rec.result?.valExamples, files.valRows, 'the same validation set everywhere');
    assert.equal(rec.config.model, model);
    assert.equal(rec.config.fromScratch === true, c.init === 'scratch');
    assert.equal(rec.config.limit, c.budget === 20 ? 20 : 0);
    assert.equal(rec.result?.valAccuracy, c.valAccuracy);
  }
  const lines = sweepTableLines(r.cells, ['features', 'full'], r.negativeTransfer);
  assert.match(lines[0] ?? '', /^budget\s+examples\s+tf-idf\s+features pretrained\s+features scratch\s+full pretrained\s+full scratch$/);
  assert.match(lines[1] ?? '', /^20\s+20(\s+\d+\.\d%){5}$/);
  assert.match(lines[2] ?? '', new RegExp(`^all\\s+${files.trainRows}(\\s+\\d+\\.\\d%){5}$`));
  const json = JSON.parse(readFileSync(join(r.sweepDir, SWEEP_JSON), 'utf8')) as { cells: unknown[]; budgets: unknown[]; negativeTransfer: unknown[] };
  assert.equal(json.cells.length, 10);
  assert.deepEqual(json.budgets, [20, 'all']);
  const html = readFileSync(join(r.sweepDir, SWEEP_HTML), 'utf8');
  assert.match(html, /<svg[^>]*aria-label="Validation accuracy by number of training labels"/);
  assert.equal((html.match(/href="\.\.\/[^"]+\/report\.html"/g) ?? []).length, 8, 'each run cell links its report');
  assert.doesNotMatch(html, /<script/i);
});

test('a budget above the training set becomes "all"; a failing strategy is reported and the sweep goes on', async () => {
  const r = await runSweep(options({ budgets: [10_000], strategies: ['freeze:5'] }), await testBackend(), hooks([]));
  assert.deepEqual(r.cells.map((c) => [c.budget, c.init, c.state]), [['all', 'baseline', 'completed'], ['all', 'pretrained', 'failed'], ['all', 'scratch', 'failed']]);
  assert.match(r.cells[1]?.message ?? '', /freeze:5.*only 2 layers/);
  const lines = sweepTableLines(r.cells, ['freeze:5'], r.negativeTransfer);
  assert.match(lines[1] ?? '', /^all\s+\d+\s+\d+\.\d%\s+failed\s+failed$/);
  assert.ok(lines.some((l) => /^failed: budget all · freeze:5 · pretrained: .*only 2 layers/.test(l)));
});

test('a preset as --model and a missing validation file are refused before any cell runs', async () => {
  await assert.rejects(runSweep(options({ model: 'tiny' }), await testBackend(), hooks([])), /fresh preset/);
  await assert.rejects(runSweep(options({ val: join(files.dir, 'nope.csv') }), await testBackend(), hooks([])), /nope\.csv/);
});
