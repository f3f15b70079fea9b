/** Pure maths of training: the LR schedule, AdamW's update against literal values, metrics. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../server/backend/tf';
import { AdamW, decays, type MomentPlacement } from '../../../server/training/adamw';
import { linearWarmupDecay } from '../../../server/training/schedule';
import { accuracy, macroF1, majorityRate } from '../../../server/training/classificationMetrics';
import { useTestBackend } from '../../helpers/backend';

before(useTestBackend);

test('linear warmup then linear decay to zero', () => {
  assert.deepEqual([0, 1, 2, 3].map((s) => linearWarmupDecay(s, 1, 4, 12)), [0.25, 0.5, 0.75, 1]);
  assert.equal(linearWarmupDecay(4, 1, 4, 12), 1);
  assert.equal(linearWarmupDecay(8, 1, 4, 12), 0.5);
  assert.equal(linearWarmupDecay(12, 1, 4, 12), 0);
  assert.equal(linearWarmupDecay(0, 2, 0, 10), 2);
});

test('AdamW: first step moves each weight by lr·sign(g) plus decoupled decay; none on biases', () => {
  const w = tf.variable(tf.tensor1d([1, -2]), true, 'adamw-test/w.weight');
  const b = tf.variable(tf.tensor1d([1, -2]), true, 'adamw-test/w.bias');
  const opt = new AdamW([{ name: 'w.weight', variable: w }, { name: 'w.bias', variable: b }], { beta1: 0.9, beta2: 0.999, epsilon: 0, weightDecay: 0.1 });
  opt.apply([tf.tensor1d([0.5, -3]), tf.tensor1d([0.5, -3])], 0.01);
  // bias-corrected m/sqrt(v) = sign(g) on step 1; decay subtracts lr·wd·w
  const wv = Array.from(w.dataSync());
  assert.ok(Math.abs((wv[0] ?? 0) - (1 - 0.01 - 0.01 * 0.1 * 1)) < 1e-6);
  assert.ok(Math.abs((wv[1] ?? 0) - (-2 + 0.01 + 0.01 * 0.1 * 2)) < 1e-6);
  const bv = Array.from(b.dataSync());
  assert.ok(Math.abs((bv[0] ?? 0) - 0.99) < 1e-6 && Math.abs((bv[1] ?? 0) + 1.99) < 1e-6);
  opt.dispose();
  w.dispose();
  b.dispose();
  assert.equal(decays('bert.encoder.layer.0.output.LayerNorm.weight'), false);
  assert.equal(decays('classifier.weight'), true);
});

test('accuracy, macro-F1 and majority rate on literal values', () => {
  const truth = [0, 0, 0, 1, 1, 2];
  const pred = [0, 0, 1, 1, 0, 2];
  assert.equal(accuracy(pred, truth), 4 / 6);
  // class 0: p=2/3 r=2/3 f1=2/3; class 1: p=1/2 r=1/2 f1=1/2; class 2: f1=1
  assert.ok(Math.abs(macroF1(pred, truth, 3) - (2 / 3 + 1 / 2 + 1) / 3) < 1e-12);
  assert.equal(macroF1([0, 0], [0, 0], 2), 1);
  assert.equal(majorityRate(truth), 0.5);
});

test('AdamW: the fused in-place update equals the tensor-op update (clipping scale, decay, bias correction)', () => {
  const init = [0.5, -1.5, 2, 0.25];
  const grads = [[0.1, -0.4, 0.3, 0], [-0.2, 0.5, 0.1, 0.05], [0.3, 0.3, -0.3, 0.2]];
  const run = (placement: MomentPlacement): number[] => {
    const w = tf.tidy(() => tf.variable(tf.tensor1d(init), true, `adamw-fused-${placement}/w.weight`));
    const opt = new AdamW([{ name: 'w.weight', variable: w, lrScale: 0.5 }], { beta1: 0.9, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.1 }, placement);
    for (const g of grads) {
      const gt = tf.tensor1d(g);
      const scale = tf.scalar(0.7);
      opt.apply([gt], 0.05, scale);
      tf.dispose([gt, scale]);
    }
    const out = Array.from(w.dataSync());
    opt.dispose();
    w.dispose();
    return out;
  };
  const fused = run('auto');
  const ops = run('tensors');
  fused.forEach((x, i) => assert.ok(Math.abs(x - (ops[i] ?? 0)) < 1e-6, `${i}: ${x} vs ${ops[i]}`));
  assert.notDeepEqual(fused, init);
});

test('AdamW keeps its moments outside the tensor heap on the wasm backend, and exports/imports them exactly', async () => {
  const w = tf.tidy(() => tf.variable(tf.tensor1d([1, -2, 3]), true, 'adamw-host/w.weight'));
  const tensors = tf.memory().numTensors;
  const opt = new AdamW([{ name: 'w.weight', variable: w }]);
  assert.equal(tf.memory().numTensors, tensors, 'no moment tensors');
  const g = tf.tensor1d([0.5, -1, 0.25]);
  opt.apply([g], 0.1);
  opt.apply([g], 0.1);
  const state = await opt.exportState();
  const twin = tf.tidy(() => tf.variable(tf.tensor1d(w.dataSync()), true, 'adamw-host/twin.weight'));
  const resumed = new AdamW([{ name: 'w.weight', variable: twin }]);
  resumed.importState(state);
  opt.apply([g], 0.1);
  resumed.apply([g], 0.1);
  assert.deepEqual(Array.from(twin.dataSync()), Array.from(w.dataSync()));
  assert.deepEqual(Array.from((await resumed.exportState()).m.get('w.weight') ?? []), Array.from((await opt.exportState()).m.get('w.weight') ?? []));
  tf.dispose([w, twin, g]);
  opt.dispose();
  resumed.dispose();
  assert.equal(tf.memory().numTensors, tensors - 1);
});
