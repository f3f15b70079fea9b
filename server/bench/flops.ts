/**
 * Matrix-multiply FLOPs of each workload (2·M·N·K per product; elementwise work, softmax and
 * norms are not counted), so achieved GFLOP/s compares against the measured matmul peak.
 * Per token of an encoder layer: 8H² (Q, K, V, output projections) + 4HF (feed-forward)
 * + 4TH (scores q·kᵀ and context p·v). A training step counts 3× its forward (backward ≈ 2×).
 */
import type { BenchShape } from './benchSpec';

/** Matmul FLOPs of one layer for one token attending over `keys` positions. */
export function layerFlopsPerToken(s: BenchShape, keys: number): number {
  return 8 * s.hidden * s.hidden + 4 * s.hidden * s.ffn + 4 * keys * s.hidden;
}

/** Forward FLOPs of the encoder body over one batch (B·T tokens, full attention). */
export function encoderForwardFlops(s: BenchShape): number {
  return s.batch * s.seq * s.layers * layerFlopsPerToken(s, s.seq);
}

/** BERT sequence classifier: body + pooler (2H²) + classifier (2H·labels) per sequence. */
export function classifierForwardFlops(s: BenchShape, labels: number): number {
  return encoderForwardFlops(s) + s.batch * (2 * s.hidden * s.hidden + 2 * s.hidden * labels);
}

/**
 * BERT masked LM as pretraining runs it: body, then transform (2H²) and tied decoder (2HV) at the
 * masked positions only (BERT's gather_indexes): the expected maskRate of the T − 2 word positions.
 */
export function maskedLmForwardFlops(s: BenchShape, maskRate: number): number {
  const predicted = s.batch * (s.seq - 2) * maskRate;
  return encoderForwardFlops(s) + predicted * (2 * s.hidden * s.hidden + 2 * s.hidden * s.vocab);
}

/** Forward + backward: backward does two products (input and weight gradients) per forward one. */
export const trainStepFlops = (forwardFlops: number): number => 3 * forwardFlops;

/**
 * Greedy generation with a KV cache: the prompt (P tokens, LM head at every position), then
 * newTokens − 1 single-token passes, the n-th attending over P + n keys.
 */
export function generationFlops(s: BenchShape, newTokens: number): { prompt: number; total: number } {
  const P = s.seq;
  const lmHead = 2 * s.hidden * s.vocab;
  const prompt = P * (s.layers * layerFlopsPerToken(s, P) + lmHead);
  let total = prompt;
  for (let n = 1; n < newTokens; n++) total += s.layers * layerFlopsPerToken(s, P + n) + lmHead;
  return { prompt, total };
}

/** A square n×n·n×n product. */
export const squareMatmulFlops = (n: number): number => 2 * n * n * n;
