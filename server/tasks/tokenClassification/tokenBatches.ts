/**
 * Token classification batches (IGNORE_INDEX on padding, special tokens and non-first pieces), the
 * loss over labelled positions (one-hot products: wasm lacks gather's gradient) and validation by word.
 */
import { tf, type Tensor } from '../../backend/tf';
import { INFERENCE, type ForwardOptions } from '../../models/blocks';
import type { ModelInputs } from '../../models/modelIo';
import type { TransformerModel } from '../../models/transformerModel';
import { IGNORE_INDEX } from '../../pretrain/masking';
import { maskedTokenCrossEntropy, tokenNllSum } from '../../pretrain/objectives';
import { evalBatchOrder } from '../../finetune/classificationBatches';
import type { EvalResult } from '../../finetune/evaluate';
import { tokenMetrics } from '../metrics/tokenMetrics';

/** One aligned sentence (wordAlignment.ts). */
export interface TaggedExample {
  readonly ids: readonly number[];
  /** Per position: a tag id, or IGNORE_INDEX. */
  readonly labels: readonly number[];
}

export interface TagBatch {
  readonly inputs: ModelInputs;
  /** [B, T] int32, IGNORE_INDEX where nothing is predicted. */
  readonly labels: Tensor;
  readonly size: number;
  readonly seqLength: number;
}

export function makeTagBatch(examples: readonly TaggedExample[], padId: number): TagBatch {
  const B = examples.length;
  const T = Math.max(1, ...examples.map((e) => e.ids.length));
  const ids = new Int32Array(B * T).fill(padId);
  const mask = new Int32Array(B * T);
  const labels = new Int32Array(B * T).fill(IGNORE_INDEX);
  examples.forEach((e, b) => {
    ids.set(e.ids, b * T);
    mask.fill(1, b * T, b * T + e.ids.length);
    labels.set(e.labels, b * T);
  });
  return {
    inputs: { inputIds: tf.tensor2d(ids, [B, T], 'int32'), attentionMask: tf.tensor2d(mask, [B, T], 'int32'), tokenTypeIds: tf.zeros([B, T], 'int32') },
    labels: tf.tensor2d(labels, [B, T], 'int32'),
    size: B,
    seqLength: T,
  };
}

export function disposeTagBatch(b: TagBatch): void {
  tf.dispose([b.inputs.inputIds, b.inputs.attentionMask, b.labels, ...(b.inputs.tokenTypeIds !== undefined ? [b.inputs.tokenTypeIds] : [])]);
}

function logitsOf(model: TransformerModel, batch: TagBatch, opts: ForwardOptions): Tensor {
  const logits = model.forward(batch.inputs, opts).logits;
  if (logits === null || logits.shape.length !== 3) throw new Error(`token classification needs logits [B, T, labels], got ${logits === null ? 'none' : `[${logits.shape.join(', ')}]`}`);
  return logits;
}

/** Mean cross-entropy over the batch's labelled positions (synchronous tensor code). */
export function tagLoss(model: TransformerModel, batch: TagBatch, opts: ForwardOptions): Tensor {
  return maskedTokenCrossEntropy(logitsOf(model, batch, opts), batch.labels);
}

/** Labelled positions' (truth, prediction) pairs of one example, in word order. */
function wordsOf(e: TaggedExample, predicted: ArrayLike<number>, offset: number): { truth: number[]; predicted: number[] } {
  const truth: number[] = [];
  const pred: number[] = [];
  e.labels.forEach((label, t) => {
    if (label === IGNORE_INDEX) return;
    truth.push(label);
    pred.push(predicted[offset + t] ?? -1);
  });
  return { truth, predicted: pred };
}

/** Validation without dropout: loss per labelled word, word accuracy, macro-F1 over tags, entity F1 (BIO). */
export async function evaluateTagger(model: TransformerModel, examples: readonly TaggedExample[], labelNames: readonly string[], batchSize: number, padId: number): Promise<EvalResult> {
  const truth: number[][] = [];
  const predicted: number[][] = [];
  let lossSum = 0;
  let count = 0;
  for (const idx of evalBatchOrder(examples, batchSize)) {
    const batchExamples = idx.map((i) => examples[i] as TaggedExample);
    const batch = makeTagBatch(batchExamples, padId);
    try {
      const [sumT, countT, predT] = tf.tidy(() => {
        const logits = logitsOf(model, batch, INFERENCE);
        const nll = tokenNllSum(logits, batch.labels);
        return [nll.sum, nll.count, tf.argMax(logits, 2)];
      });
      const [s, c, p] = await Promise.all([sumT.data(), countT.data(), predT.data()]);
      tf.dispose([sumT, countT, predT]);
      lossSum += s[0] ?? 0;
      count += c[0] ?? 0;
      batchExamples.forEach((e, b) => {
        const words = wordsOf(e, p, b * batch.seqLength);
        truth.push(words.truth);
        predicted.push(words.predicted);
      });
    } finally {
      disposeTagBatch(batch);
    }
  }
  return { loss: count === 0 ? 0 : lossSum / count, ...tokenMetrics(truth, predicted, labelNames) };
}
