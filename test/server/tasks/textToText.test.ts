/**
 * Text-to-text runs with T5: the loss falls when over-fitting; eval has perplexity, exact match and
 * token F1; labels as targets give a confusion matrix; flat tensors; LoRA adapters; refusals.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../../../server/backend/tf';
import { runOnFixture, tempDir, testBackend, tinyModelFolder } from '../finetune/finetuneFixtures';
import { assertFlatTensors, assertLossFalls, evalEvents, SENTIMENT_CSV, T5_CSV } from './taskFixtures';

const runsDir = tempDir('tl-t5-');
let t5 = '';
before(async () => {
  await testBackend();
  t5 = await tinyModelFolder('t5');
});

const T2T = { task: 'text-to-text', dataset: T5_CSV, targetColumn: 'target', maxLength: 16 } as const;

test('T5 over-fits input/target pairs: the loss falls; eval has perplexity, exact match and token F1; tensors flat', async () => {
  const before = tf.memory().numTensors;
  const run = await runOnFixture(runsDir, { ...T2T, model: t5, limit: 8, epochs: 60, learningRate: 2e-2, warmupRatio: 0, weightDecay: 0, evalEvery: 20 });
  assertLossFalls(run, 3, 0.5);
  assertFlatTensors(run, before);
  for (const e of evalEvents(run.events)) {
    assert.ok(e.perplexity !== undefined && Math.abs(e.perplexity - Math.exp(e.valLoss)) < 1e-9 * e.perplexity);
    assert.ok(e.tokenF1 !== undefined && e.tokenF1 >= 0 && e.tokenF1 <= 1);
    assert.ok(e.tokenF1 >= e.valAccuracy, 'an exact match has token F1 1');
    assert.equal(e.confusion, undefined, 'free-form targets: no confusion matrix');
  }
  assert.ok(run.logs.some((l) => /8 training and 4 validation pairs \("input" → "target"\)/.test(l)), run.logs.join('\n'));
  assert.deepEqual(run.record.result?.labels, []);
  assert.equal(run.record.result?.tokenF1, evalEvents(run.events).at(-1)?.tokenF1);
  const config = JSON.parse(readFileSync(join(run.runDir, 'final', 'config.json'), 'utf8')) as { architectures: string[] };
  assert.deepEqual(config.architectures, ['T5ForConditionalGeneration']);
});

test('labels as targets: T5 classifies by generating the label; exact match is the confusion matrix\'s diagonal share', async () => {
  const run = await runOnFixture(runsDir, { task: 'text-to-text', dataset: SENTIMENT_CSV, model: t5, epochs: 2, maxLength: 24 });
  assert.equal(run.record.state, 'completed', run.record.message ?? '');
  assert.deepEqual(run.record.result?.labels, ['negative', 'positive']);
  assert.equal(run.record.result?.valExamples, 6);
  for (const e of evalEvents(run.events)) {
    const confusion = e.confusion ?? [];
    assert.equal(confusion.length, 2);
    assert.deepEqual(e.confusionLabels, ['negative', 'positive'], 'the target labels name the rows and columns');
    const diagonal = confusion.reduce((n, row, i) => n + (row[i] ?? 0), 0);
    assert.ok(Math.abs(e.valAccuracy - diagonal / 6) < 1e-12, `accuracy ${e.valAccuracy} vs diagonal ${diagonal}/6`);
  }
});

test('strategies: lora writes a SEQ_2_SEQ_LM adapter, freeze:1 trains; lp-ft (tied head) and GPT-2 are refused', async () => {
  const lora = await runOnFixture(runsDir, { ...T2T, model: t5, strategy: 'lora', epochs: 1 });
  assert.equal(lora.record.state, 'completed', lora.record.message ?? '');
  const adapter = JSON.parse(readFileSync(join(lora.runDir, 'adapter', 'adapter_config.json'), 'utf8')) as { task_type: string; target_modules: string[] };
  assert.deepEqual([adapter.task_type, adapter.target_modules], ['SEQ_2_SEQ_LM', ['q', 'v']]);
  const freeze = await runOnFixture(runsDir, { ...T2T, model: t5, strategy: 'freeze:1', epochs: 1 });
  assert.equal(freeze.record.state, 'completed', freeze.record.message ?? '');
  const lpft = await runOnFixture(runsDir, { ...T2T, model: t5, strategy: 'lp-ft', epochs: 2 });
  assert.match(lpft.record.message ?? '', /lp-ft trains a task head first/);
  const gpt2 = await runOnFixture(runsDir, { ...T2T, model: 'gpt2-tiny', epochs: 1 });
  assert.match(gpt2.record.message ?? '', /no seq2seq-lm head.*needs an encoder–decoder model: T5/);
});

test('the target column: --target-col, else the label column; when none is found the message names --target-col', async () => {
  const run = await runOnFixture(runsDir, { task: 'text-to-text', dataset: T5_CSV, model: t5, epochs: 1 });
  assert.equal(run.record.state, 'failed');
  assert.match(run.record.message ?? '', /tiny-t5\.csv has no column that looks like labels.*name it with --target-col/);
});
