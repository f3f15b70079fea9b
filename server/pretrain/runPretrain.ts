/**
 * A whole pretraining run: corpus → seeded held-out slice → a vocabulary trained on the training
 * lines and a fresh model with its family's LM head (or a model folder to continue) → the loop
 * (pretrainLoop.ts) → a Hugging Face model folder at `out`, plus two files of our own:
 *
 * - `probe.txt`: the held-out lines, one per line. The forgetting diagnostics use a model's own
 *   held-out general text as the default probe: the LM loss on it (lmExamples.ts textLoss, with
 *   the seqLength and seed recorded in pretrain.json) before and after fine-tuning.
 * - `pretrain.json`: corpus, settings, seed, held-out losses and timings.
 */
import { join } from 'node:path';
import { tf } from '../backend/tf';
import { UserError } from '../errors';
import { loadModelFolder, readConfigJson, saveModelFolder } from '../checkpoints/modelFolder';
import { writeFileAtomic } from '../checkpoints/atomicWrite';
import { FAMILY_DEFINITIONS, familyForModelType } from '../models/families';
import { TransformerModel } from '../models/transformerModel';
import { TextTokenizer } from '../tokenizers/textTokenizer';
import { trainTokenizerForFamily } from '../tokenizers/trainTokenizers';
import { readCorpus, splitHeldOut, type CorpusSplit } from './corpus';
import { EVAL_CORRUPTION_SEED, exampleMaker, fixedExamples, type ExampleMaker } from './lmExamples';
import { PRETRAIN_HEADS, type LmExample, type Objective } from './objectives';
import { packText } from './packing';
import { pretrainLoop, type LoopResult, type PretrainHooks } from './pretrainLoop';
import { evalInterval, type PretrainConfig } from './pretrainConfig';

export const PROBE_FILE = 'probe.txt';
export const PRETRAIN_RECORD_FILE = 'pretrain.json';
export { PretrainCancelled, type PretrainEvent, type PretrainHooks } from './pretrainLoop';

export interface PretrainResult {
  readonly out: string;
  readonly family: string;
  readonly size: string;
  readonly objective: Objective;
  readonly steps: number;
  /** Held-out loss (nats per predicted token) before the first step and after the last. */
  readonly initialHeldOutLoss: number;
  readonly heldOutLoss: number;
  readonly lastTrainLoss: number;
  readonly tokensPerSec: number;
  readonly parameters: number;
  readonly timings: { readonly prepareMs: number; readonly trainMs: number; readonly evalMs: number; readonly saveMs: number };
}

interface LmModel {
  readonly model: TransformerModel;
  readonly tokenizer: TextTokenizer;
  readonly objective: Objective;
  /** 'fresh' or the folder continued from. */
  readonly origin: string;
}

/** A fresh model of the configured family and size, or the folder to continue, with its LM head. */
async function prepareLmModel(c: PretrainConfig, trainLines: readonly string[]): Promise<LmModel> {
  if (c.model !== '') {
    const json = await readConfigJson(c.model);
    const objective = PRETRAIN_HEADS[familyForModelType(json['model_type'], join(c.model, 'config.json')).family];
    const loaded = await loadModelFolder(c.model, { head: objective, seed: c.seed });
    return { model: loaded.model, tokenizer: loaded.tokenizer, objective, origin: c.model };
  }
  const tokenizer = TextTokenizer.fromJson(trainTokenizerForFamily(c.family, trainLines, c.vocabSize), 'trained vocabulary');
  const special = { pad: tokenizer.padId, bos: tokenizer.specialTokens.bos, eos: tokenizer.specialTokens.eos };
  const objective = PRETRAIN_HEADS[c.family];
  const model = TransformerModel.fresh(FAMILY_DEFINITIONS[c.family], c.size, tokenizer.vocabSize, special, objective, [], c.seed);
  return { model, tokenizer, objective, origin: 'fresh' };
}

function checkSettings(c: PretrainConfig, lm: LmModel): void {
  if (c.seqLength > lm.model.maxInputLength) {
    throw new UserError(`Sequence length ${c.seqLength} (--seq-len) exceeds what the ${lm.model.family} model accepts (${lm.model.maxInputLength} tokens).`);
  }
  if (c.wholeWord && lm.objective !== 'masked-lm') {
    throw new UserError(`Whole-word masking is a masked-LM option; a ${lm.model.family} model pretrains with ${lm.objective}.`);
  }
}

interface PreparedData {
  readonly blocks: number[][];
  readonly heldBlocks: number[][];
  readonly maker: ExampleMaker;
  readonly heldOut: LmExample[];
}

/** Packs both parts of the corpus and fixes the held-out corruption. */
function prepareData(c: PretrainConfig, lm: LmModel, split: CorpusSplit): PreparedData {
  checkSettings(c, lm);
  const blocks = packText(lm.objective, lm.tokenizer, split.train, c.seqLength);
  const heldBlocks = packText(lm.objective, lm.tokenizer, split.heldOut, c.seqLength);
  if (blocks.length === 0 || heldBlocks.length === 0) throw new UserError(`${c.corpus}: no tokens to train on after tokenizing.`);
  const maker = exampleMaker(lm.objective, lm.tokenizer, { wholeWord: c.wholeWord });
  return { blocks, heldBlocks, maker, heldOut: fixedExamples(maker, heldBlocks, EVAL_CORRUPTION_SEED) };
}

/** Runs to completion or throws (PretrainCancelled, UserError, …). The model is disposed on every exit. */
export async function runPretrain(c: PretrainConfig, hooks: PretrainHooks): Promise<PretrainResult> {
  const startedAt = performance.now();
  const corpus = await readCorpus(c.corpus, c.textColumn === '' ? {} : { textColumn: c.textColumn });
  const split = splitHeldOut(corpus.lines, c.seed, { fraction: c.heldOutFraction, max: c.maxHeldOutLines });
  hooks.onLog(`corpus ${c.corpus}: ${corpus.lines.length} lines from ${corpus.files.length} file(s); ${split.train.length} train, ${split.heldOut.length} held out`);
  const lm = await prepareLmModel(c, split.train);
  const { model, tokenizer, objective } = lm;
  try {
    const data = prepareData(c, lm, split);
    const prepareMs = performance.now() - startedAt;
    hooks.onLog(`${lm.origin === 'fresh' ? `fresh ${c.family}-${c.size}` : lm.origin} (${objective}): ${model.params.parameterCount().toLocaleString('en-US')} parameters, vocabulary ${tokenizer.vocabSize}; ${data.blocks.length} training blocks of ${c.seqLength} tokens, ${data.heldBlocks.length} held out; ${c.steps} steps of ${c.batchSize}`);
    const loop = await pretrainLoop(model, data.blocks, data.heldOut, data.maker, {
      objective, steps: c.steps, batchSize: c.batchSize, learningRate: c.learningRate, warmupSteps: Math.round(c.steps * c.warmupRatio),
      weightDecay: c.weightDecay, evalEvery: evalInterval(c), seed: c.seed, startedAt,
    }, hooks);
    const s0 = performance.now();
    await saveModelFolder(c.out, model, tokenizer, Math.min(model.maxInputLength, 512));
    await writeFileAtomic(join(c.out, PROBE_FILE), split.heldOut.join('\n') + '\n');
    const result: PretrainResult = {
      out: c.out, family: model.family, size: lm.origin === 'fresh' ? c.size : 'folder', objective, steps: c.steps,
      initialHeldOutLoss: loop.evals[0]?.heldOutLoss ?? NaN, heldOutLoss: loop.evals.at(-1)?.heldOutLoss ?? NaN,
      lastTrainLoss: loop.lastTrainLoss, tokensPerSec: loop.tokensPerSec, parameters: model.params.parameterCount(),
      timings: { prepareMs, trainMs: loop.trainMs, evalMs: loop.evalMs, saveMs: performance.now() - s0 },
    };
    const counts = { corpusLines: corpus.lines.length, train: split.train.length, heldOut: split.heldOut.length, blocks: data.blocks.length, heldBlocks: data.heldBlocks.length };
    await writeFileAtomic(join(c.out, PRETRAIN_RECORD_FILE), JSON.stringify(pretrainRecord(c, lm, result, loop, counts), null, 2) + '\n');
    return result;
  } finally {
    model.dispose();
  }
}

interface Counts {
  readonly corpusLines: number;
  readonly train: number;
  readonly heldOut: number;
  readonly blocks: number;
  readonly heldBlocks: number;
}

/** pretrain.json: enough to reproduce the run and to evaluate probe.txt comparably. */
function pretrainRecord(c: PretrainConfig, lm: LmModel, r: PretrainResult, loop: LoopResult, n: Counts): Record<string, unknown> {
  return {
    formatVersion: 1,
    createdAt: new Date().toISOString(),
    backend: tf.getBackend(),
    origin: lm.origin,
    config: c,
    objective: r.objective,
    parameters: r.parameters,
    vocabSize: lm.tokenizer.vocabSize,
    lines: { corpus: n.corpusLines, train: n.train, heldOut: n.heldOut },
    blocks: { train: n.blocks, heldOut: n.heldBlocks },
    probe: { file: PROBE_FILE, seqLength: c.seqLength, seed: EVAL_CORRUPTION_SEED, wholeWord: c.wholeWord },
    initialHeldOutLoss: r.initialHeldOutLoss,
    heldOutLoss: r.heldOutLoss,
    lastTrainLoss: r.lastTrainLoss,
    evals: loop.evals,
    tokensPerSec: r.tokensPerSec,
    timings: r.timings,
  };
}
