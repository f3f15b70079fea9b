/**
 * Strategies as phases on a tiny BERT (2 layers): which parameter groups train from which step,
 * and the configuration defaults and checks that go with them.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { layerMap } from '../../../server/finetune/strategies/layerGroups';
import { LP_LEARNING_RATE_FACTOR, modelPhases, phaseAt } from '../../../server/finetune/strategies/phases';
import { parseStrategy } from '../../../server/finetune/strategy';
import { confusionMatrix } from '../../../server/finetune/evaluate';
import { epochSeed, mixSeed } from '../../../server/finetune/loop/seeds';
import { tinyModel } from '../../helpers/tinyModel';
import { UserError } from '../../../server/errors';
import { useTestBackend } from '../../helpers/backend';

before(useTestBackend);

const schedule = { learningRate: 1e-4, epochs: 4, stepsPerEpoch: 10 };

/** The groups a phase trains, as short labels. */
function groups(trainable: readonly string[], model = tinyModel('bert', 'sequence-classification')): string[] {
  const map = layerMap(model);
  const out = new Set(trainable.map((n) => {
    const g = map.groupOf(n);
    return g.kind === 'layer' ? `layer${g.index}` : g.kind;
  }));
  model.dispose();
  return [...out].sort();
}

test('layer groups of BERT, GPT-2 and ALBERT (shared layer weights move with the top layer)', () => {
  const bert = tinyModel('bert', 'sequence-classification');
  assert.deepEqual(groups(bert.params.names(), bert), ['embeddings', 'head', 'layer0', 'layer1']);
  const gpt2 = tinyModel('gpt2', 'sequence-classification');
  const g = layerMap(gpt2);
  assert.deepEqual(['transformer.wpe.weight', 'transformer.h.1.ln_2.bias', 'transformer.ln_f.weight', 'score.weight'].map((n) => g.groupOf(n).kind), ['embeddings', 'layer', 'final', 'head']);
  gpt2.dispose();
  const albert = tinyModel('albert', 'sequence-classification');
  const a = layerMap(albert);
  assert.deepEqual(a.groupOf('albert.encoder.albert_layer_groups.0.albert_layers.0.ffn.weight'), { kind: 'layer', index: 1 });
  assert.deepEqual(a.groupOf('albert.encoder.embedding_hidden_mapping_in.weight'), { kind: 'embeddings' });
  albert.dispose();
});

test('full and freeze:N: one phase; freeze beyond the model depth is refused', () => {
  const model = tinyModel('bert', 'sequence-classification');
  assert.deepEqual(groups(modelPhases(parseStrategy('full'), model, schedule)[0]?.trainable ?? []), ['embeddings', 'head', 'layer0', 'layer1']);
  assert.deepEqual(groups(modelPhases(parseStrategy('freeze:1'), model, schedule)[0]?.trainable ?? []), ['head', 'layer1']);
  assert.deepEqual(groups(modelPhases(parseStrategy('freeze:0'), model, schedule)[0]?.trainable ?? []), ['head', 'layer0', 'layer1']);
  assert.throws(() => modelPhases(parseStrategy('freeze:3'), model, schedule), (e: unknown) => e instanceof UserError && /only 2 layers/.test(e.message));
  model.dispose();
});

test('gradual: one more layer per epoch, top-down, embeddings last; moments carried over', () => {
  const model = tinyModel('bert', 'sequence-classification');
  const phases = modelPhases(parseStrategy('gradual'), model, schedule);
  assert.deepEqual(phases.map((p) => [p.startStep, p.optimizer, groups(p.trainable)]), [
    [0, 'fresh', ['head', 'layer1']],
    [10, 'continue', ['head', 'layer0', 'layer1']],
    [20, 'continue', ['embeddings', 'head', 'layer0', 'layer1']],
  ]);
  assert.deepEqual([0, 9, 10, 19, 20, 39].map((s) => phaseAt(phases, s)), [0, 0, 1, 1, 2, 2]);
  model.dispose();
});

test('lp-ft: the head alone for the first half (at a larger LR), then everything with a fresh optimizer', () => {
  const model = tinyModel('bert', 'sequence-classification');
  const phases = modelPhases(parseStrategy('lp-ft'), model, schedule);
  assert.deepEqual(phases.map((p) => [p.startStep, p.optimizer, p.learningRate, groups(p.trainable)]), [
    [0, 'fresh', 1e-4 * LP_LEARNING_RATE_FACTOR, ['head']],
    [20, 'fresh', 1e-4, ['embeddings', 'head', 'layer0', 'layer1']],
  ]);
  assert.equal(modelPhases(parseStrategy('lp-ft'), model, { ...schedule, epochs: 1 })[1]?.startStep, 5, 'one epoch: the first half of its steps');
  model.dispose();
});

test('seeds are pure functions of their parts; confusion matrix counts (truth, prediction)', () => {
  assert.equal(mixSeed(42, 1, 2), mixSeed(42, 1, 2));
  assert.notEqual(mixSeed(42, 1, 2), mixSeed(42, 2, 1));
  assert.notEqual(epochSeed(1, 2), epochSeed(2, 1));
  assert.deepEqual(confusionMatrix([0, 1, 1, 2, 0], [0, 1, 0, 2, 2], 3), [[1, 1, 0], [0, 1, 0], [1, 0, 1]]);
});
