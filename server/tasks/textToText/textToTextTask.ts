/**
 * Text-to-text fine-tuning of T5 (Raffel et al., 2020): input and target columns, the seq2seq loss
 * with teacher forcing; labels as targets make T5 a classifier (stratified split, per-label metrics).
 */
import type { FineTuneConfig } from '../../protocol';
import { UserError } from '../../errors';
import { isLowCardinality } from '../../datasets/columns';
import { sortLabelNames } from '../../datasets/labelledDataset';
import { readTextColumns, type ColumnRequest } from '../../datasets/textColumns';
import { disposeLmBatch, lmLoss, makeLmBatch, type LmExample } from '../../pretrain/objectives';
import { bucketedBatchOrder, truncate } from '../../finetune/classificationBatches';
import type { MicroBatch, TrainingData } from '../../finetune/loop/contracts';
import type { TextTokenizer } from '../../tokenizers/textTokenizer';
import { splitRows } from '../heldOut';
import { normalizeText } from '../metrics/textMatch';
import type { TaskBuildContext, TaskData } from '../taskData';
import { evaluateSeq2Seq, type Seq2SeqValidation } from './seq2seqEvaluate';

interface TextPair {
  readonly input: string;
  readonly target: string;
}

/** Ids of a text ending with </s> (added when the template has none), at most maxLength. */
function encodeWithEos(tokenizer: TextTokenizer, text: string, eos: number, maxLength: number): number[] {
  const ids = tokenizer.encode(text).ids;
  return truncate(ids[ids.length - 1] === eos ? ids : [...ids, eos], maxLength);
}

function seq2seqData(ctx: TaskBuildContext, train: readonly TextPair[], val: readonly TextPair[], classes: ReadonlyMap<string, number>, labelLike: boolean): TrainingData {
  const { model, tokenizer, config, maxLength } = ctx;
  const eos = tokenizer.eosId;
  if (eos === null) throw new UserError('The tokenizer has no end token (</s>), which text-to-text targets end with. Use a T5 tokenizer.');
  const encode = (p: TextPair): LmExample => ({ inputIds: encodeWithEos(tokenizer, p.input, eos, maxLength), labels: encodeWithEos(tokenizer, p.target, eos, maxLength) });
  const examples = train.map(encode);
  const validation: Seq2SeqValidation = { examples: val.map(encode), targets: val.map((p) => p.target), classes, labelLike };
  const maxNewTokens = Math.min(maxLength, Math.max(1, ...examples.map((e) => e.labels.length)));
  const ids = { pad: model.config.padTokenId, decoderStart: model.config.decoderStartTokenId };
  const sequences = examples.map((e) => ({ ids: e.inputIds }));
  return {
    size: examples.length,
    valSize: val.length,
    valLabels: val.map((p) => classes.get(normalizeText(p.target)) ?? -1),
    batchOrder: (batchSize, seed) => bucketedBatchOrder(sequences, batchSize, seed),
    microBatch: (indices): MicroBatch => {
      const batch = makeLmBatch('seq2seq-lm', indices.map((i) => examples[i] as LmExample), ids);
      return { size: batch.size, tokens: batch.tokens, loss: (opts) => lmLoss(model, batch, opts), dispose: () => disposeLmBatch(batch) };
    },
    evaluate: () => evaluateSeq2Seq(model, tokenizer, validation, config.batchSize * 2, maxNewTokens),
  };
}

async function readPairs(path: string, input: ColumnRequest, target: ColumnRequest): Promise<{ pairs: TextPair[]; columns: readonly string[] }> {
  const read = await readTextColumns(path, [input, target]);
  return { pairs: read.rows.map((r) => ({ input: r[0] ?? '', target: (r[1] ?? '').trim() })), columns: read.columns };
}

/** Input/target pairs of a run; the target column is --target-col, else the label column (detected when unnamed). */
export async function loadTextToText(config: FineTuneConfig): Promise<TaskData> {
  const target = config.targetColumn !== '' ? config.targetColumn : config.labelColumn;
  const option = config.targetColumn !== '' || config.labelColumn === '' ? '--target-col' : '--label-col';
  const data = await readPairs(config.dataset, { role: 'input', name: config.textColumn, detect: 'text', option: '--text-col' }, { role: 'target', name: target, detect: 'label', option });
  const [inputColumn = '', targetColumn = ''] = data.columns;
  const val = config.valDataset === '' ? null : await readPairs(config.valDataset, { role: 'input', name: inputColumn, detect: 'never', option: '--text-col' }, { role: 'target', name: targetColumn, detect: 'never', option: '--target-col' });
  const distinct = new Set(data.pairs.map((p) => p.target));
  const labelLike = isLowCardinality(distinct.size, data.pairs.length);
  const labelNames = labelLike ? sortLabelNames(distinct) : [];
  const labelIds = new Map(labelNames.map((n, i) => [normalizeText(n), i]));
  const split = splitRows(data.pairs.length, config, val !== null, labelLike ? data.pairs.map((p) => labelIds.get(normalizeText(p.target)) ?? 0) : undefined);
  const train = split.train.map((i) => data.pairs[i] as TextPair);
  const valPairs = val?.pairs ?? split.val.map((i) => data.pairs[i] as TextPair);
  if (valPairs.length === 0) throw new UserError(`${config.dataset} has ${data.pairs.length} usable row(s): too few to hold some out for validation. Add rows or give a validation file with --val.`);
  const classes = labelLike ? labelIds : new Map([...new Set(valPairs.map((p) => normalizeText(p.target)))].map((t, i) => [t, i]));
  return {
    task: 'text-to-text',
    labelNames,
    vocabularyTexts: train.flatMap((p) => [p.input, p.target]),
    probeTexts: valPairs.map((p) => p.input),
    summary: `${train.length} training and ${valPairs.length} validation pairs ("${inputColumn}" → "${targetColumn}")${labelLike ? `, targets: ${labelNames.join(', ')}` : ''}`,
    trainingData: (ctx) => seq2seqData(ctx, train, valPairs, classes, labelLike),
  };
}
