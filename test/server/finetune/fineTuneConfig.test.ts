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
