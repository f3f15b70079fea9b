/**
 * T5's bucketed relative position bias (Raffel et al., 2020; HF T5Attention.
 * _relative_position_bucket). The log-spaced bucket index is computed in float32 steps, as
 * PyTorch does, so that positions on a bucket boundary land in the same bucket.
 */
import { tf, type Tensor } from '../backend/tf';
import { embeddingLookup } from './ops/embeddingLookup';

const f32 = Math.fround;

/** Bucket of one (key − query) offset. */
export function relativePositionBucket(relative: number, bidirectional: boolean, numBuckets: number, maxDistance: number): number {
  let buckets = 0;
  let n = numBuckets;
  let rel = relative;
  if (bidirectional) {
    n = Math.floor(n / 2);
    if (rel > 0) buckets += n;
    rel = Math.abs(rel);
  } else {
    rel = -Math.min(rel, 0);
  }
  const maxExact = Math.floor(n / 2);
  if (rel < maxExact) return buckets + rel;
  const logRatio = f32(Math.log(f32(f32(rel) / maxExact)));
  const scaled = f32(f32(logRatio / f32(Math.log(maxDistance / maxExact))) * (n - maxExact));
  const large = Math.min(maxExact + Math.trunc(scaled), n - 1);
  return buckets + large;
}

/** Bucket indices [Tq, Tk] for queries at positions offset..offset+Tq-1 and keys 0..Tk-1. */
export function bucketMatrix(tq: number, tk: number, offset: number, bidirectional: boolean, numBuckets: number, maxDistance: number): Int32Array {
  const out = new Int32Array(tq * tk);
  for (let i = 0; i < tq; i++) {
    for (let j = 0; j < tk; j++) out[i * tk + j] = relativePositionBucket(j - (offset + i), bidirectional, numBuckets, maxDistance);
  }
  return out;
}

/** table [numBuckets, heads] → bias [1, heads, Tq, Tk]. */
export function relativePositionBias(table: Tensor, tq: number, tk: number, offset: number, bidirectional: boolean, maxDistance: number): Tensor {
  const numBuckets = table.shape[0] as number;
  const heads = table.shape[1] as number;
  const buckets = tf.tensor2d(bucketMatrix(tq, tk, offset, bidirectional, numBuckets, maxDistance), [tq, tk], 'int32');
  const values = embeddingLookup(table, buckets); // [Tq, Tk, heads]
  return tf.reshape(tf.transpose(values, [2, 0, 1]), [1, heads, tq, tk]);
}
