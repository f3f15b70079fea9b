/**
 * Encodes classification inputs (texts or text pairs) and turns them into padded batches. Training
 * batches are bucketed by length (sorted within shuffled windows) so little compute goes to padding.
 */
import { tf, type Tensor } from '../backend/tf';
import { createRng, shuffleInPlace } from '../random';
import type { ModelInputs } from '../models/modelIo';
import type { TextTokenizer } from '../tokenizers/textTokenizer';

/** Anything batched by length. */
export interface Sequence {
  readonly ids: readonly number[];
}

export interface TokenizedExample extends Sequence {
  /** Token ids with [CLS] … [SEP] (pairs: [CLS] a [SEP] b [SEP]), already truncated to the max length. */
  readonly ids: readonly number[];
  readonly label: number;
  /** Segment ids of a text pair (0 for the first text, 1 for the second); absent: all 0. */
  readonly typeIds?: readonly number[];
}

export interface Batch {
  readonly inputs: ModelInputs;
  readonly labels: Tensor;
  readonly size: number;
  /** Padded length T; size·T tokens are computed. */
  readonly seqLength: number;
}

/** Keeps [CLS] + the first maxLength-2 pieces + the final [SEP]. */
export function truncate(ids: readonly number[], maxLength: number): number[] {
  if (ids.length <= maxLength) return [...ids];
  return [...ids.slice(0, maxLength - 1), ids[ids.length - 1] as number];
}

/**
 * The ids of one classification input: a text, or a text pair in the tokenizer's pair template
 * ([CLS] a [SEP] b [SEP], token types 0 then 1) truncated longest-first to `maxLength`. Families
 * with fewer than two token types get types 0 throughout.
 */
export function encodeClassificationInput(tokenizer: TextTokenizer, text: string, pair: string | undefined, maxLength: number, typeVocabSize: number): { ids: number[]; typeIds?: number[] } {
  if (pair === undefined) return { ids: truncate(tokenizer.encode(text).ids, maxLength) };
  const b = tokenizer.encodeBatch([text], maxLength, [pair]); // one row: no padding
  const ids = Array.from(b.inputIds);
  return { ids, typeIds: typeVocabSize >= 2 ? Array.from(b.tokenTypeIds) : ids.map(() => 0) };
}

/** Builds the tensors of one batch (caller disposes them with disposeBatch). */
export function makeBatch(examples: readonly TokenizedExample[], padId: number): Batch {
  const B = examples.length;
  const T = Math.max(...examples.map((e) => e.ids.length));
  const ids = new Int32Array(B * T).fill(padId);
  const mask = new Int32Array(B * T);
  const types = new Int32Array(B * T);
  const labels = new Int32Array(B);
  examples.forEach((e, b) => {
    e.ids.forEach((id, t) => {
      ids[b * T + t] = id;
      mask[b * T + t] = 1;
    });
    if (e.typeIds !== undefined) types.set(e.typeIds, b * T);
    labels[b] = e.label;
  });
  return {
    inputs: {
      inputIds: tf.tensor2d(ids, [B, T], 'int32'),
      attentionMask: tf.tensor2d(mask, [B, T], 'int32'),
      tokenTypeIds: tf.tensor2d(types, [B, T], 'int32'),
    },
    labels: tf.tensor1d(labels, 'int32'),
    size: B,
    seqLength: T,
  };
}

export function disposeBatch(b: Batch): void {
  tf.dispose([b.inputs.inputIds, b.inputs.attentionMask, b.labels]);
  if (b.inputs.tokenTypeIds !== undefined) b.inputs.tokenTypeIds.dispose();
}

/** Index groups of one epoch: shuffled, sorted by length inside windows of 50 batches, batch order shuffled. */
export function bucketedBatchOrder(examples: readonly Sequence[], batchSize: number, seed: number): number[][] {
  const rng = createRng(seed);
  const order = shuffleInPlace([...examples.keys()], rng);
  const window = batchSize * 50;
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += window) {
    const chunk = order.slice(start, start + window).sort((a, b) => (examples[a]?.ids.length ?? 0) - (examples[b]?.ids.length ?? 0));
    for (let i = 0; i < chunk.length; i += batchSize) batches.push(chunk.slice(i, i + batchSize));
  }
  return shuffleInPlace(batches, rng);
}

/** Evaluation batches: sorted by length for speed, in fixed order. */
export function evalBatchOrder(examples: readonly Sequence[], batchSize: number): number[][] {
  const order = [...examples.keys()].sort((a, b) => (examples[a]?.ids.length ?? 0) - (examples[b]?.ids.length ?? 0));
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
  return batches;
}
