// The max-length suggestion: the 95th percentile of the texts' token lengths rounded up to a
// multiple of 16, capped by what the model accepts. Pure (no vscode) so it is unit-tested.
import type { TokenLengthStats } from '../../server/protocol';

/** Lengths are rounded up to a multiple of this (shapes that batch well, a little headroom). */
export const LENGTH_MULTIPLE = 16;
/** The server's lower bound on maxLength. */
export const MIN_MAX_LENGTH = 4;

/** A max length that keeps about 95% of the texts whole. */
export function suggestMaxLength(p95: number, modelMaxLength: number): number {
  const rounded = Math.max(LENGTH_MULTIPLE, Math.ceil(p95 / LENGTH_MULTIPLE) * LENGTH_MULTIPLE);
  return Math.max(MIN_MAX_LENGTH, Math.min(rounded, modelMaxLength));
}

/** Share of the sampled texts longer than `maxLength` tokens, as a rough percentage from the percentiles. */
export function truncatedShare(s: TokenLengthStats, maxLength: number): string {
  if (s.max <= maxLength) return 'none truncated';
  if (s.p99 <= maxLength) return 'under 1% truncated';
  if (s.p95 <= maxLength) return '1–5% truncated';
  if (s.p90 <= maxLength) return '5–10% truncated';
  return s.p50 <= maxLength ? '10–50% truncated' : 'most truncated';
}

/** "95% of texts ≤ 50 tokens (max 233) → 64; model max 512" */
export function describeLengths(s: TokenLengthStats, modelMaxLength: number): string {
  return `95% of ${s.sampled.toLocaleString('en-US')} sampled texts ≤ ${s.p95} tokens (longest ${s.max}); model max ${modelMaxLength}`;
}
