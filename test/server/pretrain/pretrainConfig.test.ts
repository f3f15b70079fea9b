/** Pretraining settings (pretrainConfig.ts) and the order of training blocks (pretrainLoop.ts BlockOrder). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PRETRAIN_CONFIG, evalInterval, resolvePretrainConfig } from '../../../server/pretrain/pretrainConfig';
import { BlockOrder } from '../../../server/pretrain/pretrainLoop';

test('defaults: learning rate by size, relative paths made absolute, five evaluations per run', () => {
  const c = resolvePretrainConfig({ corpus: 'data/x.raw', out: 'out' }, '/base');
  assert.equal(c.corpus, '/base/data/x.raw');
  assert.equal(c.out, '/base/out');
  assert.equal(c.model, '');
  assert.equal(c.learningRate, 1e-3);
  assert.equal(c.seqLength, DEFAULT_PRETRAIN_CONFIG.seqLength);
  assert.equal(resolvePretrainConfig({ corpus: 'x', out: 'o', size: 'small' }).learningRate, 3e-4);
  assert.equal(resolvePretrainConfig({ corpus: 'x', out: 'o', size: 'mini', learningRate: 0.01 }).learningRate, 0.01);
  assert.equal(evalInterval(c), 60);
  assert.equal(evalInterval({ ...c, steps: 3 }), 1);
  assert.equal(evalInterval({ ...c, evalEvery: 7 }), 7);
});

test('invalid settings name the key and the valid range', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ size: 'huge' }, /size must be tiny, mini, small/],
    [{ seqLength: 4 }, /seqLength must be an integer from 8/],
    [{ batchSize: 0 }, /batchSize must be an integer from 1/],
    [{ learningRate: 0 }, /learningRate must be a number in \(0, 1\]/],
    [{ vocabSize: 50 }, /vocabSize must be an integer from 100/],
    [{ family: 't5', wholeWord: true }, /wholeWord must be false for gpt2 and t5/],
    [{ bogus: 1 }, /unknown key "bogus"/],
  ];
  for (const [over, re] of cases) assert.throws(() => resolvePretrainConfig({ corpus: 'x', out: 'o', ...over }), re);
  assert.throws(() => resolvePretrainConfig({ out: 'o' }), /corpus must be/);
  assert.throws(() => resolvePretrainConfig({ corpus: 'x' }), /out must be/);
});

test('block order: each pass visits every block once, batches may span passes, fewer blocks than a batch give all of them', () => {
  const order = new BlockOrder(10, 1);
  const seen: number[] = [];
  const epochs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const { indices, epoch } = order.next(4);
    assert.equal(indices.length, 4);
    seen.push(...indices);
    epochs.push(epoch);
  }
  assert.deepEqual(seen.slice(0, 10).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(seen.slice(10, 20).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(epochs, [1, 1, 1, 2, 2]);
  const small = new BlockOrder(3, 2).next(8);
  assert.deepEqual([...small.indices].sort(), [0, 1, 2]);
  assert.notDeepEqual(new BlockOrder(10, 1).next(10).indices, new BlockOrder(10, 2).next(10).indices);
});
