/**
 * Causal-LM runs: text file, folder or column corpora; the loss falls when over-fitting; perplexity
 * = exp(loss); flat tensor count; GPT2LMHeadModel export; lora/gradual train, lp-ft is refused.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../../../server/backend/tf';
import { nextTokenTargets } from '../../../server/tasks/causalLm/lmEvaluate';
import { PROBE_LINES, runOnFixture, tempDir, testBackend, tinyModelFolder } from '../finetune/finetuneFixtures';
import { assertFlatTensors, assertLossFalls, evalEvents, SENTIMENT_CSV } from './taskFixtures';

const runsDir = tempDir('tl-lm-');
let gpt2 = '';
before(async () => {
  await testBackend();
  gpt2 = await tinyModelFolder('gpt2');
});

const LM = { task: 'causal-lm', maxLength: 16, batchSize: 4 } as const;

test('next-token targets: each position predicts the following token, the last none', () => {
  assert.deepEqual(nextTokenTargets([5, 6, 7]), [6, 7]);
  assert.deepEqual(nextTokenTargets([5]), []);
});

test('a GPT-2 over-fits a text file: the loss falls, perplexity is exp(loss), the tensor count is flat', async () => {
  const dir = tempDir('tl-lm-text-');
  const file = join(dir, 'domain.txt');
  writeFileSync(file, [...PROBE_LINES, ...PROBE_LINES.map((l) => l.toUpperCase())].join('\n\n') + '\n');
  const before = tf.memory().numTensors;
  const run = await runOnFixture(runsDir, { ...LM, dataset: file, model: gpt2, epochs: 40, learningRate: 1e-2, warmupRatio: 0, weightDecay: 0, evalEvery: 20 });
  assertLossFalls(run, 3, 0.6);
  assertFlatTensors(run, before);
  for (const e of evalEvents(run.events)) {
    assert.ok(e.perplexity !== undefined && Math.abs(e.perplexity - Math.exp(e.valLoss)) < 1e-9 * e.perplexity, 'perplexity = exp(valLoss)');
    assert.ok(e.valAccuracy >= 0 && e.valAccuracy <= 1 && e.valMacroF1 >= 0 && e.valMacroF1 <= 1);
    assert.equal(e.confusion, undefined, 'no confusion matrix over a vocabulary');
  }
  const result = run.record.result;
  assert.equal(result?.task, 'causal-lm');
  assert.equal(result?.perplexity, evalEvents(run.events).at(-1)?.perplexity);
  assert.deepEqual(result?.labels, []);
  assert.ok((result?.probeLoss ?? null) !== null, 'the folder\'s probe.txt gives a probe loss');
  const config = JSON.parse(readFileSync(join(run.runDir, 'final', 'config.json'), 'utf8')) as { architectures: string[] };
  assert.deepEqual(config.architectures, ['GPT2LMHeadModel']);
});

test('a dataset\'s text column and a folder of text files are corpora too; a validation file is held out text', async () => {
  const column = await runOnFixture(runsDir, { ...LM, dataset: SENTIMENT_CSV, model: gpt2, epochs: 1 });
  assert.equal(column.record.state, 'completed', column.record.message ?? '');
  assert.ok(column.logs.some((l) => /54 training and 6 held-out lines of column "text"/.test(l)), column.logs.join('\n'));
  const folder = join(tempDir('tl-lm-folder-'), 'corpus');
  mkdirSync(join(folder, 'sub'), { recursive: true });
  writeFileSync(join(folder, 'a.txt'), PROBE_LINES.slice(0, 2).join('\n'));
  writeFileSync(join(folder, 'sub', 'b.md'), PROBE_LINES.slice(2).join('\n'));
  const val = join(folder, '..', 'val.txt');
  writeFileSync(val, 'A short held-out line about trains.\n');
  const run = await runOnFixture(runsDir, { ...LM, dataset: folder, valDataset: val, model: gpt2, epochs: 1 });
  assert.equal(run.record.state, 'completed', run.record.message ?? '');
  assert.ok(run.logs.some((l) => /4 training and 1 held-out lines/.test(l)), run.logs.join('\n'));
  const packed = run.logs.map((l) => /packed into \d+ training and (\d+) validation blocks/.exec(l)).find((m) => m !== null);
  assert.equal(run.record.result?.valExamples, Number(packed?.[1]), 'validation examples are the held-out blocks');
});

test('strategies: lora (CAUSAL_LM adapter) and gradual train; lp-ft and a model without a causal-LM head are refused', async () => {
  const lora = await runOnFixture(runsDir, { ...LM, dataset: SENTIMENT_CSV, model: gpt2, strategy: 'lora', epochs: 1 });
  assert.equal(lora.record.state, 'completed', lora.record.message ?? '');
  const adapter = JSON.parse(readFileSync(join(lora.runDir, 'adapter', 'adapter_config.json'), 'utf8')) as { task_type: string; target_modules: string[] };
  assert.deepEqual([adapter.task_type, adapter.target_modules], ['CAUSAL_LM', ['c_attn']]);
  const gradual = await runOnFixture(runsDir, { ...LM, dataset: SENTIMENT_CSV, model: gpt2, strategy: 'gradual', epochs: 2 });
  assert.equal(gradual.record.state, 'completed', gradual.record.message ?? '');
  const lpft = await runOnFixture(runsDir, { ...LM, dataset: SENTIMENT_CSV, model: gpt2, strategy: 'lp-ft', epochs: 2 });
  assert.equal(lpft.record.state, 'failed');
  assert.match(lpft.record.message ?? '', /lp-ft .*tied to the embeddings.*Use full, freeze:N, lora or gradual/);
  const bert = await runOnFixture(runsDir, { ...LM, dataset: SENTIMENT_CSV, model: 'tiny', epochs: 1 });
  assert.equal(bert.record.state, 'failed');
  assert.match(bert.record.message ?? '', /no causal-lm head.*needs a decoder-only model: GPT-2/);
});
