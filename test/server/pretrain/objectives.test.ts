/**
 * LM losses and batches (server/pretrain/objectives.ts, maskedLmHead.ts): the masked
 * cross-entropy against a hand computation, no loss or gradient from unpredicted positions,
 * causal and seq2seq label layouts, the masked-positions-only head equal to the full head, and
 * evaluation without tensor leaks.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../server/backend/tf';
import { INFERENCE } from '../../../server/models/blocks';
import { IGNORE_INDEX } from '../../../server/pretrain/masking';
import { maskedLmLogitsAt } from '../../../server/pretrain/maskedLmHead';
import {
  disposeLmBatch, evaluateLmLoss, lmLoss, makeLmBatch, maskedTokenCrossEntropy, objectiveForHead, tokenNllSum, type LmExample,
} from '../../../server/pretrain/objectives';
import { createRng } from '../../../server/random';
import { useTestBackend } from '../../helpers/backend';
import { TINY_VOCAB, liveTensors, tinyModel } from '../../helpers/tinyModel';

before(useTestBackend);

const I = IGNORE_INDEX;
const ids = { pad: 0, decoderStart: 0 };
const close = (a: number, b: number, tol = 1e-5): void => assert.ok(Math.abs(a - b) < tol, `${a} vs ${b}`);

test('masked cross-entropy equals the hand computation and skips ignored positions', async () => {
  // Row 0: softmax(ln 3, 0) = (3/4, 1/4), label 0 → −ln(3/4). Row 1 ignored. Row 2: (1/2, 1/2), label 1 → ln 2.
  const logits = tf.tensor3d([[[Math.log(3), 0], [5, -5], [0, 0]]]);
  const labels = tf.tensor2d([[0, I, 1]], [1, 3], 'int32');
  close((await maskedTokenCrossEntropy(logits, labels).data())[0] as number, (Math.log(4 / 3) + Math.log(2)) / 2);
  const { sum, count } = tokenNllSum(logits, labels);
  close((await sum.data())[0] as number, Math.log(4 / 3) + Math.log(2));
  assert.equal((await count.data())[0], 2);
  // Changing the ignored row changes nothing; its gradient is zero.
  const other = tf.tensor3d([[[Math.log(3), 0], [-7, 9], [0, 0]]]);
  close((await maskedTokenCrossEntropy(other, labels).data())[0] as number, (Math.log(4 / 3) + Math.log(2)) / 2);
  const grad = tf.grad((x: tf.Tensor) => maskedTokenCrossEntropy(x, labels))(logits);
  const g = await grad.array() as number[][][];
  for (const v of g[0]?.[1] ?? []) close(v, 0);
  // d/dlogits of mean CE = (softmax − onehot) / count.
  close(g[0]?.[0]?.[0] as number, (0.75 - 1) / 2);
  close(g[0]?.[2]?.[1] as number, (0.5 - 1) / 2);
  close((await maskedTokenCrossEntropy(logits, tf.tensor2d([[I, I, I]], [1, 3], 'int32')).data())[0] as number, 0);
});

test('batches: padding, causal labels shifted by one, seq2seq decoder inputs shifted right', async () => {
  const examples: LmExample[] = [{ inputIds: [5, 6, 7], labels: [] }, { inputIds: [8, 9], labels: [] }];
  const causal = makeLmBatch('causal-lm', examples, { pad: 1, decoderStart: 0 });
  assert.deepEqual(await causal.inputs.inputIds.array(), [[5, 6, 7], [8, 9, 1]]);
  assert.deepEqual(await causal.inputs.attentionMask.array(), [[1, 1, 1], [1, 1, 0]]);
  assert.deepEqual(await causal.labels.array(), [[6, 7, I], [9, I, I]]);
  assert.equal(causal.predicted, undefined);
  disposeLmBatch(causal);

  const s2s = makeLmBatch('seq2seq-lm', [{ inputIds: [5, 99, 1], labels: [99, 6, 7, 1] }, { inputIds: [8, 1], labels: [99, 9, 1] }], ids);
  assert.deepEqual(await s2s.inputs.decoderInputIds?.array(), [[0, 99, 6, 7], [0, 99, 9, 0]]);
  assert.deepEqual(await s2s.labels.array(), [[99, 6, 7, 1], [99, 9, 1, I]]);
  disposeLmBatch(s2s);

  const mlm = makeLmBatch('masked-lm', [{ inputIds: [2, 4, 11, 3], labels: [I, 10, I, I] }, { inputIds: [2, 4, 3], labels: [I, 12, I] }], ids);
  assert.deepEqual(await mlm.predicted?.positions.array(), [1, 5]);
  assert.deepEqual(await mlm.predicted?.targets.array(), [[10, 12]]);
  disposeLmBatch(mlm);
});

/** Random masked-LM examples for the tiny models (ids ≥ 5 are text). */
function maskedExamples(n: number, seed: number): LmExample[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const len = 4 + rng.int(10);
    const inputIds = [2, ...Array.from({ length: len - 2 }, () => 5 + rng.int(TINY_VOCAB - 5)), 3];
    const labels = inputIds.map((id, i) => (i > 0 && i < len - 1 && rng.next() < 0.3 ? id : I));
    if (!labels.some((l) => l !== I)) labels[1] = inputIds[1] as number;
    return { inputIds: inputIds.map((id, i) => (labels[i] !== I && rng.next() < 0.8 ? 4 : id)), labels };
  });
}

test('the head at the masked positions only equals the full head at those rows, for every masked-LM family', async () => {
  for (const family of ['bert', 'roberta', 'distilbert', 'albert'] as const) {
    const model = tinyModel(family, 'masked-lm');
    const batch = makeLmBatch('masked-lm', maskedExamples(3, 5).map((e) => (family === 'roberta' ? { ...e, inputIds: e.inputIds.map((id) => (id === 0 ? 1 : id)) } : e)), { pad: model.config.padTokenId, decoderStart: 0 });
    const full = tf.tidy(() => tf.reshape(model.forward(batch.inputs, INFERENCE).logits as tf.Tensor, [-1, TINY_VOCAB]));
    const selected = tf.tidy(() => maskedLmLogitsAt(model, batch.inputs, batch.predicted?.positions as tf.Tensor, INFERENCE) as tf.Tensor);
    const positions = await batch.predicted?.positions.array() as number[];
    const fullRows = await full.array() as number[][];
    const rows = await selected.array() as number[][];
    positions.forEach((pos, r) => fullRows[pos]?.forEach((v, k) => close(rows[r]?.[k] as number, v, 1e-4)));
    // The loss through the selected head equals the loss over the full logits.
    const viaHead = tf.tidy(() => lmLoss(model, batch, INFERENCE));
    const viaFull = tf.tidy(() => maskedTokenCrossEntropy(model.forward(batch.inputs, INFERENCE).logits as tf.Tensor, batch.labels));
    close((await viaHead.data())[0] as number, (await viaFull.data())[0] as number, 1e-4);
    tf.dispose([full, selected, viaHead, viaFull]);
    disposeLmBatch(batch);
    model.dispose();
  }
});

test('every trainable tensor of a masked-LM model gets a gradient through the selected head', () => {
  const model = tinyModel('bert', 'masked-lm');
  const batch = makeLmBatch('masked-lm', maskedExamples(4, 8), ids);
  const names = model.params.names();
  const { value, grads } = tf.variableGrads(() => lmLoss(model, batch, INFERENCE) as tf.Scalar, names.map((n) => model.params.get(n)));
  const missing = names.filter((n) => grads[model.params.get(n).name] === undefined);
  // The pooler is not part of a masked-LM model; every tensor listed must be reached.
  assert.deepEqual(missing, []);
  tf.dispose([value, ...Object.values(grads)]);
  disposeLmBatch(batch);
  model.dispose();
});

test('evaluateLmLoss: mean per predicted token, independent of the batch size, no tensor left behind', async () => {
  const model = tinyModel('bert', 'masked-lm');
  const examples = maskedExamples(7, 3);
  const before = liveTensors();
  const oneBatch = await evaluateLmLoss(model, examples, { batchSize: 7 });
  const small = await evaluateLmLoss(model, examples, { batchSize: 2 });
  assert.equal(liveTensors(), before);
  close(small, oneBatch, 1e-4);
  const batch = makeLmBatch('masked-lm', examples, ids);
  const direct = tf.tidy(() => lmLoss(model, batch, INFERENCE));
  close(oneBatch, (await direct.data())[0] as number, 1e-4);
  tf.dispose(direct);
  disposeLmBatch(batch);
  model.dispose();

  const gpt2 = tinyModel('gpt2', 'causal-lm');
  const causal = await evaluateLmLoss(gpt2, [{ inputIds: [5, 6, 7, 8], labels: [] }, { inputIds: [9, 10], labels: [] }]);
  assert.ok(Number.isFinite(causal) && causal > 0);
  gpt2.dispose();
  const classifier = tinyModel('bert', 'sequence-classification');
  await assert.rejects(evaluateLmLoss(classifier, examples), /not a language-model head/);
  assert.throws(() => objectiveForHead('base', 'x'), /base head/);
  classifier.dispose();
});
