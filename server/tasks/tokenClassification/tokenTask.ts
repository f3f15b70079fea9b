/**
 * Token classification (NER, POS tagging): tagged sentences from CoNLL or JSON records, a seeded
 * split (or a validation file mapped to the training tags), words aligned to sub-word pieces,
 * and the model's token-classification head trained on the words' first pieces.
 */
import type { FineTuneConfig } from '../../protocol';
import { UserError } from '../../errors';
import { loadTaggedDataset, type TaggedSentence } from '../../datasets/taggedDataset';
import { bucketedBatchOrder } from '../../finetune/classificationBatches';
import type { MicroBatch, TrainingData } from '../../finetune/loop/contracts';
import { splitRows } from '../heldOut';
import type { TaskBuildContext, TaskData } from '../taskData';
import { disposeTagBatch, evaluateTagger, makeTagBatch, tagLoss, type TaggedExample } from './tokenBatches';
import { alignWords } from './wordAlignment';

/** Aligns every sentence, logging the words that lost their label (no pieces, or past maxLength). */
function align(ctx: TaskBuildContext, sentences: readonly TaggedSentence[], what: string): TaggedExample[] {
  let empty = 0;
  let truncated = 0;
  let words = 0;
  const out = sentences.map((s) => {
    const a = alignWords(ctx.tokenizer, s.tokens, s.labels, ctx.maxLength);
    empty += a.emptyWords;
    truncated += a.truncatedWords;
    words += a.words;
    return { ids: a.ids, labels: a.labels };
  });
  if (empty + truncated > 0) {
    ctx.log(`${what}: ${words} words labelled; ${truncated} cut off by maxLength ${ctx.maxLength} (raise --max-length to keep them), ${empty} without any sub-word piece`);
  }
  return out;
}

function taggerData(ctx: TaskBuildContext, train: readonly TaggedExample[], val: readonly TaggedExample[], labelNames: readonly string[], valWords: number): TrainingData {
  const { model, tokenizer, config } = ctx;
  return {
    size: train.length,
    valSize: val.length,
    valLabels: val.flatMap((e) => e.labels.filter((l) => l >= 0)),
    batchOrder: (batchSize, seed) => bucketedBatchOrder(train, batchSize, seed),
    microBatch: (indices): MicroBatch => {
      const batch = makeTagBatch(indices.map((i) => train[i] as TaggedExample), tokenizer.padId);
      return {
        size: batch.size,
        tokens: batch.size * batch.seqLength,
        loss: (opts) => tagLoss(model, batch, opts),
        dispose: () => disposeTagBatch(batch),
      };
    },
    evaluate: () => {
      if (valWords === 0) throw new UserError('No validation word kept a label (all cut off by maxLength?). Raise --max-length or give a validation file with --val.');
      return evaluateTagger(model, val, labelNames, config.batchSize * 2, tokenizer.padId);
    },
  };
}

/** The tagged sentences of a run: the training file split (or --val), --limit applied to the training part. */
export async function loadTokenClassification(config: FineTuneConfig): Promise<TaskData> {
  const data = await loadTaggedDataset(config.dataset);
  const val = config.valDataset !== '' ? await loadTaggedDataset(config.valDataset, data.labelNames) : null;
  const split = splitRows(data.sentences.length, config, val !== null);
  const train = split.train.map((i) => data.sentences[i] as TaggedSentence);
  const valSentences = val?.sentences ?? split.val.map((i) => data.sentences[i] as TaggedSentence);
  if (valSentences.length === 0) throw new UserError(`${config.dataset} has ${data.sentences.length} sentence(s): too few to hold some out for validation. Add sentences or give a validation file with --val.`);
  const sentenceText = (s: TaggedSentence): string => s.tokens.join(' ');
  const words = (ss: readonly TaggedSentence[]): number => ss.reduce((n, s) => n + s.tokens.length, 0);
  return {
    task: 'token-classification',
    labelNames: data.labelNames,
    vocabularyTexts: train.map(sentenceText),
    probeTexts: valSentences.map(sentenceText),
    summary: `${train.length} training sentences (${words(train)} words) and ${valSentences.length} validation sentences (${words(valSentences)} words), tags: ${data.labelNames.join(', ')}`,
    trainingData: (ctx) => {
      const alignedVal = align(ctx, valSentences, 'validation');
      const valWords = alignedVal.reduce((n, e) => n + e.labels.filter((l) => l >= 0).length, 0);
      return taggerData(ctx, align(ctx, train, 'training'), alignedVal, data.labelNames, valWords);
    },
  };
}
