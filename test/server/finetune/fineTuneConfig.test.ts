/** Run configuration: defaults merged, paths resolved, every bad value refused with its range. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveFineTuneConfig, DEFAULT_LR_FRESH, DEFAULT_LR_PRETRAINED } from '../../../server/finetune/fineTuneConfig';
import { UserError } from '../../../server/errors';

test('defaults fill a partial config; relative paths resolve against the base', () => {
  const c = resolveFineTuneConfig({ dataset: 'data.csv', epochs: 2 }, '/work');
  assert.equal(c.dataset, '/work/data.csv');
  assert.equal(c.model, 'tiny');
  assert.equal(c.epochs, 2);
  assert.equal(c.learningRate, DEFAULT_LR_FRESH);
  assert.equal(resolveFineTuneConfig({ dataset: '/d.csv', model: 'models/bert' }, '/w').learningRate, DEFAULT_LR_PRETRAINED);
  assert.equal(resolveFineTuneConfig({ dataset: '/d.csv', model: 'models/bert' }, '/w').model, '/w/models/bert');
});

test('bad values and unknown keys are refused with the valid range', () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ dataset: '/d.csv', learningRate: -1 }, /learningRate must be a number in \(0, 1\]/],
    [{ dataset: '/d.csv', batchSize: 0 }, /batchSize must be an integer from 1/],
    [{ dataset: '/d.csv', epochs: 1.5 }, /epochs must be an integer/],
    [{ dataset: '/d.csv', valFraction: 1 }, /valFraction/],
    [{ dataset: '/d.csv', lerningRate: 1e-3 }, /unknown key "lerningRate"/],
    [{}, /dataset must be a path/],
  ];
  for (const [partial, re] of bad) assert.throws(() => resolveFineTuneConfig(partial), (e: unknown) => e instanceof UserError && re.test(e.message));
});

test('strategy-specific defaults: features trains a head (more epochs, larger LR), lora a larger LR', async () => {
  const { DEFAULT_LR_LORA, DEFAULT_LR_FEATURE_HEAD, DEFAULT_FEATURE_EPOCHS } = await import('../../../server/finetune/fineTuneConfig');
  const features = resolveFineTuneConfig({ dataset: '/d.csv', model: '/m', strategy: 'features' });
  assert.equal(features.learningRate, DEFAULT_LR_FEATURE_HEAD);
  assert.equal(features.epochs, DEFAULT_FEATURE_EPOCHS);
  assert.equal(resolveFineTuneConfig({ dataset: '/d.csv', model: '/m', strategy: 'features', epochs: 2, learningRate: 0.1 }).epochs, 2);
  assert.equal(resolveFineTuneConfig({ dataset: '/d.csv', model: '/m', strategy: 'lora' }).learningRate, DEFAULT_LR_LORA);
  assert.equal(resolveFineTuneConfig({ dataset: '/d.csv', model: '/m', strategy: 'freeze:2' }).learningRate, DEFAULT_LR_PRETRAINED);
  const lora = resolveFineTuneConfig({ dataset: '/d.csv', strategy: 'lora', lora: { rank: 4 } });
  assert.deepEqual(lora.lora, { rank: 4, alpha: 16, dropout: 0.1, targetModules: ['query', 'value'] });
});

test('strategies, LoRA and mitigation settings are checked', () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ dataset: '/d.csv', strategy: 'freeze' }, /strategy must be one of/],
    [{ dataset: '/d.csv', strategy: 'adapters' }, /strategy must be one of/],
    [{ dataset: '/d.csv', lora: { rank: 0 } }, /lora\.rank/],
    [{ dataset: '/d.csv', lora: { targetModules: [] } }, /lora\.targetModules/],
    [{ dataset: '/d.csv', lora: { rnak: 2 } }, /unknown key "lora\.rnak"/],
    [{ dataset: '/d.csv', mitigations: { layerwiseLrDecay: 1.5 } }, /layerwiseLrDecay/],
    [{ dataset: '/d.csv', gradAccumulation: 0 }, /gradAccumulation/],
    [{ dataset: '/d.csv', schedule: 'step' }, /schedule/],
  ];
  for (const [partial, re] of bad) assert.throws(() => resolveFineTuneConfig(partial), (e: unknown) => e instanceof UserError && re.test(e.message), JSON.stringify(partial));
});

test('tasks: sequence-classification by default; the task, pair and target columns are checked against each other', () => {
  const c = resolveFineTuneConfig({ dataset: '/d.csv' });
  assert.deepEqual([c.task, c.textPairColumn, c.targetColumn], ['sequence-classification', '', '']);
  assert.equal(resolveFineTuneConfig({ dataset: '/d.conll', task: 'token-classification', strategy: 'lora' }).task, 'token-classification');
  assert.equal(resolveFineTuneConfig({ dataset: '/d.csv', task: 'text-to-text', targetColumn: 'summary' }).targetColumn, 'summary');
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ dataset: '/d.csv', task: 'ner' }, /task must be sequence-classification, token-classification, causal-lm, text-to-text/],
    [{ dataset: '/d.csv', task: 'causal-lm', textPairColumn: 'b' }, /textPairColumn \(--text-pair-col\) applies to sequence-classification, not causal-lm/],
    [{ dataset: '/d.csv', targetColumn: 't' }, /targetColumn \(--target-col\) applies to text-to-text/],
    [{ dataset: '/d.conll', task: 'token-classification', strategy: 'features' }, /features strategy .* sequence-classification only, not token-classification/],
    [{ dataset: '/d.csv', textPairColumn: 3 }, /textPairColumn must be a column name/],
  ];
  for (const [partial, re] of bad) assert.throws(() => resolveFineTuneConfig(partial), (e: unknown) => e instanceof UserError && re.test(e.message), JSON.stringify(partial));
});
