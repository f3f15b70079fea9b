/**
 * T5's span corruption (Raffel et al., 2020, §3.1.4 and §3.3.4): random spans covering 15% of
 * the tokens, 3 tokens long on average, are each replaced in the input by one sentinel
 * <extra_id_k>; the target lists every sentinel followed by the tokens it hid, then </s>. Pure.
 */
import type { Rng } from '../random';
import { shuffleInPlace } from '../random';

export interface SpanCorruptionConfig {
  /** Share of the tokens hidden (T5: 0.15). */
  readonly noiseDensity: number;
  /** Mean length of a hidden span, in tokens (T5: 3). */
  readonly meanSpanLength: number;
}

export const DEFAULT_SPAN_CORRUPTION_CONFIG: SpanCorruptionConfig = Object.freeze({ noiseDensity: 0.15, meanSpanLength: 3 });

export interface CorruptedSequence {
  /** Kept tokens with one sentinel per hidden span, then </s>. */
  readonly inputIds: number[];
  /** Each span's sentinel followed by its tokens, then </s>. */
  readonly targetIds: number[];
}

/** Hidden tokens and spans of a sequence of `length` tokens (HF run_t5_mlm_flax's counts). */
export function noiseCounts(length: number, config: SpanCorruptionConfig = DEFAULT_SPAN_CORRUPTION_CONFIG): { noiseTokens: number; spans: number } {
  if (length < 2) return { noiseTokens: 0, spans: 0 };
  const noiseTokens = Math.min(Math.max(Math.round(length * config.noiseDensity), 1), length - 1);
  const spans = Math.min(Math.max(Math.round(noiseTokens / config.meanSpanLength), 1), length - noiseTokens);
  return { noiseTokens, spans };
}

/** Input and target lengths (with </s>) after corrupting `length` tokens. */
export function corruptedLengths(length: number, config: SpanCorruptionConfig = DEFAULT_SPAN_CORRUPTION_CONFIG): { inputs: number; targets: number } {
  const { noiseTokens, spans } = noiseCounts(length, config);
  return { inputs: length - noiseTokens + spans + 1, targets: noiseTokens + spans + 1 };
}

/** The longest raw sequence whose corrupted input (with </s>) fits in `inputLength` tokens. */
export function rawLengthForInputs(inputLength: number, config: SpanCorruptionConfig = DEFAULT_SPAN_CORRUPTION_CONFIG): number {
  let length = Math.max(1, inputLength - 1);
  while (corruptedLengths(length + 1, config).inputs <= inputLength) length++;
  return length;
}

/** `items` split into `segments` positive parts of random sizes, in order (HF's _random_segmentation). */
export function randomSegmentation(items: number, segments: number, rng: Rng): number[] {
  const boundaries = shuffleInPlace([...Array<number>(segments - 1).fill(1), ...Array<number>(items - segments).fill(0)], rng);
  const lengths = Array<number>(segments).fill(0);
  let segment = 0;
  lengths[0] = 1;
  for (const isBoundary of boundaries) {
    segment += isBoundary;
    lengths[segment] = (lengths[segment] ?? 0) + 1;
  }
  return lengths;
}

/** true where a token is hidden: kept and hidden runs alternate, starting with a kept run. */
export function randomSpansNoiseMask(length: number, rng: Rng, config: SpanCorruptionConfig = DEFAULT_SPAN_CORRUPTION_CONFIG): boolean[] {
  const { noiseTokens, spans } = noiseCounts(length, config);
  if (spans === 0) return Array<boolean>(length).fill(false);
  const noise = randomSegmentation(noiseTokens, spans, rng);
  const kept = randomSegmentation(length - noiseTokens, spans, rng);
  const mask: boolean[] = [];
  for (let s = 0; s < spans; s++) {
    for (let i = 0; i < (kept[s] ?? 0); i++) mask.push(false);
    for (let i = 0; i < (noise[s] ?? 0); i++) mask.push(true);
  }
  return mask;
}

/** Builds input and target from a noise mask; `sentinelIds[k]` is the id of <extra_id_k>. */
export function applyNoiseMask(ids: readonly number[], mask: readonly boolean[], sentinelIds: readonly number[], eosId: number): CorruptedSequence {
  const inputIds: number[] = [];
  const targetIds: number[] = [];
  let span = -1;
  ids.forEach((id, i) => {
    const hidden = mask[i] === true;
    if (hidden && mask[i - 1] !== true) {
      span++;
      const sentinel = sentinelIds[span];
      if (sentinel === undefined) throw new Error(`span corruption needs sentinel <extra_id_${span}>, the vocabulary has ${sentinelIds.length}`);
      inputIds.push(sentinel);
      targetIds.push(sentinel);
    }
    (hidden ? targetIds : inputIds).push(id);
  });
  inputIds.push(eosId);
  targetIds.push(eosId);
  return { inputIds, targetIds };
}

/** Corrupts `ids` (no </s> yet) with freshly drawn spans. */
export function corruptSpans(
  ids: readonly number[], sentinelIds: readonly number[], eosId: number, rng: Rng, config: SpanCorruptionConfig = DEFAULT_SPAN_CORRUPTION_CONFIG,
): CorruptedSequence {
  return applyNoiseMask(ids, randomSpansNoiseMask(ids.length, rng, config), sentinelIds, eosId);
}

/** Ids of <extra_id_0>, <extra_id_1>, … as far as the vocabulary has them. */
export function sentinelIdsOf(tokenToId: (token: string) => number | undefined): number[] {
  const ids: number[] = [];
  for (let k = 0; ; k++) {
    const id = tokenToId(`<extra_id_${k}>`);
    if (id === undefined) return ids;
    ids.push(id);
  }
}
