/**
 * The merge loop shared by the WordPiece and BPE trainers: repeatedly merge the most frequent
 * adjacent pair of pieces over counted words, with incremental pair counts and a lazy max-heap.
 */

export interface LearnMergesOptions {
  /** Tokens that come first, in id order (special tokens, then any fixed alphabet). */
  readonly initialTokens: readonly string[];
  /** Stop when the vocabulary has this many tokens. */
  readonly vocabSize: number;
  /** A pair must occur at least this often (weighted by word counts) to be merged. */
  readonly minFrequency: number;
  /** A word's initial pieces; pieces missing from `initialTokens` are added, sorted, after them. */
  split(word: string): string[];
  /** The token made by merging `left` and `right`. */
  join(left: string, right: string): string;
}

export interface LearnedMerges {
  /** Token strings by id. */
  readonly tokens: string[];
  /** Merged pairs in order (the BPE merge ranks); a merge may give a token that already exists. */
  readonly merges: [string, string][];
}

type Candidate = { count: number; pair: number };

/** A max-heap of candidate merges with lazy updates (stale counts are fixed when popped). */
class MergeQueue {
  private readonly items: Candidate[] = [];
  constructor(private readonly before: (x: Candidate, y: Candidate) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  push(c: Candidate): void {
    this.items.push(c);
    for (let i = this.items.length - 1; i > 0 && this.less(i, (i - 1) >> 1); i = (i - 1) >> 1) {
      this.swap(i, (i - 1) >> 1);
    }
  }

  pop(): Candidate | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (this.items.length === 0 || last === undefined) return top;
    this.items[0] = last;
    for (let i = 0; ; ) {
      const [l, n] = [2 * i + 1, this.items.length];
      let m = l < n && this.less(l, i) ? l : i;
      if (l + 1 < n && this.less(l + 1, m)) m = l + 1;
      if (m === i) return top;
      this.swap(i, m);
      i = m;
    }
  }

  private less(i: number, j: number): boolean {
    return this.before(this.items[i] as Candidate, this.items[j] as Candidate);
  }

  private swap(i: number, j: number): void {
    [this.items[i], this.items[j]] = [this.items[j] as Candidate, this.items[i] as Candidate];
  }
}

const PAIR_BASE = 1 << 22;
const pairKey = (a: number, b: number): number => a * PAIR_BASE + b;

class PieceMerger {
  readonly tokens: string[] = [];
  readonly merges: [string, string][] = [];
  private readonly ids = new Map<string, number>();
  private readonly words: number[][] = [];
  private readonly freqs: number[] = [];
  private readonly pairCounts = new Map<number, number>();
  private readonly pairWords = new Map<number, Set<number>>();
  private readonly queue = new MergeQueue((x, y) => this.before(x, y));

  constructor(wordCounts: ReadonlyMap<string, number>, private readonly opts: LearnMergesOptions) {
    for (const t of opts.initialTokens) this.idOf(t);
    const alphabet = new Set<string>();
    const split = [...wordCounts.keys()].sort().map((w) => {
      const pieces = opts.split(w);
      pieces.forEach((p) => alphabet.add(p));
      return { w, pieces };
    });
    for (const piece of [...alphabet].sort()) this.idOf(piece);
    for (const { w, pieces } of split) {
      this.words.push(pieces.map((p) => this.idOf(p)));
      this.freqs.push(wordCounts.get(w) ?? 0);
    }
    this.words.forEach((word, wi) => this.addPairs(word, wi, 1));
    for (const [pair, count] of this.pairCounts) this.queue.push({ count, pair });
  }

  /** Merges the best pair until the vocabulary is `vocabSize` or no pair is frequent enough. */
  run(): void {
    while (this.tokens.length < this.opts.vocabSize && this.queue.size > 0) {
      const top = this.queue.pop();
      if (top === undefined) break;
      const actual = this.pairCounts.get(top.pair) ?? 0;
      if (actual !== top.count) {
        if (actual > 0) this.queue.push({ count: actual, pair: top.pair });
        continue;
      }
      if (actual < this.opts.minFrequency) break;
      this.merge(top.pair);
    }
  }

  private idOf(token: string): number {
    let id = this.ids.get(token);
    if (id === undefined) {
      id = this.tokens.length;
      this.tokens.push(token);
      this.ids.set(token, id);
    }
    return id;
  }

  /** Higher count first; ties go to the smaller (left, right) token strings. */
  private before(x: Candidate, y: Candidate): boolean {
    if (x.count !== y.count) return x.count > y.count;
    const [xl, xr] = this.pairTokens(x.pair);
    const [yl, yr] = this.pairTokens(y.pair);
    if (xl !== yl) return xl < yl;
    return xr < yr;
  }

  private pairTokens(pair: number): [string, string] {
    const a = Math.floor(pair / PAIR_BASE);
    return [this.tokens[a] ?? '', this.tokens[pair - a * PAIR_BASE] ?? ''];
  }

  private addPairs(word: readonly number[], wi: number, sign: 1 | -1, changed?: Set<number>): void {
    const f = sign * (this.freqs[wi] ?? 0);
    for (let i = 0; i + 1 < word.length; i++) {
      const key = pairKey(word[i] ?? 0, word[i + 1] ?? 0);
      this.pairCounts.set(key, (this.pairCounts.get(key) ?? 0) + f);
      if (sign > 0) {
        let set = this.pairWords.get(key);
        if (set === undefined) this.pairWords.set(key, (set = new Set()));
        set.add(wi);
      }
      changed?.add(key);
    }
  }

  private merge(pair: number): void {
    const [left, right] = this.pairTokens(pair);
    const a = Math.floor(pair / PAIR_BASE);
    const b = pair - a * PAIR_BASE;
    const merged = this.idOf(this.opts.join(left, right));
    this.merges.push([left, right]);
    const changed = new Set<number>();
    for (const wi of this.pairWords.get(pair) ?? []) {
      const word = this.words[wi] ?? [];
      const next = mergeWord(word, a, b, merged);
      if (next.length === word.length) continue;
      this.addPairs(word, wi, -1);
      this.addPairs(next, wi, 1, changed);
      this.words[wi] = next;
    }
    this.pairWords.delete(pair);
    this.pairCounts.delete(pair);
    for (const key of changed) {
      const count = this.pairCounts.get(key) ?? 0;
      const [l, r] = [Math.floor(key / PAIR_BASE), key % PAIR_BASE];
      if (count > 0 && (l === merged || r === merged)) this.queue.push({ count, pair: key });
    }
  }
}

/** Replaces non-overlapping (a, b) occurrences, left to right, with `merged`. */
function mergeWord(word: readonly number[], a: number, b: number, merged: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < word.length; i++) {
    if (word[i] === a && word[i + 1] === b) {
      out.push(merged);
      i++;
    } else out.push(word[i] ?? 0);
  }
  return out;
}

/**
 * Learns merges over `wordCounts` (word → frequency). Deterministic: words and the alphabet are
 * sorted, and equal counts go to the smaller (left, right) pair.
 */
export function learnMerges(wordCounts: ReadonlyMap<string, number>, opts: LearnMergesOptions): LearnedMerges {
  const merger = new PieceMerger(wordCounts, opts);
  merger.run();
  return { tokens: merger.tokens, merges: merger.merges };
}

/** Counts the words `preTokenize` makes of each text. */
export function countPreTokens(texts: Iterable<string>, preTokenize: (text: string) => Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const w of preTokenize(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return counts;
}
