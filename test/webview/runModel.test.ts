// The Training panel's data model: series derived from metric events, and the train-loss
// smoothing drawn over the raw per-batch losses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RunModel, smoothLoss } from '../../webview/training/runModel';

test('smoothLoss keeps a constant constant from the first value on (bias-corrected)', () => {
  assert.deepEqual(smoothLoss([0.7, 0.7, 0.7]).map((v) => v?.toFixed(12)), ['0.700000000000', '0.700000000000', '0.700000000000']);
});

test('smoothLoss is the weighted average of what came before, skipping nulls', () => {
  // weight 0.5: a1 = 0.5*1 / (1-0.5) = 1; a2 = (0.25 + 0.5*3) / 0.75 = 7/3
  const smoothed = smoothLoss([1, null, 3], 0.5);
  assert.equal(smoothed[0], 1);
  assert.equal(smoothed[1], null);
  assert.ok(Math.abs((smoothed[2] ?? NaN) - 7 / 3) < 1e-12);
});

test('lossColumns: steps, raw and smoothed train loss, validation loss only at eval steps', () => {
  const model = new RunModel();
  model.add([
    { type: 'step', step: 1, epoch: 1, loss: 0.8, learningRate: 1e-3, tokensPerSec: 100, elapsedMs: 10 },
    { type: 'step', step: 2, epoch: 1, loss: 0.6, learningRate: 1e-3, tokensPerSec: 100, elapsedMs: 20 },
    { type: 'eval', step: 2, epoch: 1, valLoss: 0.65, valAccuracy: 0.5, valMacroF1: 0.4, elapsedMs: 25 },
  ]);
  const [x, train, smooth, val] = model.lossColumns();
  assert.deepEqual(x, [1, 2]);
  assert.deepEqual(train, [0.8, 0.6]);
  assert.equal(smooth?.length, 2);
  assert.ok((smooth?.[1] ?? 0) < 0.8 && (smooth?.[1] ?? 0) > 0.6, 'the average lies between the values');
  assert.deepEqual(val, [null, 0.65]);
});
