/**
 * Token classification runs on the CoNLL and JSONL fixtures: over-fitting lowers the loss, word and
 * entity metrics, flat tensors, every strategy but features, and resume equivalence.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../../../server/backend/tf';
import { UserError } from '../../../server/errors';
import { assertResumeEquivalent, runOnFixture, tempDir, testBackend, tinyModelFolder } from '../finetune/finetuneFixtures';
import { assertFlatTensors, assertLossFalls, evalEvents, NER_CONLL, NER_JSONL } from './taskFixtures';

const runsDir = tempDir('tl-tagger-');
const TAGGER = { task: 'token-classification', dataset: NER_CONLL } as const;

before(testBackend);

test('a fresh tagger over-fits 8 sentences: the loss falls, the metrics are word-level, the tensor count is flat', async () => {
  const before = tf.memory().numTensors;
  const run = await runOnFixture(runsDir, { ...TAGGER, model: 'tiny', limit: 8, epochs: 25, learningRate: 2e-3, warmupRatio: 0, evalEvery: 5 });
  assertLossFalls(run, 3, 0.5);
  assertFlatTensors(run, before);
  const last = evalEvents(run.events).at(-1);
  assert.ok(last !== undefined && last.entityF1 !== undefined, 'BIO tags: entity F1 reported');
  assert.equal(last.confusion?.length, 6);
  assert.deepEqual(last.confusionLabels, ['B-LOC', 'B-ORG', 'B-PER', 'I-ORG', 'I-PER', 'O']);
  const confusion = last.confusion ?? [];
  const words = confusion.flat().reduce((a, b) => a + b, 0);
  const correct = confusion.reduce((n, row, i) => n + (row[i] ?? 0), 0);
  assert.equal(words, 32, 'every validation word is scored once, by its first piece');
  assert.ok(Math.abs(last.valAccuracy - correct / words) < 1e-12, 'word accuracy is the confusion matrix\'s diagonal share');
  assert.equal(run.record.result?.valExamples, 4, 'validation sentences');
  assert.equal(run.record.result?.task, 'token-classification');
  assert.equal(run.record.result?.entityF1, last.entityF1);
  const config = JSON.parse(readFileSync(join(run.runDir, 'final', 'config.json'), 'utf8')) as { architectures: string[]; id2label: Record<string, string> };
  assert.deepEqual(config.architectures, ['BertForTokenClassification']);
  assert.deepEqual(Object.values(config.id2label), ['B-LOC', 'B-ORG', 'B-PER', 'I-ORG', 'I-PER', 'O']);
});

test('JSONL with integer tags and label_names trains; the tags keep the file\'s order', async () => {
  const run = await runOnFixture(runsDir, { task: 'token-classification', dataset: NER_JSONL, model: 'tiny', epochs: 1 });
  assert.equal(run.record.state, 'completed', run.record.message ?? '');
  assert.deepEqual(run.record.result?.labels, ['O', 'B-PER', 'I-PER', 'B-LOC', 'B-ORG', 'I-ORG']);
});

test('strategies: freeze:1, lora, gradual and lp-ft train a tagger; GPT-2 tags too; features is refused', async () => {
  const folder = await tinyModelFolder('bert', { probe: false });
  for (const strategy of ['freeze:1', 'lora', 'gradual', 'lp-ft']) {
    const run = await runOnFixture(runsDir, { ...TAGGER, model: folder, strategy, epochs: 2 });
    assert.equal(run.record.state, 'completed', `${strategy}: ${run.record.message ?? ''}`);
    assert.ok(evalEvents(run.events).length >= 2, strategy);
  }
  const lora = await runOnFixture(runsDir, { ...TAGGER, model: folder, strategy: 'lora', epochs: 1 });
  const adapter = JSON.parse(readFileSync(join(lora.runDir, 'adapter', 'adapter_config.json'), 'utf8')) as { task_type: string; modules_to_save: string[] };
  assert.deepEqual([adapter.task_type, adapter.modules_to_save], ['TOKEN_CLS', ['classifier']]);
  const gpt2 = await runOnFixture(runsDir, { ...TAGGER, model: await tinyModelFolder('gpt2', { probe: false }), epochs: 1 });
  assert.equal(gpt2.record.state, 'completed', gpt2.record.message ?? '');
  await assert.rejects(runOnFixture(runsDir, { ...TAGGER, model: folder, strategy: 'features' }), (e: unknown) => e instanceof UserError && /sequence-classification only/.test(e.message));
});

test('resume: a tagger interrupted mid-epoch ends with the uninterrupted run\'s weights, metrics and result', async () => {
  const folder = await tinyModelFolder('bert'); // dropout on: the resumed masks must match too
  await assertResumeEquivalent({ ...TAGGER, model: folder, epochs: 3, evalEvery: 3 }, 7, 6);
});
