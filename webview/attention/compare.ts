// Base vs fine-tuned attention: whether two results can be compared cell by cell (same tokens,
// same layers and heads), the difference map (fine-tuned − base) and its diverging colour scale
// (ColorBrewer RdBu: blue = less attention after fine-tuning, red = more). Pure functions.
import type { PanelAttentionMaps } from '../messages';

export type Alignment = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Token alignment of the two models' tokenizations of the same text: the maps can be subtracted
 * only when both tokenizers made exactly the same tokens (a fine-tuned run keeps its base's
 * tokenizer; a fresh preset trains its own). The reason names the first token that differs.
 */
export function alignTokens(base: readonly string[], tuned: readonly string[]): Alignment {
  const n = Math.min(base.length, tuned.length);
  for (let i = 0; i < n; i++) {
    if (base[i] !== tuned[i]) {
      return { ok: false, reason: `the two tokenizers split the text differently: token ${i} is “${base[i]}” for the base model and “${tuned[i]}” for the fine-tuned one` };
    }
  }
  if (base.length !== tuned.length) {
    return { ok: false, reason: `the base model makes ${base.length} tokens of the text and the fine-tuned one ${tuned.length}` };
  }
  return { ok: true };
}

/** Both results' maps side by side: same tokens on both axes and the same layers × heads. */
export function alignMaps(base: PanelAttentionMaps, tuned: PanelAttentionMaps): Alignment {
  if (base.layers !== tuned.layers || base.heads !== tuned.heads) {
    return { ok: false, reason: `the base model has ${base.layers} layers × ${base.heads} heads and the fine-tuned one ${tuned.layers} × ${tuned.heads}` };
  }
  const rows = alignTokens(base.queryTokens, tuned.queryTokens);
  if (!rows.ok) return rows;
  return alignTokens(base.keyTokens, tuned.keyTokens);
}

/** tuned − base, element-wise (same length required). */
export function differenceMatrix(tuned: ArrayLike<number>, base: ArrayLike<number>): Float32Array {
  if (tuned.length !== base.length) throw new Error(`differenceMatrix: ${tuned.length} fine-tuned values against ${base.length} base values`);
  const out = new Float32Array(tuned.length);
  for (let i = 0; i < out.length; i++) out[i] = tuned[i]! - base[i]!;
  return out;
}

/** Largest |value| (0 for an empty or all-zero matrix): the symmetric limit of the diverging scale. */
export function maxAbs(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i]!);
    if (v > max) max = v;
  }
  return max;
}

/** RdBu anchors from −limit to +limit; the middle is the colour of "no change". */
const DIVERGING: readonly (readonly [number, number, number])[] = [
  [5, 113, 176],
  [146, 197, 222],
  [247, 247, 247],
  [244, 165, 130],
  [202, 0, 32],
];

/** `value` in [−limit, limit] → [r, g, b]; 0, non-finite values and a zero limit give the middle colour. */
export function divergingColor(value: number, limit: number): [number, number, number] {
  const t = limit > 0 && Number.isFinite(value) ? Math.min(1, Math.max(-1, value / limit)) : 0;
  const pos = ((t + 1) / 2) * (DIVERGING.length - 1);
  const i = Math.min(DIVERGING.length - 2, Math.floor(pos));
  const f = pos - i;
  const a = DIVERGING[i]!;
  const b = DIVERGING[i + 1]!;
  return [0, 1, 2].map((c) => Math.round(a[c]! + (b[c]! - a[c]!) * f)) as [number, number, number];
}

/** "+0.1234" / "-0.0500": signed, so a difference never reads as a weight. */
export function signed(value: number, digits = 4): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(digits)}`;
}
