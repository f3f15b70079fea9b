/**
 * SQuAD-style scoring of generated text (Rajpurkar et al., 2016): exact match after normalisation
 * (NFKC, lower case, no punctuation, collapsed spaces; not SQuAD's English article removal), bag-of-words F1.
 */

export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\p{P}\p{S}]+/gu, ' ').replace(/\s+/g, ' ').trim();
}

export function exactMatch(predicted: string, target: string): boolean {
  return normalizeText(predicted) === normalizeText(target);
}

/** F1 of the words two texts share (as multisets); 1 when both are empty, 0 when only one is. */
export function tokenF1(predicted: string, target: string): number {
  const p = normalizeText(predicted).split(' ').filter((w) => w !== '');
  const t = normalizeText(target).split(' ').filter((w) => w !== '');
  if (p.length === 0 || t.length === 0) return p.length === t.length ? 1 : 0;
  const left = new Map<string, number>();
  for (const w of t) left.set(w, (left.get(w) ?? 0) + 1);
  let common = 0;
  for (const w of p) {
    const n = left.get(w) ?? 0;
    if (n > 0) {
      common++;
      left.set(w, n - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / p.length;
  const recall = common / t.length;
  return (2 * precision * recall) / (precision + recall);
}
