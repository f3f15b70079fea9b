/**
 * The features strategy: the first run extracts pooled features and caches them next to the runs
 * folder; a second run with the same model, file, columns and length loads them and runs no
 * encoder pass at all, reaching the same result. Pooling follows the family.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../../../server/backend/tf';
import { disposeBatch, makeBatch } from '../../../server/finetune/classificationBatches';
import { FEATURE_STATS, pooledFeatures, poolingFor } from '../../../server/finetune/strategies/featureExtraction';
import { tinyModel } from '../../helpers/tinyModel';
import { runOnFixture, tempDir, testBackend, tinyModelFolder } from './finetuneFixtures';

before(testBackend);

test('a second run with the same key loads the cached features and runs no encoder pass', async () => {
  const folder = await tinyModelFolder('bert');
  const root = tempDir('tl-cache-');
  const runsDir = join(root, 'runs');
  const first = await runOnFixture(runsDir, { model: folder, strategy: 'features', epochs: 5 });
  assert.equal(first.record.state, 'completed', first.record.message ?? '');
  assert.ok(first.logs.some((l) => /extracted .* and cached/.test(l)), first.logs.join('\n'));
  assert.equal(readdirSync(join(root, 'cache', 'features')).filter((f) => f.endsWith('.safetensors')).length, 1);

  const batchesBefore = FEATURE_STATS.encoderBatches;
  const second = await runOnFixture(runsDir, { model: folder, strategy: 'features', epochs: 5 });
  assert.equal(FEATURE_STATS.encoderBatches, batchesBefore, 'the second run ran the encoder');
  assert.ok(second.logs.some((l) => /loaded from the cache/.test(l)));
  assert.equal(second.record.result?.valLoss, first.record.result?.valLoss);

  const other = await runOnFixture(runsDir, { model: folder, strategy: 'features', epochs: 1, maxLength: 8 });
  assert.ok(FEATURE_STATS.encoderBatches > batchesBefore, 'another maxLength is another key');
  assert.equal(other.record.state, 'completed');
});

test('pooling: the masked mean of encoder states for BERT and T5, the last real token for GPT-2', async () => {
  const examples = [{ ids: [2, 7, 9, 3], label: 0 }, { ids: [2, 8, 3], label: 1 }];
  const batch = makeBatch(examples, 0);
  for (const [family, pooling] of [['bert', 'mean'], ['gpt2', 'last-token'], ['t5', 'mean']] as const) {
    const model = tinyModel(family, 'base');
    assert.equal(poolingFor(model), pooling);
    const [pooled, hidden] = tf.tidy(() => {
      const out = model.forward(family === 't5' ? { ...batch.inputs, decoderInputIds: tf.zeros([2, 1], 'int32') } : batch.inputs, { training: false, nextSeed: () => 0 });
      return [pooledFeatures(model, batch.inputs, pooling), out.encoderHidden ?? out.hidden];
    });
    const [p, h] = [await pooled.array() as number[][], await hidden.array() as number[][][]];
    const row1 = h[1] ?? [];
    const expected = pooling === 'last-token' ? row1[2] : (row1[0] ?? []).map((_, j) => ((row1[0]?.[j] ?? 0) + (row1[1]?.[j] ?? 0) + (row1[2]?.[j] ?? 0)) / 3);
    (expected ?? []).forEach((v, j) => assert.ok(Math.abs(v - (p[1]?.[j] ?? NaN)) < 1e-5, `${family} feature ${j}`));
    tf.dispose([pooled, hidden]);
    model.dispose();
  }
  disposeBatch(batch);
});
