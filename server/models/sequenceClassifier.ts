/**
 * BertForSequenceClassification: the encoder, BERT's pooler (dense + tanh on the [CLS] state)
 * and a linear classifier, with Hugging Face's tensor names ("bert.…", "classifier.…").
 */
import { tf, type Tensor } from '../backend/tf';
import type { BertConfig } from './bertConfig';
import { bertEncoder, bertEncoderSpecs, dropout, type EncoderInputs, type ForwardOptions } from './bertEncoder';
import { linear } from './ops/matMul';
import { ParameterStore, type ParamSpec } from './parameters';

export const ENCODER_PREFIX = 'bert';

export function sequenceClassifierSpecs(c: BertConfig): ParamSpec[] {
  const H = c.hiddenSize;
  const L = c.labels.length;
  return [
    ...bertEncoderSpecs(c, ENCODER_PREFIX),
    { name: 'bert.pooler.dense.weight', shape: [H, H], init: 'normal', transposedInCheckpoint: true },
    { name: 'bert.pooler.dense.bias', shape: [H], init: 'zeros', transposedInCheckpoint: false },
    { name: 'classifier.weight', shape: [H, L], init: 'normal', transposedInCheckpoint: true },
    { name: 'classifier.bias', shape: [L], init: 'zeros', transposedInCheckpoint: false },
  ];
}

export class SequenceClassifier {
  readonly params: ParameterStore;

  constructor(readonly config: BertConfig) {
    if (config.labels.length < 2) throw new Error('a sequence classifier needs at least two labels');
    this.params = new ParameterStore(sequenceClassifierSpecs(config));
  }

  /** [B, T] inputs → [B, numLabels] logits (and per-layer attentions when asked). */
  forward(inputs: EncoderInputs, opts: ForwardOptions): { logits: Tensor; attentions: Tensor[]; hidden: Tensor } {
    const p = this.params;
    const { hidden, attentions } = bertEncoder(p, ENCODER_PREFIX, this.config, inputs, opts);
    const [B, , H] = hidden.shape as [number, number, number];
    const cls = tf.reshape(tf.slice(hidden, [0, 0, 0], [B, 1, H]), [B, H]); // [B, T, H] -> [B, H]
    const pooled = tf.tanh(linear(cls, p.get('bert.pooler.dense.weight'), p.get('bert.pooler.dense.bias')));
    const logits = linear(dropout(pooled, this.config.hiddenDropout, opts), p.get('classifier.weight'), p.get('classifier.bias'));
    return { logits, attentions, hidden };
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** Mean cross-entropy of logits [B, L] against int32 labels [B]; one-hot avoids gather's gradient. */
export function crossEntropy(logits: Tensor, labels: Tensor): Tensor {
  const numClasses = logits.shape[1] ?? 0;
  const logProbs = tf.logSoftmax(logits);
  const picked = tf.sum(tf.mul(logProbs, tf.oneHot(labels, numClasses)), 1); // [B]
  return tf.neg(tf.mean(picked));
}
