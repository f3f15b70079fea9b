/**
 * Sequence classification of single texts or text pairs (NLI, paraphrase): one label per row.
 * Pairs go through the tokenizer's pair template ([CLS] a [SEP] b [SEP], token types 0/1 for
 * BERT) and are truncated longest-first, as Hugging Face's `truncation=True` does.
 */
import type { FineTuneConfig } from '../protocol';
import { encodeClassificationInput, type TokenizedExample } from '../finetune/classificationBatches';
import { exampleOf, loadRunData, type ExampleRef, type RunData } from '../finetune/runData';
import { tokenTrainingData } from '../finetune/strategies/tokenData';
import type { TaskBuildContext, TaskData } from './taskData';

function encode(ctx: TaskBuildContext, data: RunData, refs: readonly ExampleRef[]): TokenizedExample[] {
  const types = ctx.model.config.typeVocabSize;
  return refs.map((ref) => {
    const e = exampleOf(data, ref);
    return { ...encodeClassificationInput(ctx.tokenizer, e.text, e.pair, ctx.maxLength, types), label: e.label };
  });
}

/** The run's labelled rows as the loop's task data. */
export function sequenceClassificationTask(data: RunData): TaskData {
  const texts = (refs: readonly ExampleRef[]): string[] => refs.flatMap((r) => {
    const e = exampleOf(data, r);
    return e.pair === undefined ? [e.text] : [e.text, e.pair];
  });
  const source = data.sources[0];
  const columns = source === undefined ? '' : source.pairColumn !== '' ? ` (pairs of "${source.textColumn}" and "${source.pairColumn}")` : '';
  return {
    task: 'sequence-classification',
    labelNames: data.labelNames,
    vocabularyTexts: texts(data.train),
    probeTexts: data.val.map((r) => exampleOf(data, r).text),
    summary: `${data.train.length} training and ${data.val.length} validation examples${columns}, labels: ${data.labelNames.join(', ')}`,
    runData: data,
    trainingData: (ctx) =>
      tokenTrainingData(ctx.model, encode(ctx, data, data.train), encode(ctx, data, data.val), ctx.tokenizer.padId, ctx.config.batchSize * 2),
  };
}

export async function loadSequenceClassification(config: FineTuneConfig): Promise<TaskData> {
  return sequenceClassificationTask(await loadRunData(config));
}
