/**
 * Sequence classification of text pairs: token types reach the batch, a fresh classifier
 * over-fits a few pairs (the loss falls) with a flat tensor count, the features strategy caches
 * pair features under their own key, and a validation file of pairs maps to the training labels.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../../../server/backend/tf';
import { disposeBatch, makeBatch } from '../../../server/finetune/classificationBatches';
import { runOnFixture, tempDir, testBackend, tinyModelFolder } from '../finetune/finetuneFixtures';
import { assertFlatTensors, assertLossFalls, PAIRS_CSV } from './taskFixtures';

const PAIRS = { dataset: PAIRS_CSV, textColumn: 'premise', textPairColumn: 'hypothesis' } as const;

before(testBackend);

test('a batch carries the pair\'s token types (padding 0)', async () => {
  const batch = makeBatch([{ ids: [2, 7, 3, 8, 3], typeIds: [0, 0, 0, 1, 1], label: 1 }, { ids: [2, 9, 3], label: 0 }], 0);
  assert.deepEqual(await batch.inputs.tokenTypeIds?.array(), [[0, 0, 0, 1, 1], [0, 0, 0, 0, 0]]);
  disposeBatch(batch);
});

test('a fresh pair classifier over-fits 8 pairs: the loss falls, the tensor count is flat', async () => {
  const before = tf.memory().numTensors;
  const run = await runOnFixture(tempDir('tl-pairs-'), { ...PAIRS, model: 'tiny', limit: 8, epochs: 30, learningRate: 1e-3, warmupRatio: 0 });
  assertLossFalls(run, 3, 0.5);
  assertFlatTensors(run, before);
  assert.ok(run.logs.some((l) => /pairs of "premise" and "hypothesis"/.test(l)), run.logs.join('\n'));
  assert.deepEqual(run.record.result?.labels, ['contradiction', 'entailment']);
});

test('features: pair features are cached under their own key; a validation file of pairs is read with the same columns', async () => {
  const folder = await tinyModelFolder('bert', { probe: false });
  const root = tempDir('tl-pair-cache-');
  const runsDir = join(root, 'runs');
  const single = await runOnFixture(runsDir, { dataset: PAIRS_CSV, textColumn: 'premise', model: folder, strategy: 'features', epochs: 2 });
  const pairs = await runOnFixture(runsDir, { ...PAIRS, model: folder, strategy: 'features', epochs: 2 });
  assert.equal(single.record.state, 'completed', single.record.message ?? '');
  assert.equal(pairs.record.state, 'completed', pairs.record.message ?? '');
  assert.equal(readdirSync(join(root, 'cache', 'features')).filter((f) => f.endsWith('.safetensors')).length, 2);
  const val = join(root, 'val.csv');
  writeFileSync(val, 'premise,hypothesis,label\nThe meal was great.,The meal was fun.,entailment\nThe meal was great.,The meal was awful.,contradiction\n');
  const withVal = await runOnFixture(runsDir, { ...PAIRS, model: folder, valDataset: val, epochs: 1 });
  assert.equal(withVal.record.state, 'completed', withVal.record.message ?? '');
  assert.deepEqual([withVal.record.result?.trainExamples, withVal.record.result?.valExamples], [40, 2]);
});
