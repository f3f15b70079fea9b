/**
 * Synthetic full-length batches for the benchmark (no padding, so every token is computed):
 * classification batches through the fine-tuning code's makeBatch, masked-LM batches through the
 * pretraining code's makeLmBatch.
 */
import { makeBatch, type Batch } from '../finetune/classificationBatches';
import { IGNORE_INDEX } from '../pretrain/masking';
import { makeLmBatch, type LmBatch, type LmExample } from '../pretrain/objectives';
import { createRng } from '../random';
import type { BenchShape } from './benchSpec';

/** BERT-style special ids of the benchmark's vocabulary: [PAD]=0, [CLS]=2, [SEP]=3, [MASK]=4. */
const PAD = 0;
const CLS = 2;
const SEP = 3;
const MASK = 4;
const FIRST_WORD = 5;
/** BERT's masking rate. */
export const MASK_RATE = 0.15;

/** Random word ids framed by [CLS] … [SEP], `seq` long. */
function randomSequence(s: BenchShape, rng: ReturnType<typeof createRng>): number[] {
  return [CLS, ...Array.from({ length: s.seq - 2 }, () => FIRST_WORD + rng.int(s.vocab - FIRST_WORD)), SEP];
}

export function classificationBatch(s: BenchShape, seed: number): Batch {
  const rng = createRng(seed);
  return makeBatch(Array.from({ length: s.batch }, (_, i) => ({ ids: randomSequence(s, rng), label: i % 2 })), PAD);
}

/**
 * A masked-LM batch as `transfer-lab pretrain` builds it (makeLmBatch): ~15% of the positions
 * between [CLS] and [SEP] replaced by [MASK] and predicted, the rest labelled IGNORE_INDEX, so
 * the loss (lmLoss) runs the LM head at the masked positions only. Dispose with disposeLmBatch.
 */
export function maskedLmBatch(s: BenchShape, seed: number): LmBatch {
  const rng = createRng(seed);
  const examples: LmExample[] = Array.from({ length: s.batch }, () => {
    const ids = randomSequence(s, rng);
    const masked = ids.map((_, t) => t > 0 && t < s.seq - 1 && rng.next() < MASK_RATE);
    return { inputIds: ids.map((id, t) => (masked[t] ? MASK : id)), labels: ids.map((id, t) => (masked[t] ? id : IGNORE_INDEX)) };
  });
  return makeLmBatch('masked-lm', examples, { pad: PAD, decoderStart: PAD });
}
