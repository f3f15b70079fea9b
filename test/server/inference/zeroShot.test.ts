/**
 * Zero-shot use: calibration removes a constructed bias; classify/fill-mask/generate run on
 * tiny checkpoints of each LM kind; seeded generation is reproducible; stop strings stop.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibrate, combineContentFree, softmax } from '../../../server/inference/calibration';
import { zeroShotClassify } from '../../../server/inference/zeroShot';
import { fillMask } from '../../../server/inference/fillMask';
import { generateText } from '../../../server/inference/textGeneration';
import { loadModelFolder, type LoadedModel } from '../../../server/checkpoints/modelFolder';
import { tf } from '../../../server/backend/tf';
import { writeHfCheckpoint, type Family, type Head } from '../../helpers/hfCheckpoints';
import { useTestBackend } from '../../helpers/backend';

before(useTestBackend);

async function fixture(family: Family, head: Head): Promise<LoadedModel> {
  const dir = mkdtempSync(join(tmpdir(), `tl-zs-${family}-`));
  writeHfCheckpoint(dir, { family, head, seed: 3 });
  return loadModelFolder(dir);
}

test('calibration moves a biased prediction to the right label', () => {
  // The model prefers "positive" for everything: 0.7 on a content-free input.
  const contentFree = [0.7, 0.3];
  const raw = [0.6, 0.4]; // a negative text, but the bias still makes "positive" win
  assert.ok((raw[0] ?? 0) > (raw[1] ?? 0));
  const cal = calibrate(raw, contentFree);
  assert.ok((cal[1] ?? 0) > (cal[0] ?? 0), `calibrated ${cal}`);
  assert.ok(Math.abs(cal.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  const combined = combineContentFree([[0.7, 0.3], [0.7, 0.3]]);
  assert.ok(Math.abs((combined[0] ?? 0) - 0.7) < 1e-12);
  const p = softmax([Math.log(1), Math.log(3)]);
  assert.ok(Math.abs((p[1] ?? 0) - 0.75) < 1e-12);
});

test('classify gives probabilities over the labels summing to 1, calibrated and raw, for every LM kind', async () => {
  for (const [family, head] of [['bert', 'masked-lm'], ['roberta', 'masked-lm'], ['gpt2', 'causal-lm'], ['t5', 'seq2seq-lm']] as const) {
    const { model, tokenizer } = await fixture(family, head);
    const before = tf.memory().numTensors;
    const r = await zeroShotClassify(model, tokenizer, 'the film was wonderful', ['good', 'bad', 'boring'], null, true);
    assert.equal(tf.memory().numTensors, before, `${family}: leaked tensors`);
    for (const ps of [r.probabilities, r.raw]) {
      assert.equal(ps.length, 3);
      assert.ok(Math.abs(ps.reduce((a, b) => a + b, 0) - 1) < 1e-6, `${family}: ${ps}`);
    }
    model.dispose();
  }
});

test('fill-mask returns top-k per mask, sorted, and refuses a text without a mask', async () => {
  const { model, tokenizer } = await fixture('bert', 'masked-lm');
  const maskToken = tokenizer.idToToken(tokenizer.maskId ?? -1) ?? '[MASK]';
  const preds = await fillMask(model, tokenizer, `hello ${maskToken} world ${maskToken}`, 4);
  assert.equal(preds.length, 2);
  for (const ps of preds) {
    assert.equal(ps.length, 4);
    for (let i = 1; i < ps.length; i++) assert.ok((ps[i - 1]?.probability ?? 0) >= (ps[i]?.probability ?? 0));
  }
  await assert.rejects(fillMask(model, tokenizer, 'no mask here', 3), /has no mask token/);
  model.dispose();
});

test('seeded sampling is reproducible; different seeds differ; stop strings stop', async () => {
  const { model, tokenizer } = await fixture('gpt2', 'causal-lm');
  const opts = { maxNewTokens: 16, temperature: 1.5, topK: 0, topP: 1, stop: [] as string[] };
  const a = await generateText(model, tokenizer, 'hello', { ...opts, seed: 7 });
  const b = await generateText(model, tokenizer, 'hello', { ...opts, seed: 7 });
  const c = await generateText(model, tokenizer, 'hello', { ...opts, seed: 8 });
  assert.equal(a.text, b.text);
  assert.ok(a.tokens > 0);
  assert.notEqual(a.text, c.text);
  const firstChar = a.text.trim().slice(0, 1);
  if (firstChar !== '') {
    const stopped = await generateText(model, tokenizer, 'hello', { ...opts, seed: 7, stop: [firstChar] });
    assert.ok(!stopped.text.includes(firstChar), `stop string "${firstChar}" kept in "${stopped.text}"`);
  }
  model.dispose();
});
