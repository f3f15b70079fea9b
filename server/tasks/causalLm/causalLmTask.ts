/**
 * Causal-LM adaptation (domain-adaptive pretraining, Gururangan et al., 2020): lines of a text file,
 * folder or dataset column, packed into maxLength blocks joined by <|endoftext|>, next-token loss.
 */
import type { FineTuneConfig } from '../../protocol';
import { UserError } from '../../errors';
import { readCorpus, splitHeldOut } from '../../pretrain/corpus';
import { disposeLmBatch, lmLoss, makeLmBatch, type LmExample } from '../../pretrain/objectives';
import { packText } from '../../pretrain/packing';
import { stratifiedSubsample } from '../../datasets/split';
import { bucketedBatchOrder } from '../../finetune/classificationBatches';
import type { MicroBatch, TrainingData } from '../../finetune/loop/contracts';
import type { TaskBuildContext, TaskData } from '../taskData';
import { evaluateCausalLm, nextTokenTargets } from './lmEvaluate';

/** Most held-out lines: evaluation runs every epoch (or every evalEvery steps) and should stay quick. */
export const MAX_LM_VALIDATION_LINES = 1000;

function lmTrainingData(ctx: TaskBuildContext, train: readonly number[][], val: readonly number[][]): TrainingData {
  const { model, config } = ctx;
  const ids = { pad: model.config.padTokenId, decoderStart: model.config.decoderStartTokenId };
  const sequences = train.map((block) => ({ ids: block }));
  return {
    size: train.length,
    valSize: val.length,
    valLabels: val.flatMap(nextTokenTargets),
    batchOrder: (batchSize, seed) => bucketedBatchOrder(sequences, batchSize, seed),
    microBatch: (indices): MicroBatch => {
      const batch = makeLmBatch('causal-lm', indices.map((i): LmExample => ({ inputIds: train[i] ?? [], labels: [] })), ids);
      return { size: batch.size, tokens: batch.tokens, loss: (opts) => lmLoss(model, batch, opts), dispose: () => disposeLmBatch(batch) };
    },
    evaluate: () => evaluateCausalLm(model, val, config.batchSize),
  };
}

/** Packs lines into blocks; UserError when they hold no token. */
function pack(ctx: TaskBuildContext, lines: readonly string[], what: string): number[][] {
  const blocks = packText('causal-lm', ctx.tokenizer, lines, ctx.maxLength);
  if (blocks.length === 0) throw new UserError(`The ${what} text of ${ctx.config.dataset} has no tokens. Give text to train on.`);
  return blocks;
}

async function trainAndValidationLines(config: FineTuneConfig): Promise<{ train: string[]; val: string[]; column: string | null }> {
  const textColumn = config.textColumn === '' ? {} : { textColumn: config.textColumn };
  const corpus = await readCorpus(config.dataset, textColumn);
  if (config.valDataset !== '') {
    const val = await readCorpus(config.valDataset, corpus.textColumn !== null ? { textColumn: corpus.textColumn } : {});
    return { train: [...corpus.lines], val: [...val.lines], column: corpus.textColumn };
  }
  if (corpus.lines.length < 2) throw new UserError(`${config.dataset} has 1 line of text: too little to hold some out for validation. Add text or give a validation file with --val.`);
  const split = splitHeldOut(corpus.lines, config.seed, { fraction: config.valFraction, min: 1, max: MAX_LM_VALIDATION_LINES });
  return { train: [...split.train], val: [...split.heldOut], column: corpus.textColumn };
}

/** The text of a causal-LM run: lines split into training and held-out text, --limit lines kept for training. */
export async function loadCausalLm(config: FineTuneConfig): Promise<TaskData> {
  const lines = await trainAndValidationLines(config);
  let train = lines.train;
  if (config.limit > 0 && config.limit < train.length) train = stratifiedSubsample(train.map(() => 0), config.limit, config.seed).map((i) => train[i] as string);
  const from = lines.column === null ? '' : ` of column "${lines.column}"`;
  return {
    task: 'causal-lm',
    labelNames: [],
    vocabularyTexts: train,
    probeTexts: lines.val,
    summary: `${train.length} training and ${lines.val.length} held-out lines${from}`,
    trainingData: (ctx) => {
      const data = lmTrainingData(ctx, pack(ctx, train, 'training'), pack(ctx, lines.val, 'validation'));
      ctx.log(`packed into ${data.size} training and ${data.valSize ?? 0} validation blocks of at most ${ctx.maxLength} tokens`);
      return data;
    },
  };
}
