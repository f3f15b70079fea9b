// The head view's geometry-free part: which lines to draw for a head's map (all weights above a
// floor, or only the hovered token's) and the heads' colours. Pure, so it is tested without a DOM.

/** One line: query `from` attends to key `to` with weight `weight`. */
export interface HeadLine {
  readonly from: number;
  readonly to: number;
  readonly weight: number;
}

/** A token under the pointer: its side and index. */
export interface HeadFocus {
  readonly side: 'query' | 'key';
  readonly index: number;
}

/** Lines lighter than this are invisible anyway; skipping them keeps long inputs fast. */
export const MIN_LINE_WEIGHT = 0.01;

/**
 * The lines of one head's [rows, cols] map at or above `minWeight`; with `focus`, only the hovered
 * query's row or the hovered key's column.
 */
export function headLines(matrix: ArrayLike<number>, rows: number, cols: number, focus: HeadFocus | null, minWeight = MIN_LINE_WEIGHT): HeadLine[] {
  const lines: HeadLine[] = [];
  const rowRange = focus?.side === 'query' ? [focus.index] : range(rows);
  for (const i of rowRange) {
    const colRange = focus?.side === 'key' ? [focus.index] : range(cols);
    for (const j of colRange) {
      const w = matrix[i * cols + j] ?? 0;
      if (w >= minWeight) lines.push({ from: i, to: j, weight: w });
    }
  }
  return lines;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Categorical colours (Tableau 10): distinguishable on light and dark backgrounds. */
export const HEAD_COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'] as const;

export function headColor(head: number): string {
  return HEAD_COLORS[head % HEAD_COLORS.length]!;
}
