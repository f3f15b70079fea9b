/**
 * The training loop and the mitigations on known answers: early stopping stops at the right
 * evaluation and keeps the best checkpoint; gradient accumulation of 2 × B equals one batch of
 * 2B; layer-wise LR decay scales each layer's step; the L2-SP gradient is α(θ − θ₀).
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tf } from '../../../server/backend/tf';
import type { MetricEvent } from '../../../server/protocol';
import { resolveFineTuneConfig } from '../../../server/finetune/fineTuneConfig';
import { evalResult } from '../../../server/finetune/evaluate';
import type { TrainableModel, TrainingData } from '../../../server/finetune/loop/contracts';
import { PhasedTrainer } from '../../../server/finetune/loop/phasedTrainer';
import { trainLoop } from '../../../server/finetune/loop/trainLoop';
import { L2SpPenalty } from '../../../server/finetune/mitigations/l2sp';
import { layerwiseLrScale } from '../../../server/finetune/mitigations/layerwiseLr';
import { layerMap } from '../../../server/finetune/strategies/layerGroups';
import { singlePhase } from '../../../server/finetune/strategies/phases';
import { DEFAULT_ADAMW_CONFIG } from '../../../server/training/adamw';
import { tinyModel } from '../../helpers/tinyModel';
import { FIXTURE_CSV, maxAbsDiff, runOnFixture, tempDir, testBackend, tinyModelFolder, weightsOf } from './finetuneFixtures';

before(testBackend);

const NO_DECAY = { ...DEFAULT_ADAMW_CONFIG, weightDecay: 0 };

/** A one-variable "model" whose validation losses follow a script. */
function scripted(valLosses: readonly number[]): { model: TrainableModel; data: TrainingData; dispose(): void } {
  const w = tf.variable(tf.scalar(1), true);
  let evals = 0;
  const model: TrainableModel = {
    names: ['w'], variable: () => w,
    saveState: (dir) => writeFile(join(dir, 'w.txt'), String(w.dataSync()[0])),
    loadState: async () => undefined,
    export: (dir) => writeFile(`${dir}.txt`, 'best'),
    dispose: () => undefined,
  };
  const data: TrainingData = {
    size: 8, valLabels: [0, 1],
    batchOrder: () => [[0, 1, 2, 3], [4, 5, 6, 7]],
    microBatch: (idx) => ({ size: idx.length, tokens: idx.length, loss: () => tf.mul(w, w), dispose: () => undefined }),
    evaluate: async () => {
      const loss = valLosses[evals++] ?? 1;
      return { ...evalResult(0, Int32Array.from([0, 1]), Int32Array.from([0, 1]), ['a', 'b']), loss };
    },
  };
  return { model, data, dispose: () => w.dispose() };
}

test('early stopping: stops after `patience` evaluations without a better validation loss', async () => {
  const runDir = tempDir('tl-early-');
  const { model, data, dispose } = scripted([1.0, 0.8, 0.9, 0.85, 0.7, 0.6]);
  const config = resolveFineTuneConfig({ dataset: FIXTURE_CSV, epochs: 5, batchSize: 4, evalEvery: 1, earlyStoppingPatience: 2 });
  const trainer = new PhasedTrainer(singlePhase(['w'], 0.1, 'w'), () => model.variable('w'), () => 1, { totalSteps: 10, warmupRatio: 0, maxGradNorm: 1, schedule: 'constant', adamw: NO_DECAY });
  const events: MetricEvent[] = [];
  const logs: string[] = [];
  const st = await trainLoop({
    config, runDir, data, model, trainer, penalty: () => null, emit: async (e) => void events.push(...e), log: (l) => void logs.push(l),
    isCancelled: () => false, cancelled: () => new Error('cancelled'), started: performance.now(),
  }, null);
  trainer.dispose();
  dispose();
  assert.equal(st.stopped, true);
  assert.equal(st.step, 4);
  assert.deepEqual(st.best, { valLoss: 0.8, step: 2 });
  assert.deepEqual(events.map((e) => `${e.type}${e.step}`), ['step1', 'eval1', 'step2', 'eval2', 'step3', 'eval3', 'step4', 'eval4']);
  assert.deepEqual(readdirSync(join(runDir, 'checkpoints')).sort(), ['2', '3', '4'], 'the last two and the best checkpoint are kept');
  assert.ok(logs.some((l) => /early stopping/.test(l)));
});

test('gradient accumulation: 2 micro-batches of B give the same steps as one batch of 2B (dropout off)', async () => {
  const folder = await tinyModelFolder('bert', { dropout: false, probe: false });
  const runsDir = tempDir('tl-accum-');
  const common = { model: folder, strategy: 'full', epochs: 1, learningRate: 1e-3, schedule: 'constant' as const, warmupRatio: 0 };
  const one = await runOnFixture(runsDir, { ...common, batchSize: 8, gradAccumulation: 1 });
  const two = await runOnFixture(runsDir, { ...common, batchSize: 4, gradAccumulation: 2 });
  const steps = (events: readonly MetricEvent[]) => events.filter((e): e is Extract<MetricEvent, { type: 'step' }> => e.type === 'step');
  const [a, b] = [steps(one.events), steps(two.events)];
  assert.equal(a.length, 7); // 54 examples, groups of 8: the last group of 6 splits 4 + 2 and is weighted by size
  assert.equal(b.length, a.length);
  a.forEach((e, i) => {
    assert.ok(Math.abs(e.loss - (b[i]?.loss ?? NaN)) < 1e-5, `step ${e.step}: loss ${e.loss} vs ${b[i]?.loss}`);
    assert.ok(Math.abs((e.gradNorm ?? 0) - (b[i]?.gradNorm ?? NaN)) < 1e-4 * Math.max(1, e.gradNorm ?? 0), `step ${e.step}: grad norm ${e.gradNorm} vs ${b[i]?.gradNorm}`);
  });
  const [wa, wb] = [await weightsOf(join(one.runDir, 'final')), await weightsOf(join(two.runDir, 'final'))];
  for (const [name, arr] of wa) assert.ok(maxAbsDiff(arr.data, wb.get(name)?.data ?? new Float32Array(0)) < 1e-4, name);
});

test('layer-wise LR decay: decay^(L−i) for layer i, decay^(L+1) for embeddings, 1 for the head and final norm', () => {
  const bert = tinyModel('bert', 'sequence-classification');
  const scale = layerwiseLrScale(layerMap(bert), 0.5);
  assert.equal(scale('bert.embeddings.word_embeddings.weight'), 0.125);
  assert.equal(scale('bert.embeddings.LayerNorm.weight'), 0.125);
  assert.equal(scale('bert.encoder.layer.0.attention.self.query.weight'), 0.25);
  assert.equal(scale('bert.encoder.layer.0.attention.self.query.lora_A.weight'), 0.25);
  assert.equal(scale('bert.encoder.layer.1.output.dense.bias'), 0.5);
  assert.equal(scale('bert.pooler.dense.weight'), 1);
  assert.equal(scale('classifier.weight'), 1);
  assert.equal(layerwiseLrScale(layerMap(bert), 1)('bert.embeddings.word_embeddings.weight'), 1);
  bert.dispose();
  const gpt2 = tinyModel('gpt2', 'sequence-classification');
  const g = layerwiseLrScale(layerMap(gpt2), 0.5);
  assert.deepEqual(['transformer.wte.weight', 'transformer.h.0.attn.c_attn.weight', 'transformer.h.1.mlp.c_fc.bias', 'transformer.ln_f.weight', 'score.weight'].map(g), [0.125, 0.25, 0.5, 1, 1]);
  gpt2.dispose();
});

test('layer-wise LR decay reaches AdamW: the first step moves each weight by lr · scale', async () => {
  const low = tf.variable(tf.zeros([3]), true);
  const high = tf.variable(tf.zeros([3]), true);
  const vars = new Map([['low', low], ['high', high]]);
  const trainer = new PhasedTrainer(singlePhase(['low', 'high'], 0.1, 'both'), (n) => vars.get(n) ?? low, (n) => (n === 'low' ? 0.25 : 1), { totalSteps: 10, warmupRatio: 0, maxGradNorm: 100, schedule: 'constant', adamw: NO_DECAY });
  await (await trainer.trainerFor(0)).trainStep(() => tf.add(tf.sum(low), tf.sum(high)));
  for (const v of await low.data()) assert.ok(Math.abs(v + 0.025) < 1e-6, `low moved ${v}`);
  for (const v of await high.data()) assert.ok(Math.abs(v + 0.1) < 1e-6, `high moved ${v}`);
  trainer.dispose();
  tf.dispose([low, high]);
});

test('L2-SP: the penalty is α/2‖θ − θ₀‖² and its gradient α(θ − θ₀) pulls toward the start', async () => {
  const theta = tf.variable(tf.tensor1d([1, -2, 3]), true);
  const l2sp = new L2SpPenalty(() => theta, ['w'], 0.5);
  tf.tidy(() => theta.assign(tf.tensor1d([2, -2, 1]))); // moved by [1, 0, −2]
  const { value, grads } = tf.variableGrads(() => l2sp.penalty(() => theta, ['w']) as tf.Scalar, [theta]);
  assert.ok(Math.abs((await value.data())[0] as number - 0.25 * 5) < 1e-6); // α/2 · (1 + 0 + 4)
  assert.deepEqual(Array.from(await (grads[theta.name] as tf.Tensor).data()), [0.5, 0, -1]);
  assert.equal(l2sp.penalty(() => theta, ['other']), null);
  tf.dispose([value, ...Object.values(grads)]);
  l2sp.dispose();
  theta.dispose();
});

test('L2-SP in a run: a strong pull keeps the encoder closer to its pretrained weights', async () => {
  const folder = await tinyModelFolder('bert', { probe: false });
  const base = await weightsOf(folder);
  const runsDir = tempDir('tl-l2sp-');
  const common = { model: folder, strategy: 'full', epochs: 2, learningRate: 3e-3, weightDecay: 0 };
  const free = await runOnFixture(runsDir, common);
  const held = await runOnFixture(runsDir, { ...common, mitigations: { layerwiseLrDecay: 1, l2sp: 50, rehearsal: 0 } });
  const drift = async (runDir: string): Promise<number> => {
    const after = await weightsOf(join(runDir, 'final'));
    let sq = 0;
    for (const [name, w] of base) {
      if (!name.startsWith('bert.')) continue;
      const a = after.get(name)?.data ?? new Float32Array(0);
      w.data.forEach((v, i) => (sq += (v - (a[i] ?? 0)) ** 2));
    }
    return Math.sqrt(sq);
  };
  const [dFree, dHeld] = [await drift(free.runDir), await drift(held.runDir)];
  assert.ok(dHeld < dFree * 0.8, `drift with L2-SP ${dHeld} vs without ${dFree}`);
});
