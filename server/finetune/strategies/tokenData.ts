/**
 * Training data for strategies that run the encoder every step (full, freeze:N, gradual, lp-ft,
 * lora): tokenized examples → padded, length-bucketed micro-batches whose loss is the
 * classifier's cross-entropy; validation through evaluateClassifier.
 */
import type { Tensor } from '../../backend/tf';
import type { TransformerModel } from '../../models/transformerModel';
import { crossEntropy } from '../../training/losses';
import { bucketedBatchOrder, disposeBatch, makeBatch, type TokenizedExample } from '../classificationBatches';
import { evaluateClassifier } from '../evaluate';
import type { MicroBatch, TrainingData } from '../loop/contracts';

export function tokenTrainingData(
  model: TransformerModel, train: readonly TokenizedExample[], val: readonly TokenizedExample[], padId: number, evalBatchSize: number,
): TrainingData {
  return {
    size: train.length,
    valLabels: val.map((e) => e.label),
    batchOrder: (batchSize, seed) => bucketedBatchOrder(train, batchSize, seed),
    microBatch: (indices): MicroBatch => {
      const batch = makeBatch(indices.map((i) => train[i] as TokenizedExample), padId);
      return {
        size: batch.size,
        tokens: batch.size * batch.seqLength,
        loss: (opts) => crossEntropy(model.forward(batch.inputs, opts).logits as Tensor, batch.labels),
        dispose: () => disposeBatch(batch),
      };
    },
    evaluate: () => evaluateClassifier(model, val, evalBatchSize, padId),
  };
}
