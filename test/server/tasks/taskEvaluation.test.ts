/**
 * The tagger's and the causal LM's validation passes against each example run alone (no padding)
 * with log-softmax and argmax in plain JavaScript; no tensor left behind.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../server/backend/tf';
import { INFERENCE } from '../../../server/models/blocks';
import type { TransformerModel } from '../../../server/models/transformerModel';
import { IGNORE_INDEX } from '../../../server/pretrain/masking';
import { evaluateCausalLm } from '../../../server/tasks/causalLm/lmEvaluate';
import { evaluateTagger, type TaggedExample } from '../../../server/tasks/tokenClassification/tokenBatches';
import { createRng } from '../../../server/random';
import { tinyModel, TINY_VOCAB } from '../../helpers/tinyModel';
import { testBackend } from '../finetune/finetuneFixtures';

before(testBackend);

/** Per position: [negative log-likelihood of `target`, argmax] from one unpadded forward pass. */
async function alone(model: TransformerModel, ids: readonly number[]): Promise<number[][]> {
  const logits = tf.tidy(() => model.forward({ inputIds: tf.tensor2d([...ids], [1, ids.length], 'int32'), attentionMask: tf.ones([1, ids.length], 'int32') }, INFERENCE).logits as tf.Tensor);
  const rows = ((await logits.array()) as number[][][])[0] ?? [];
  logits.dispose();
  return rows;
}

function nllAndArgmax(row: readonly number[], target: number): { nll: number; argmax: number } {
  const max = Math.max(...row);
  const logSum = Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
  return { nll: logSum - (row[target] ?? 0), argmax: row.indexOf(max) };
}

function randomIds(rng: ReturnType<typeof createRng>, n: number): number[] {
  return Array.from({ length: n }, () => 4 + rng.int(TINY_VOCAB - 4));
}

test('tagger validation: loss per labelled word and accuracy equal the unbatched computation', async () => {
  const labels = ['O', 'B-PER', 'I-PER'];
  const model = tinyModel('bert', 'token-classification', 5, labels);
  const rng = createRng(9);
  const examples: TaggedExample[] = [5, 9, 3, 7].map((n) => {
    const ids = [2, ...randomIds(rng, n), 3];
    return { ids, labels: ids.map((_, t) => (t === 0 || t === ids.length - 1 || rng.next() < 0.3 ? IGNORE_INDEX : rng.int(3))) };
  });
  let nll = 0;
  let count = 0;
  let correct = 0;
  for (const e of examples) {
    const rows = await alone(model, e.ids);
    e.labels.forEach((label, t) => {
      if (label === IGNORE_INDEX) return;
      const r = nllAndArgmax(rows[t] ?? [], label);
      nll += r.nll;
      count++;
      if (r.argmax === label) correct++;
    });
  }
  const before = tf.memory().numTensors;
  const ev = await evaluateTagger(model, examples, labels, 2, 0);
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  assert.ok(Math.abs(ev.loss - nll / count) < 1e-5, `loss ${ev.loss} vs ${nll / count}`);
  assert.equal(ev.accuracy, correct / count);
  assert.equal((ev.confusion ?? []).flat().reduce((a, b) => a + b, 0), count);
  model.dispose();
});

test('causal-LM validation: loss, perplexity and next-token accuracy equal the unbatched computation', async () => {
  const model = tinyModel('gpt2', 'causal-lm', 4);
  const rng = createRng(3);
  const blocks = [8, 5, 8, 2].map((n) => randomIds(rng, n));
  let nll = 0;
  let count = 0;
  let correct = 0;
  for (const block of blocks) {
    const rows = await alone(model, block);
    for (let t = 0; t + 1 < block.length; t++) {
      const r = nllAndArgmax(rows[t] ?? [], block[t + 1] ?? 0);
      nll += r.nll;
      count++;
      if (r.argmax === block[t + 1]) correct++;
    }
  }
  const before = tf.memory().numTensors;
  const ev = await evaluateCausalLm(model, blocks, 3);
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  assert.ok(Math.abs(ev.loss - nll / count) < 1e-5, `loss ${ev.loss} vs ${nll / count}`);
  assert.ok(Math.abs((ev.perplexity ?? NaN) - Math.exp(ev.loss)) < 1e-9);
  assert.equal(ev.accuracy, correct / count);
  model.dispose();
});
