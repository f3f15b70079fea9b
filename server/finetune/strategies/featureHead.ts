/**
 * A logistic-regression head (one linear layer, softmax cross-entropy) on cached features, and
 * the training data over them: a step is a gather and one [B, H]·[H, L] product, so many epochs
 * take seconds. Saved as `feature_head.safetensors` (classifier.weight [L, H] as nn.Linear holds
 * it, classifier.bias [L]) with `feature_head.json` saying how to pool.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tf, type Tensor, type Variable } from '../../backend/tf';
import { encodeSafetensors, readSafetensors } from '../../checkpoints/safetensors';
import { writeFolderAtomic } from '../../checkpoints/atomicWrite';
import { linear } from '../../models/ops/matMul';
import { createRng, shuffleInPlace } from '../../random';
import { crossEntropy } from '../../training/losses';
import { UserError } from '../../errors';
import { evalResult, type EvalResult } from '../evaluate';
import type { MicroBatch, TrainingData } from '../loop/contracts';
import type { Pooling } from './featureExtraction';

export const FEATURE_HEAD_FILE = 'feature_head.safetensors';
export const FEATURE_HEAD_JSON = 'feature_head.json';
export const HEAD_WEIGHT = 'classifier.weight';
export const HEAD_BIAS = 'classifier.bias';

export interface FeatureSet {
  /** [N, H] */
  readonly features: Tensor;
  readonly labels: Int32Array;
}

export function featureSet(data: Float32Array, labels: readonly number[], width: number): FeatureSet {
  return { features: tf.tensor2d(data, [labels.length, width]), labels: Int32Array.from(labels) };
}

export class FeatureHead {
  /** [H, L], engine orientation. Starts at zero: the problem is convex, no symmetry to break. */
  readonly weight: Variable;
  readonly bias: Variable;

  constructor(readonly width: number, readonly labels: readonly string[]) {
    this.weight = tf.tidy(() => tf.variable(tf.zeros([width, labels.length]), true)); // tidy frees the initial zeros
    this.bias = tf.tidy(() => tf.variable(tf.zeros([labels.length]), true));
  }

  variable(name: string): Variable {
    if (name === HEAD_WEIGHT) return this.weight;
    if (name === HEAD_BIAS) return this.bias;
    throw new Error(`the feature head has no "${name}"`);
  }

  logits(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias); // [B, H] -> [B, L]
  }

  async save(dir: string, describe: Record<string, unknown>): Promise<void> {
    const [w, b] = tf.tidy(() => [tf.transpose(this.weight), tf.clone(this.bias)]) as [Tensor, Tensor];
    const [wData, bData] = await Promise.all([w.data(), b.data()]);
    tf.dispose([w, b]);
    const L = this.labels.length;
    const weights = new Map([
      [HEAD_WEIGHT, { shape: [L, this.width], data: new Float32Array(wData) }],
      [HEAD_BIAS, { shape: [L], data: new Float32Array(bData) }],
    ]);
    await writeFile(join(dir, FEATURE_HEAD_FILE), encodeSafetensors(weights));
    await writeFile(join(dir, FEATURE_HEAD_JSON), JSON.stringify({ ...describe, labels: this.labels, hiddenSize: this.width }, null, 2) + '\n');
  }

  async load(dir: string): Promise<void> {
    const path = join(dir, FEATURE_HEAD_FILE);
    const arrays = await readSafetensors(path);
    const w = arrays.get(HEAD_WEIGHT);
    const b = arrays.get(HEAD_BIAS);
    if (w === undefined || b === undefined || w.shape.join() !== `${this.labels.length},${this.width}`) throw new UserError(`${path} does not hold a head for this model and label set.`);
    tf.tidy(() => {
      this.weight.assign(tf.transpose(tf.tensor2d(w.data, [this.labels.length, this.width])));
      this.bias.assign(tf.tensor1d(b.data));
    });
  }

  dispose(): void {
    tf.dispose([this.weight, this.bias]);
  }
}

/** Saves the head alone, atomically: checkpoints and best/. */
export function saveHeadFolder(dir: string, head: FeatureHead, describe: { pooling: Pooling; baseModel: string }): Promise<void> {
  return writeFolderAtomic(dir, (tmp) => head.save(tmp, describe));
}

function evaluateHead(head: FeatureHead, val: FeatureSet): Promise<EvalResult> {
  const [lossT, predT] = tf.tidy(() => {
    const logits = head.logits(val.features);
    return [tf.mul(crossEntropy(logits, tf.tensor1d(val.labels, 'int32')), val.labels.length), tf.argMax(logits, 1)];
  });
  return Promise.all([lossT.data(), predT.data()]).then(([l, p]) => {
    tf.dispose([lossT, predT]);
    return evalResult(val.labels.length === 0 ? 0 : (l[0] ?? 0), Int32Array.from(p), val.labels, head.labels);
  });
}

export function featureTrainingData(head: FeatureHead, train: FeatureSet, val: FeatureSet): TrainingData {
  return {
    size: train.labels.length,
    valLabels: Array.from(val.labels),
    batchOrder: (batchSize, seed) => {
      const order = shuffleInPlace([...train.labels.keys()], createRng(seed));
      const batches: number[][] = [];
      for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
      return batches;
    },
    microBatch: (indices): MicroBatch => {
      const idx = tf.tensor1d(Int32Array.from(indices), 'int32');
      const labels = tf.tensor1d(Int32Array.from(indices, (i) => train.labels[i] ?? 0), 'int32');
      return {
        size: indices.length,
        tokens: indices.length,
        loss: () => crossEntropy(head.logits(tf.gather(train.features, idx)), labels),
        dispose: () => tf.dispose([idx, labels]),
      };
    },
    evaluate: () => (val.labels.length === 0 ? Promise.resolve(evalResult(0, new Int32Array(0), new Int32Array(0), head.labels)) : evaluateHead(head, val)),
  };
}
