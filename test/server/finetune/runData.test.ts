/**
 * What a run trains and validates on: a seeded stratified split, a separate validation file
 * mapped to the training file's label ids, and a seeded stratified --limit subsample of the
 * training part (the validation part unchanged, so learning curves compare like with like).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveFineTuneConfig } from '../../../server/finetune/fineTuneConfig';
import { exampleOf, loadRunData } from '../../../server/finetune/runData';
import { UserError } from '../../../server/errors';
import { FIXTURE_CSV, tempDir } from './finetuneFixtures';

const config = (extra: Record<string, unknown>) => resolveFineTuneConfig({ dataset: FIXTURE_CSV, ...extra });

test('the default split holds out a stratified tenth; --limit subsamples only the training part', async () => {
  const all = await loadRunData(config({}));
  assert.equal(all.train.length + all.val.length, 60);
  assert.equal(all.val.length, 6);
  const limited = await loadRunData(config({ limit: 10 }));
  assert.equal(limited.train.length, 10);
  assert.deepEqual(limited.val, all.val);
  const labels = limited.train.map((r) => exampleOf(limited, r).label);
  assert.equal(labels.filter((l) => l === 0).length, 5, 'stratified: half of each class');
  const trainRows = new Set(all.train.map((r) => r.row));
  assert.ok(limited.train.every((r) => trainRows.has(r.row)));
  assert.deepEqual(await loadRunData(config({ limit: 10 })), limited, 'seeded');
  assert.notDeepEqual((await loadRunData(config({ limit: 10, seed: 7 }))).train, limited.train);
});

test('--val: the whole training file trains; validation labels map to the training ids', async () => {
  const dir = tempDir('tl-val-');
  const val = join(dir, 'val.tsv');
  writeFileSync(val, 'id\ttext\tlabel\n1\tA lovely day.\tpositive\n2\tA dull day.\tnegative\n3\tGreat fun.\tpositive\n');
  const data = await loadRunData(config({ valDataset: val }));
  assert.equal(data.train.length, 60);
  assert.deepEqual(data.val.map((r) => exampleOf(data, r).label), [1, 0, 1]);
  assert.deepEqual(data.labelNames, ['negative', 'positive']);

  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'text,label\nfine,positive\nawful,neutral\n');
  await assert.rejects(loadRunData(config({ valDataset: bad })), (e: unknown) => e instanceof UserError && /neutral/.test(e.message) && /bad\.csv/.test(e.message));
});
