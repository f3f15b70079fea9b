/**
 * Entity-level F1 as seqeval computes it by default (conlleval's lenient chunking of BIO/IOB2/IOBES
 * tags; Tjong Kim Sang & De Meulder, 2003): exact (type, start, end) matches, micro-averaged.
 */

export interface EntitySpan {
  readonly type: string;
  /** Token indices, inclusive. */
  readonly start: number;
  readonly end: number;
}

/** Whether every tag is O or prefix-TYPE with prefix B, I, E or S: the tag set entity F1 applies to. */
export function isEntityTagSet(tags: readonly string[]): boolean {
  return tags.length > 0 && tags.every((t) => t === 'O' || /^[BIES]-.+/.test(t)) && tags.some((t) => t !== 'O');
}

function split(tag: string): { prefix: string; type: string } {
  if (tag === 'O') return { prefix: 'O', type: '_' };
  const dash = tag.indexOf('-');
  return dash < 0 ? { prefix: tag.slice(0, 1), type: '_' } : { prefix: tag.slice(0, 1), type: tag.slice(dash + 1) || '_' };
}

/** conlleval's end-of-chunk test: does an entity end before the current tag? */
function endsBefore(prev: { prefix: string; type: string }, cur: { prefix: string; type: string }): boolean {
  const p = prev.prefix;
  const c = cur.prefix;
  if (p === 'E' || p === 'S') return true;
  if ((p === 'B' || p === 'I') && (c === 'B' || c === 'S' || c === 'O')) return true;
  return p !== 'O' && prev.type !== cur.type;
}

/** conlleval's start-of-chunk test: does an entity start at the current tag? */
function startsAt(prev: { prefix: string; type: string }, cur: { prefix: string; type: string }): boolean {
  const p = prev.prefix;
  const c = cur.prefix;
  if (c === 'B' || c === 'S') return true;
  if ((p === 'E' || p === 'S' || p === 'O') && (c === 'E' || c === 'I')) return true;
  return c !== 'O' && prev.type !== cur.type;
}

/** The entity spans of one sentence's tags. */
export function entitySpans(tags: readonly string[]): EntitySpan[] {
  const spans: EntitySpan[] = [];
  let prev = split('O');
  let begin = 0;
  [...tags, 'O'].forEach((tag, i) => {
    const cur = split(tag);
    if (endsBefore(prev, cur)) spans.push({ type: prev.type, start: begin, end: i - 1 });
    if (startsAt(prev, cur)) begin = i;
    prev = cur;
  });
  return spans;
}

export interface EntityScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Entities in the truth, in the predictions, and matched exactly. */
  readonly trueCount: number;
  readonly predictedCount: number;
  readonly correct: number;
}

/** Micro precision/recall/F1 of exact entity matches over sentences (each a tag sequence); 0 where undefined. */
export function entityScores(truth: readonly (readonly string[])[], predicted: readonly (readonly string[])[]): EntityScores {
  let trueCount = 0;
  let predictedCount = 0;
  let correct = 0;
  truth.forEach((tags, s) => {
    const key = (e: EntitySpan): string => `${e.type}\u0000${e.start}\u0000${e.end}`;
    const t = new Set(entitySpans(tags).map(key));
    const p = entitySpans(predicted[s] ?? []).map(key);
    trueCount += t.size;
    predictedCount += p.length;
    correct += p.filter((k) => t.has(k)).length;
  });
  const precision = predictedCount === 0 ? 0 : correct / predictedCount;
  const recall = trueCount === 0 ? 0 : correct / trueCount;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, trueCount, predictedCount, correct };
}
