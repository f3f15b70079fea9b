/**
 * The forgetting probe and rehearsal: with a model folder that has an LM head and a probe.txt,
 * a run reports the LM loss of the base and of the fine-tuned encoder on the probe text (equal
 * when the encoder is frozen); rehearsal mixes an LM loss into each step and needs an LM head.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModelFolder } from '../../../server/checkpoints/modelFolder';
import { textLoss } from '../../../server/pretrain/lmExamples';
import { PROBE_LINES, runOnFixture, tempDir, testBackend, tinyModelFolder } from './finetuneFixtures';

before(testBackend);

test('probe loss of the base and the fine-tuned model; equal when the encoder stays frozen', async () => {
  const folder = await tinyModelFolder('bert');
  const runsDir = tempDir('tl-probe-');
  const full = await runOnFixture(runsDir, { model: folder, strategy: 'full', epochs: 2, learningRate: 1e-3 });
  const r = full.record.result;
  assert.equal(typeof r?.baseProbeLoss, 'number');
  assert.equal(typeof r?.probeLoss, 'number');
  assert.notEqual(r?.probeLoss, r?.baseProbeLoss);
  const base = await loadModelFolder(folder);
  assert.ok(Math.abs((await textLoss(base.model, base.tokenizer, PROBE_LINES, { seqLength: 32 })) - (r?.baseProbeLoss ?? NaN)) < 1e-6);
  base.model.dispose();

  const features = await runOnFixture(runsDir, { model: folder, strategy: 'features', epochs: 2 });
  assert.equal(features.record.result?.probeLoss, features.record.result?.baseProbeLoss);
});

test('GPT-2 (tied LM head) with LoRA: the probe sees the adapters', async () => {
  const folder = await tinyModelFolder('gpt2');
  const run = await runOnFixture(tempDir('tl-probe-gpt2-'), { model: folder, strategy: 'lora', epochs: 2 });
  assert.equal(run.record.state, 'completed', run.record.message ?? '');
  const r = run.record.result;
  assert.equal(typeof r?.probeLoss, 'number');
  assert.notEqual(r?.probeLoss, r?.baseProbeLoss);
});

test('T5 runs the features strategy (mean-pooled encoder states) and reports its probe', async () => {
  const folder = await tinyModelFolder('t5');
  const run = await runOnFixture(tempDir('tl-probe-t5-'), { model: folder, strategy: 'features', epochs: 3 });
  assert.equal(run.record.state, 'completed', run.record.message ?? '');
  assert.equal(typeof run.record.result?.baseProbeLoss, 'number');
});

test('rehearsal: an LM loss on general text each step lowers the probe loss against the same run without it', async () => {
  const folder = await tinyModelFolder('bert');
  const runsDir = tempDir('tl-rehearsal-');
  const common = { model: folder, strategy: 'full', epochs: 2, learningRate: 2e-3 };
  const plain = await runOnFixture(runsDir, common);
  const rehearsed = await runOnFixture(runsDir, { ...common, mitigations: { layerwiseLrDecay: 1, l2sp: 0, rehearsal: 2 } });
  assert.equal(rehearsed.record.state, 'completed', rehearsed.record.message ?? '');
  assert.ok(rehearsed.logs.some((l) => /rehearsal/.test(l)));
  assert.ok((rehearsed.record.result?.probeLoss ?? Infinity) < (plain.record.result?.probeLoss ?? -Infinity), `${rehearsed.record.result?.probeLoss} vs ${plain.record.result?.probeLoss}`);
});

test('rehearsal without an LM head fails with a message saying what it needs', async () => {
  const run = await runOnFixture(tempDir('tl-rehearsal-preset-'), { model: 'tiny', epochs: 1, mitigations: { layerwiseLrDecay: 1, l2sp: 0, rehearsal: 1 } });
  assert.equal(run.record.state, 'failed');
  assert.match(run.record.message ?? '', /Rehearsal needs a pretrained model folder/);
});

test('T5 with a strategy that needs a classification head fails with a pointer to features', async () => {
  const folder = await tinyModelFolder('t5', { probe: false });
  const run = await runOnFixture(tempDir('tl-t5-full-'), { model: folder, strategy: 'full', epochs: 1 });
  assert.equal(run.record.state, 'failed');
  assert.match(run.record.message ?? '', /no sequence-classification head.*--strategy features/);
});
