/**
 * The base model the demo starts from (models/bert-tiny-wikitext, made by `npm run
 * pretrain:base`): it loads as a model folder, and its masked-LM loss on its own held-out text
 * (probe.txt, the forgetting probe's default) is the held-out loss its pretrain.json records —
 * the shipped weights, tokenizer and probe belong together.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModelFolder } from '../../../server/checkpoints/modelFolder';
import { probeOptions, readProbeLines } from '../../../server/finetune/probeLoss';
import { textLoss } from '../../../server/pretrain/lmExamples';
import { tf } from '../../../server/backend/tf';
import { testBackend } from '../finetune/finetuneFixtures';

const folder = join(__dirname, '..', '..', '..', 'models', 'bert-tiny-wikitext');

before(testBackend);

test('the shipped base reproduces the held-out loss its pretrain.json records', async () => {
  const record = JSON.parse(readFileSync(join(folder, 'pretrain.json'), 'utf8')) as { heldOutLoss: number; initialHeldOutLoss: number; vocabSize: number };
  const { model, tokenizer } = await loadModelFolder(folder);
  try {
    assert.equal(tokenizer.vocabSize, record.vocabSize);
    const before = tf.memory().numTensors;
    const loss = await textLoss(model, tokenizer, await readProbeLines(join(folder, 'probe.txt')), await probeOptions(folder));
    assert.equal(tf.memory().numTensors, before);
    assert.ok(Math.abs(loss - record.heldOutLoss) < 1e-4, `${loss} vs ${record.heldOutLoss}`);
    assert.ok(record.heldOutLoss < record.initialHeldOutLoss - 1, 'pretrained well past the random model');
  } finally {
    model.dispose();
  }
});
