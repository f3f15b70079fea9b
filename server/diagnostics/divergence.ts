/**
 * Jensen–Shannon divergence (Lin, "Divergence measures based on the Shannon entropy", IEEE
 * Trans. Inf. Theory 37(1), 1991) in nats (natural log): 0 for equal distributions, at most ln 2.
 * Used to compare a head's attention rows before and after fine-tuning.
 */

/** ln 2: the largest JS divergence in nats, reached by distributions with disjoint supports. */
export const MAX_JS_NATS = Math.LN2;

/** JS divergence of p[pOff…pOff+len) and q[qOff…qOff+len), each renormalised to sum to 1. */
function jsRange(p: ArrayLike<number>, pOff: number, q: ArrayLike<number>, qOff: number, len: number): number {
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < len; i++) {
    const a = p[pOff + i] ?? 0;
    const b = q[qOff + i] ?? 0;
    if (!(a >= 0) || !(b >= 0)) throw new Error(`jensenShannon: probabilities must be non-negative numbers, got ${a} and ${b}`);
    sp += a;
    sq += b;
  }
  if (!(sp > 0) || !(sq > 0)) throw new Error('jensenShannon: a row with no probability mass is not a distribution');
  let sum = 0;
  for (let i = 0; i < len; i++) {
    const a = (p[pOff + i] ?? 0) / sp;
    const b = (q[qOff + i] ?? 0) / sq;
    const m = (a + b) / 2;
    if (a > 0) sum += a * Math.log(a / m); // 0·log 0 = 0
    if (b > 0) sum += b * Math.log(b / m);
  }
  return Math.min(MAX_JS_NATS, Math.max(0, sum / 2)); // clamp rounding just outside [0, ln 2]
}

/**
 * JS(p, q) = ½ KL(p ‖ m) + ½ KL(q ‖ m), m = (p + q) / 2, in nats. Rows are renormalised first,
 * so float32 softmax rows (sums 1 ± 1e-6) compare cleanly and equal rows give exactly 0.
 */
export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new Error(`jensenShannon: rows differ in length (${p.length} vs ${q.length})`);
  return jsRange(p, 0, q, 0, p.length);
}

/**
 * Mean JS divergence (nats) over the attention rows of one head: `before` and `after` are
 * row-major [size, size] maps (query × key) of one sentence; only the first `length` queries
 * and keys are real tokens, the rest is padding and is ignored.
 */
export function meanAttentionJs(before: ArrayLike<number>, after: ArrayLike<number>, size: number, length: number): number {
  if (before.length !== size * size || after.length !== size * size) {
    throw new Error(`meanAttentionJs: expected two [${size}, ${size}] maps, got ${before.length} and ${after.length} numbers`);
  }
  if (!Number.isInteger(length) || length < 1 || length > size) throw new Error(`meanAttentionJs: length must be an integer in [1, ${size}], got ${length}`);
  let sum = 0;
  for (let row = 0; row < length; row++) sum += jsRange(before, row * size, after, row * size, length);
  return sum / length;
}
