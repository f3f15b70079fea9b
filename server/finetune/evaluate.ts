/** Validation pass of a sequence classifier: loss, accuracy, macro-F1 and confusion matrix, no dropout. */
import { tf } from '../backend/tf';
import { INFERENCE } from '../models/blocks';
import type { TransformerModel } from '../models/transformerModel';
import { crossEntropy } from '../training/losses';
import { accuracy, macroF1 } from '../training/classificationMetrics';
import { disposeBatch, evalBatchOrder, makeBatch, type TokenizedExample } from './classificationBatches';

/** A validation pass's metrics, whatever the task (see MetricEvent 'eval' for each field's meaning per task). */
export interface EvalResult {
  readonly loss: number;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly predictions?: Int32Array;
  readonly truth?: Int32Array;
  /** confusion[t][p]: validation examples of true class t predicted as p (classification tasks). */
  readonly confusion?: number[][];
  /** The class names of confusion's rows and columns, in order (present with confusion). */
  readonly confusionLabels?: readonly string[];
  /** Token classification with BIO/IOBES tags. */
  readonly entityF1?: number;
  /** LM tasks: exp(loss). */
  readonly perplexity?: number;
  /** Text-to-text: mean token-overlap F1 of the generations. */
  readonly tokenF1?: number;
}

/** counts[t][p] of (truth, prediction) pairs over `numClasses` classes. */
export function confusionMatrix(predicted: ArrayLike<number>, truth: ArrayLike<number>, numClasses: number): number[][] {
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < truth.length; i++) {
    const row = m[truth[i] ?? -1];
    const p = predicted[i] ?? -1;
    if (row !== undefined && p >= 0 && p < numClasses) row[p] = (row[p] ?? 0) + 1;
  }
  return m;
}

/** The confusion matrix over `labels` (class i is labels[i]) with the names, as eval events carry it. */
export function labelledConfusion(predicted: ArrayLike<number>, truth: ArrayLike<number>, labels: readonly string[]): { confusion: number[][]; confusionLabels: string[] } {
  return { confusion: confusionMatrix(predicted, truth, labels.length), confusionLabels: [...labels] };
}

/** The metrics of a finished pass over `labels`; `lossSum` is the summed (not mean) cross-entropy. */
export function evalResult(lossSum: number, predictions: Int32Array, truth: Int32Array, labels: readonly string[]): EvalResult {
  return {
    loss: truth.length === 0 ? 0 : lossSum / truth.length,
    accuracy: accuracy(predictions, truth),
    macroF1: macroF1(predictions, truth, labels.length),
    predictions,
    truth,
    ...labelledConfusion(predictions, truth, labels),
  };
}

export async function evaluateClassifier(
  model: TransformerModel, examples: readonly TokenizedExample[], batchSize: number, padId: number,
): Promise<EvalResult> {
  const predictions = new Int32Array(examples.length);
  const truth = new Int32Array(examples.length);
  let lossSum = 0;
  let pos = 0;
  for (const idx of evalBatchOrder(examples, batchSize)) {
    const batchExamples = idx.map((i) => examples[i] as TokenizedExample);
    const batch = makeBatch(batchExamples, padId);
    const [lossT, predT] = tf.tidy(() => {
      const logits = model.forward(batch.inputs, INFERENCE).logits as tf.Tensor;
      return [tf.mul(crossEntropy(logits, batch.labels), batch.size), tf.argMax(logits, 1)];
    });
    const [l, p] = await Promise.all([lossT.data(), predT.data()]);
    tf.dispose([lossT, predT]);
    disposeBatch(batch);
    lossSum += l[0] ?? 0;
    batchExamples.forEach((e, j) => {
      predictions[pos] = p[j] ?? -1;
      truth[pos] = e.label;
      pos++;
    });
  }
  return evalResult(lossSum, predictions, truth, model.config.labels);
}
