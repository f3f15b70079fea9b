/**
 * `fromScratch`: a model folder's architecture and tokenizer with every weight drawn afresh — the
 * control that shows what pretraining bought. The weights must differ from the folder's, the
 * tokenizer and shapes must not, and nothing may pretend there is a pretrained base to forget.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareModel } from '../../../server/finetune/prepareModel';
import { resolveFineTuneConfig, startsFromScratch, DEFAULT_LR_FRESH } from '../../../server/finetune/fineTuneConfig';
import { probePath } from '../../../server/finetune/probeLoss';
import { UserError } from '../../../server/errors';
import { bitIdentical, FIXTURE_CSV, runOnFixture, tempDir, testBackend, tinyModelFolder, weightsOf } from './finetuneFixtures';

before(testBackend);

test('the configuration: a boolean, fresh-model learning rate, no probe', async () => {
  const folder = await tinyModelFolder('bert');
  const scratch = resolveFineTuneConfig({ dataset: FIXTURE_CSV, model: folder, fromScratch: true });
  assert.equal(startsFromScratch(scratch), true);
  assert.equal(scratch.learningRate, DEFAULT_LR_FRESH);
  assert.equal(probePath(scratch), null, 'a random model has no general-text knowledge to forget');
  const pretrained = resolveFineTuneConfig({ dataset: FIXTURE_CSV, model: folder });
  assert.equal(startsFromScratch(pretrained), false);
  assert.equal(probePath(pretrained), join(folder, 'probe.txt'));
  assert.equal(startsFromScratch(resolveFineTuneConfig({ dataset: FIXTURE_CSV, model: 'tiny' })), true);
  assert.throws(() => resolveFineTuneConfig({ dataset: FIXTURE_CSV, model: folder, fromScratch: 'yes' }), (e: unknown) => e instanceof UserError && /fromScratch must be true or false/.test(e.message));
});

test("the folder's tokenizer and shapes, every weight redrawn", async () => {
  const folder = await tinyModelFolder('bert', { seed: 11 });
  const pre = await prepareModel(folder, false, 'sequence-classification', ['neg', 'pos'], [], 8000, 5);
  const fresh = await prepareModel(folder, true, 'sequence-classification', ['neg', 'pos'], [], 8000, 5);
  assert.deepEqual(fresh.tokenizer.toJSON(), pre.tokenizer.toJSON());
  assert.deepEqual(fresh.freshParameters, fresh.model.params.names());
  assert.match(fresh.origin, /random weights/);
  for (const name of pre.model.params.names()) {
    const [a, b] = [pre.model.params.get(name), fresh.model.params.get(name)];
    assert.deepEqual(b.shape, a.shape, name);
    if (!pre.freshParameters.includes(name) && a.size > 1 && !/LayerNorm|bias/.test(name)) {
      assert.notDeepEqual(Array.from(b.dataSync()), Array.from(a.dataSync()), `${name} was not redrawn`);
    }
  }
  pre.model.dispose();
  fresh.model.dispose();
});

test('a run from scratch reports no probe loss and records the choice', async () => {
  const folder = await tinyModelFolder('bert');
  const run = await runOnFixture(tempDir('tl-scratch-'), { model: folder, fromScratch: true, strategy: 'full', epochs: 1 });
  assert.equal(run.record.state, 'completed', run.record.message ?? '');
  assert.equal(run.record.result?.probeLoss, null);
  assert.equal(run.record.result?.baseProbeLoss, null);
  assert.equal(run.record.config.fromScratch, true);
  const saved = await weightsOf(join(run.runDir, 'final'));
  const original = await weightsOf(folder);
  const embedding = [...original.keys()].find((k) => k.endsWith('word_embeddings.weight')) ?? '';
  assert.equal(bitIdentical(saved.get(embedding), original.get(embedding)), false);
  assert.equal(JSON.parse(readFileSync(join(run.runDir, 'run.json'), 'utf8')).config.fromScratch, true);
});
