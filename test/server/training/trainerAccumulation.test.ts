/**
 * The Trainer's gradient accumulation (averaged in place, one parameter at a time) against the
 * gradient of the mean loss, on a real model: the same update to 1e-7, the same reported loss
 * and gradient norm, and no tensor left behind.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, type Tensor } from '../../../server/backend/tf';
import { DEFAULT_ADAMW_CONFIG } from '../../../server/training/adamw';
import { crossEntropy } from '../../../server/training/losses';
import { Trainer } from '../../../server/training/trainer';
import { disposeBatch } from '../../../server/finetune/classificationBatches';
import { useTestBackend } from '../../helpers/backend';
import { liveTensors, randomBatch, tinyModel } from '../../helpers/tinyModel';

before(useTestBackend);

// epsilon 1 makes AdamW's first step ≈ lr·g, linear in the gradient: with the usual 1e-8 a
// gradient that is zero in exact arithmetic (the key bias, by softmax's shift invariance) turns
// rounding noise of 1e-9 into a full ±lr step, and no two summation orders would agree.
const CONFIG = { learningRate: 1e-2, warmupSteps: 0, totalSteps: 10, maxGradNorm: 0.5, adamw: { ...DEFAULT_ADAMW_CONFIG, epsilon: 1 } };

test('three micro-batches step like the gradient of their mean loss', async () => {
  const batches = [randomBatch(4, 9, 1), randomBatch(4, 9, 2), randomBatch(4, 9, 3)];
  const run = async (accumulate: boolean) => {
    const model = tinyModel('bert', 'sequence-classification', 5);
    const trainer = new Trainer(model.params.names().map((name) => ({ name, variable: model.params.get(name) })), CONFIG);
    const losses = batches.map((b) => () => crossEntropy(model.forward(b.inputs, { training: false, nextSeed: () => 0 }).logits as Tensor, b.labels));
    const before = liveTensors();
    const result = await trainer.trainStep(accumulate ? losses : () => tf.div(tf.addN(losses.map((f) => f())), losses.length));
    assert.equal(liveTensors(), before, 'the step leaked tensors');
    const weights = model.params.names().map((n) => Array.from(model.params.get(n).dataSync()));
    trainer.dispose();
    model.dispose();
    return { result, weights };
  };
  const ours = await run(true);
  const reference = await run(false);
  assert.ok(Math.abs(ours.result.loss - reference.result.loss) < 1e-6, `loss ${ours.result.loss} vs ${reference.result.loss}`);
  assert.ok(Math.abs(ours.result.gradNorm - reference.result.gradNorm) < 1e-5, `norm ${ours.result.gradNorm} vs ${reference.result.gradNorm}`);
  assert.ok(ours.result.gradNorm > CONFIG.maxGradNorm, 'clipping is exercised');
  ours.weights.forEach((w, i) => w.forEach((x, j) => assert.ok(Math.abs(x - (reference.weights[i]?.[j] ?? NaN)) < 1e-7, `tensor ${i}[${j}]: ${x} vs ${reference.weights[i]?.[j]}`)));
  batches.forEach(disposeBatch);
});
