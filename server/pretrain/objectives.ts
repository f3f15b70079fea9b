/**
 * The three language-modelling objectives as tensor losses: masked LM (BERT, Devlin et al.,
 * 2019; RoBERTa, Liu et al., 2019), causal LM (GPT-2, Radford et al., 2019) and seq2seq LM on
 * span-corrupted text (T5, Raffel et al., 2020); plus batching and held-out evaluation.
 */
import { tf, type Tensor } from '../backend/tf';
import { UserError } from '../errors';
import { INFERENCE, type ForwardOptions } from '../models/blocks';
import type { Family, HeadKind } from '../models/config';
import type { ModelInputs } from '../models/modelIo';
import type { TransformerModel } from '../models/transformerModel';
import { IGNORE_INDEX } from './masking';
import { maskedLmLogitsAt } from './maskedLmHead';

export type Objective = 'masked-lm' | 'causal-lm' | 'seq2seq-lm';

/** The head (and so the objective) each family pretrains with. */
export const PRETRAIN_HEADS: Readonly<Record<Family, Objective>> = Object.freeze({
  bert: 'masked-lm', roberta: 'masked-lm', distilbert: 'masked-lm', albert: 'masked-lm', gpt2: 'causal-lm', t5: 'seq2seq-lm',
});

/** The objective of a model with an LM head; UserError naming `source` for other heads. */
export function objectiveForHead(head: HeadKind, source: string): Objective {
  if (head === 'masked-lm' || head === 'causal-lm' || head === 'seq2seq-lm') return head;
  throw new UserError(`${source} has a ${head} head, not a language-model head (masked-lm, causal-lm or seq2seq-lm), so it has no LM loss.`);
}

/** One training or evaluation example, unpadded. */
export interface LmExample {
  /** Model input (T5: encoder input). */
  readonly inputIds: readonly number[];
  /**
   * masked-lm: same length as inputIds, the original id where predicted, IGNORE_INDEX elsewhere.
   * causal-lm: unused (the inputs are their own targets, shifted by one in the batch).
   * seq2seq-lm: the target ids, ending with </s>.
   */
  readonly labels: readonly number[];
}

export interface LmBatch {
  readonly inputs: ModelInputs;
  /** [B, T] int32 (seq2seq: [B, Ttarget]): the id logits position t must predict, or IGNORE_INDEX. */
  readonly labels: Tensor;
  /** masked-lm: flat indices (into B·T) of the predicted positions [M], and their labels [1, M]. */
  readonly predicted?: { readonly positions: Tensor; readonly targets: Tensor };
  readonly size: number;
  /** Input positions computed, padding included (B·T; seq2seq adds the decoder's). */
  readonly tokens: number;
}

export interface BatchIds {
  readonly pad: number;
  /** T5's decoder_start_token_id. */
  readonly decoderStart: number;
}

/** Right-pads rows to the longest; returns row-major ids and the 1/0 mask. */
function padRows(rows: readonly (readonly number[])[], pad: number): { ids: Int32Array; mask: Int32Array; T: number } {
  const T = Math.max(1, ...rows.map((r) => r.length));
  const ids = new Int32Array(rows.length * T).fill(pad);
  const mask = new Int32Array(rows.length * T);
  rows.forEach((r, b) => {
    ids.set(r, b * T);
    mask.fill(1, b * T, b * T + r.length);
  });
  return { ids, mask, T };
}

/** Label rows for each objective: causal LM predicts the next input token (shifted here, not in the graph). */
function labelRows(objective: Objective, examples: readonly LmExample[]): number[][] {
  if (objective !== 'causal-lm') return examples.map((e) => [...e.labels]);
  return examples.map((e) => e.inputIds.map((_, t) => (t + 1 < e.inputIds.length ? (e.inputIds[t + 1] as number) : IGNORE_INDEX)));
}

/** Tensors of one batch; the caller disposes them with disposeLmBatch. */
export function makeLmBatch(objective: Objective, examples: readonly LmExample[], ids: BatchIds): LmBatch {
  const B = examples.length;
  const input = padRows(examples.map((e) => e.inputIds), ids.pad);
  const labels = padRows(labelRows(objective, examples), IGNORE_INDEX);
  let inputs: ModelInputs = {
    inputIds: tf.tensor2d(input.ids, [B, input.T], 'int32'),
    attentionMask: tf.tensor2d(input.mask, [B, input.T], 'int32'),
    tokenTypeIds: tf.zeros([B, input.T], 'int32'),
  };
  let tokens = B * input.T;
  if (objective === 'seq2seq-lm') {
    // Decoder input: the targets shifted right behind decoder_start_token_id (padding where none).
    const decoder = padRows(examples.map((e) => [ids.decoderStart, ...e.labels.slice(0, -1)]), ids.pad);
    inputs = { ...inputs, decoderInputIds: tf.tensor2d(decoder.ids, [B, decoder.T], 'int32') };
    tokens += B * decoder.T;
  }
  return { inputs, labels: tf.tensor2d(labels.ids, [B, labels.T], 'int32'), ...predictedPositions(objective, labels.ids), size: B, tokens };
}

/** masked-lm: where the padded label rows predict something, so the head can run there only. */
function predictedPositions(objective: Objective, labels: Int32Array): Pick<LmBatch, 'predicted'> {
  if (objective !== 'masked-lm') return {};
  const positions: number[] = [];
  const targets: number[] = [];
  labels.forEach((id, i) => {
    if (id === IGNORE_INDEX) return;
    positions.push(i);
    targets.push(id);
  });
  if (positions.length === 0) return {};
  return { predicted: { positions: tf.tensor1d(positions, 'int32'), targets: tf.tensor2d(targets, [1, targets.length], 'int32') } };
}

export function disposeLmBatch(batch: LmBatch): void {
  const { inputIds, attentionMask, tokenTypeIds, decoderInputIds } = batch.inputs;
  const optional = [tokenTypeIds, decoderInputIds, batch.predicted?.positions, batch.predicted?.targets].filter((t): t is Tensor => t !== undefined);
  tf.dispose([inputIds, attentionMask, batch.labels, ...optional]);
}

/**
 * Summed negative log-likelihood and the number of predicted positions: logits [B, T, V],
 * labels [B, T] int32 with IGNORE_INDEX where nothing is predicted. A 0/1 weight and a one-hot
 * product select the targets: gather's gradient is missing on wasm (ENGINE-NOTES trap 1).
 */
export function tokenNllSum(logits: Tensor, labels: Tensor): { sum: Tensor; count: Tensor } {
  const V = logits.shape[logits.shape.length - 1] as number;
  if (logits.shape.length !== 3 || labels.shape.length !== 2 || logits.shape[0] !== labels.shape[0] || logits.shape[1] !== labels.shape[1]) {
    throw new Error(`tokenNllSum: logits [B, T, V] and labels [B, T] expected, got [${logits.shape.join(', ')}] and [${labels.shape.join(', ')}]`);
  }
  const flatLabels = tf.reshape(labels, [-1]); // [B·T]
  const weights = tf.cast(tf.greaterEqual(flatLabels, 0), 'float32'); // 1 where predicted
  const targets = tf.oneHot(tf.maximum(flatLabels, tf.scalar(0, 'int32')), V); // [B·T, V]; ignored rows pick id 0, weighted out
  const logProbs = tf.logSoftmax(tf.reshape(logits, [-1, V])); // [B·T, V]
  const picked = tf.sum(tf.mul(logProbs, targets), -1); // [B·T]
  return { sum: tf.neg(tf.sum(tf.mul(picked, weights))), count: tf.sum(weights) };
}

/** Mean cross-entropy over the predicted positions only (0 when none is predicted). */
export function maskedTokenCrossEntropy(logits: Tensor, labels: Tensor): Tensor {
  const { sum, count } = tokenNllSum(logits, labels);
  return tf.div(sum, tf.maximum(count, 1));
}

/**
 * Logits [B', T', V] where the batch predicts and the matching labels [B', T']: the masked-LM
 * head at the masked positions only when it can (maskedLmHead.ts), else the full forward.
 */
export function predictionLogits(model: TransformerModel, batch: LmBatch, opts: ForwardOptions): { logits: Tensor; labels: Tensor } {
  if (batch.predicted !== undefined) {
    const rows = maskedLmLogitsAt(model, batch.inputs, batch.predicted.positions, opts); // [M, V]
    if (rows !== null) return { logits: tf.expandDims(rows, 0), labels: batch.predicted.targets };
  }
  const logits = model.forward(batch.inputs, opts).logits;
  if (logits === null) throw new Error(`${model.family} ${model.config.head} model returned no logits`);
  return { logits, labels: batch.labels };
}

/** The objective's loss on one batch: a synchronous tensor function for Trainer.trainStep. */
export function lmLoss(model: TransformerModel, batch: LmBatch, opts: ForwardOptions): Tensor {
  const { logits, labels } = predictionLogits(model, batch, opts);
  return maskedTokenCrossEntropy(logits, labels);
}

export interface EvaluateLmOptions {
  /** Sequences per forward pass; default 32. */
  readonly batchSize?: number;
}

/**
 * Mean loss per predicted token over `examples` (nats), without dropout, for any model with an
 * LM head. Masked-LM examples carry their masking, so fixed examples give comparable values
 * from one evaluation to the next. Every tensor is disposed before it returns.
 */
export async function evaluateLmLoss(model: TransformerModel, examples: readonly LmExample[], opts: EvaluateLmOptions = {}): Promise<number> {
  const objective = objectiveForHead(model.config.head, `The ${model.family} model`);
  const batchSize = opts.batchSize ?? 32;
  const ids = { pad: model.config.padTokenId, decoderStart: model.config.decoderStartTokenId };
  let sum = 0;
  let count = 0;
  for (let start = 0; start < examples.length; start += batchSize) {
    const batch = makeLmBatch(objective, examples.slice(start, start + batchSize), ids);
    try {
      const [sumT, countT] = tf.tidy(() => {
        const { logits, labels } = predictionLogits(model, batch, INFERENCE);
        const r = tokenNllSum(logits, labels);
        return [r.sum, r.count];
      });
      const [s, c] = await Promise.all([sumT.data(), countT.data()]);
      tf.dispose([sumT, countT]);
      sum += s[0] ?? 0;
      count += c[0] ?? 0;
    } finally {
      disposeLmBatch(batch);
    }
  }
  return count === 0 ? NaN : sum / count;
}
