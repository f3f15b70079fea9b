/**
 * Whole pretraining runs (server/pretrain/runPretrain.ts) on tiny models, one per objective:
 * the held-out loss falls, the folder loads back with its LM head, probe.txt and pretrain.json
 * are written, the live tensor count stays flat across steps, and cancellation cleans up.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../../server/errors';
import { loadModelFolder, saveModelFolder } from '../../../server/checkpoints/modelFolder';
import type { Family } from '../../../server/models/config';
import { TransformerModel } from '../../../server/models/transformerModel';
import { PRETRAIN_HEADS } from '../../../server/pretrain/objectives';
import { resolvePretrainConfig, type PretrainConfig } from '../../../server/pretrain/pretrainConfig';
import { PROBE_FILE, PRETRAIN_RECORD_FILE, PretrainCancelled, runPretrain, type PretrainEvent } from '../../../server/pretrain/runPretrain';
import { textLines } from '../../../server/pretrain/corpus';
import { TextTokenizer } from '../../../server/tokenizers/textTokenizer';
import { trainTokenizerForFamily } from '../../../server/tokenizers/trainTokenizers';
import { useTestBackend } from '../../helpers/backend';
import { liveTensors, tinyHfConfig } from '../../helpers/tinyModel';
import { syntheticCorpusText, writeSyntheticCorpus } from './corpusFixture';

before(useTestBackend);

const tmp = mkdtempSync(join(tmpdir(), 'tl-pretrain-run-'));
const corpus = writeSyntheticCorpus(80);

/** A tiny model folder (hidden 16, 2 layers) with a vocabulary trained on the corpus, to continue from. */
async function tinyFolder(family: Family): Promise<string> {
  const tokenizer = TextTokenizer.fromJson(trainTokenizerForFamily(family, textLines(syntheticCorpusText(80)), 90, { extraIds: 8 }), 'test vocabulary');
  const eos = tokenizer.eosId ?? 1;
  const json = { ...tinyHfConfig(family), vocab_size: tokenizer.vocabSize, ...(family === 'gpt2' ? { bos_token_id: eos, eos_token_id: eos } : {}) };
  const model = TransformerModel.fromHfConfig(json, `tiny ${family}`, PRETRAIN_HEADS[family], []);
  model.params.initialize(0.02, 3);
  const dir = join(tmp, `start-${family}`);
  await saveModelFolder(dir, model, tokenizer, 32);
  model.dispose();
  return dir;
}

interface RecordingHooks {
  readonly events: PretrainEvent[];
  /** Live tensors after each step. */
  readonly tensorsAfterStep: number[];
  onEvent(e: PretrainEvent): void;
  onLog(): void;
  isCancelled(): boolean;
}

function recordingHooks(cancelAfter = Infinity): RecordingHooks {
  const events: PretrainEvent[] = [];
  const tensorsAfterStep: number[] = [];
  return {
    events,
    tensorsAfterStep,
    onEvent(e) {
      events.push(e);
      if (e.type === 'step') tensorsAfterStep.push(liveTensors());
    },
    onLog: () => undefined,
    isCancelled: () => tensorsAfterStep.length >= cancelAfter,
  };
}

const config = (over: Record<string, unknown>): PretrainConfig =>
  resolvePretrainConfig({ corpus, seqLength: 16, batchSize: 8, steps: 40, evalEvery: 20, learningRate: 3e-3, warmupRatio: 0.1, ...over });

for (const family of ['bert', 'gpt2', 't5'] as const) {
  test(`${family} (${PRETRAIN_HEADS[family]}): held-out loss falls; folder, probe.txt and pretrain.json; flat tensor count`, async () => {
    const start = await tinyFolder(family);
    const out = join(tmp, `out-${family}`);
    const before = liveTensors();
    const hooks = recordingHooks();
    const result = await runPretrain(config({ model: start, out }), hooks);
    assert.equal(liveTensors(), before, 'every tensor of the run is released');
    const evals = hooks.events.filter((e) => e.type === 'eval');
    assert.deepEqual(evals.map((e) => e.step), [0, 20, 40]);
    assert.equal(hooks.events.filter((e) => e.type === 'step').length, 40);
    assert.ok(result.heldOutLoss < result.initialHeldOutLoss - 0.3, `held-out loss ${result.initialHeldOutLoss} → ${result.heldOutLoss}`);
    assert.ok(new Set(hooks.tensorsAfterStep.slice(1)).size === 1, `live tensors per step: ${hooks.tensorsAfterStep.join(' ')}`);

    const loaded = await loadModelFolder(out);
    assert.equal(loaded.model.config.head, PRETRAIN_HEADS[family]);
    assert.deepEqual(loaded.fresh, []);
    loaded.model.dispose();
    const probe = textLines(readFileSync(join(out, PROBE_FILE), 'utf8'));
    assert.equal(probe.length, 4, 'the held-out slice: 5% of 80 lines, at least 4');
    const record = JSON.parse(readFileSync(join(out, PRETRAIN_RECORD_FILE), 'utf8')) as Record<string, unknown>;
    assert.equal(record['heldOutLoss'], result.heldOutLoss);
    assert.deepEqual(record['probe'], { file: PROBE_FILE, seqLength: 16, seed: 1234, wholeWord: false });
    assert.equal((record['config'] as { corpus: string }).corpus, corpus);
  });
}

test('a fresh preset: a vocabulary trained on the corpus, a model folder that loads', async () => {
  const out = join(tmp, 'fresh-bert');
  const result = await runPretrain(config({ family: 'bert', size: 'tiny', vocabSize: 120, steps: 3, wholeWord: true, out }), recordingHooks());
  assert.equal(result.objective, 'masked-lm');
  const loaded = await loadModelFolder(out);
  assert.equal(loaded.model.config.hiddenSize, 128);
  assert.equal(loaded.tokenizer.vocabSize, loaded.model.config.vocabSize);
  assert.ok(loaded.tokenizer.vocabSize <= 120);
  loaded.model.dispose();
});

test('cancellation between steps: PretrainCancelled, nothing written, every tensor released', async () => {
  const start = await tinyFolder('bert');
  const out = join(tmp, 'cancelled');
  const before = liveTensors();
  await assert.rejects(runPretrain(config({ model: start, out }), recordingHooks(2)), PretrainCancelled);
  assert.equal(liveTensors(), before);
  assert.equal(existsSync(out), false);
});

test('user errors: whole-word masking for a causal model, a sequence longer than the model takes', async () => {
  const gpt2 = await tinyFolder('gpt2');
  await assert.rejects(runPretrain(config({ model: gpt2, out: join(tmp, 'x'), wholeWord: true }), recordingHooks()), (e: unknown) => e instanceof UserError && /Whole-word/.test(e.message));
  await assert.rejects(runPretrain(config({ model: gpt2, out: join(tmp, 'x'), seqLength: 64 }), recordingHooks()), (e: unknown) => e instanceof UserError && /exceeds/.test(e.message));
  assert.throws(() => resolvePretrainConfig({ corpus, out: 'o', steps: 0 }), /steps must be an integer from 1/);
  assert.throws(() => resolvePretrainConfig({ corpus, out: 'o', family: 'llama' }), /family must be bert, roberta/);
});
