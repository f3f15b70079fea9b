/**
 * Forgetting diagnostics stream with every evaluation: probe loss against the base model's,
 * per-layer weight drift and CKA, per-head attention drift, and an alert whose suggestions are
 * follow-up runs; a frozen encoder (features) streams none, and the probe adds no tensor leak.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ForgettingEvent } from '../../../server/protocol';
import { runOnFixture, tempDir, testBackend, tinyModelFolder } from './finetuneFixtures';

before(testBackend);

test('every evaluation is followed by a forgetting event with drift, CKA, attention drift and probe loss', async () => {
  const folder = await tinyModelFolder('bert');
  const run = await runOnFixture(tempDir('tl-forget-'), { model: folder, strategy: 'full', epochs: 2, learningRate: 5e-3 });
  assert.equal(run.record.state, 'completed', run.record.message ?? '');
  const evals = run.events.filter((e) => e.type === 'eval');
  const forgetting = run.events.filter((e): e is ForgettingEvent => e.type === 'forgetting');
  assert.equal(forgetting.length, evals.length);
  for (const f of forgetting) {
    assert.deepEqual(f.weightDrift.map((d) => d.layer), ['embeddings', 'layer 0', 'layer 1', 'head']);
    assert.ok(f.weightDrift.every((d) => d.drift > 0), 'trained layers moved');
    assert.ok(f.cka.every((c) => c.cka > 0 && c.cka <= 1 + 1e-9));
    assert.equal(f.attentionDrift.length, 2 * 2, 'layers × heads');
    assert.equal(typeof f.probeLoss, 'number');
    assert.equal(f.baseProbeLoss, run.record.result?.baseProbeLoss);
    assert.ok(f.alert !== null && ['ok', 'warning', 'alert'].includes(f.alert.level));
  }
  const last = forgetting[forgetting.length - 1] as ForgettingEvent;
  assert.equal(last.probeLoss, run.record.result?.probeLoss);
  // drift grows with training
  const first = forgetting[0] as ForgettingEvent;
  assert.ok((last.weightDrift[1]?.drift ?? 0) >= (first.weightDrift[1]?.drift ?? 0));
});

test('a high learning rate raises an alert with follow-up runs; features streams no forgetting events', async () => {
  const folder = await tinyModelFolder('bert');
  const runsDir = tempDir('tl-forget-hot-');
  const hot = await runOnFixture(runsDir, { model: folder, strategy: 'full', epochs: 3, learningRate: 5e-2 });
  const last = hot.events.filter((e): e is ForgettingEvent => e.type === 'forgetting').pop();
  assert.ok(last?.alert !== null && last?.alert !== undefined);
  if (last.alert.level !== 'ok') {
    assert.match(last.alert.message, /Probe loss rose from/);
    assert.ok(last.alert.suggestions.some((s) => s.configPatch.strategy === 'lora'));
  }
  const features = await runOnFixture(runsDir, { model: folder, strategy: 'features', epochs: 2 });
  assert.equal(features.events.filter((e) => e.type === 'forgetting').length, 0);
});
