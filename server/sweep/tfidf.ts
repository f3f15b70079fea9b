/**
 * TF-IDF features of texts as sparse rows: lowercased word unigrams and bigrams, a minimum
 * document frequency, sublinear tf, smoothed idf and l2-normalised rows (scikit-learn's
 * TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True) with its default smooth idf).
 */

/** A sparse feature row: ascending feature indices and their values. */
export interface SparseRow {
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

export interface TfidfConfig {
  /** Keep terms that occur in at least this many training documents. */
  readonly minDf: number;
  /** Keep at most this many terms, the most frequent by document frequency (ties: code-point order). */
  readonly maxFeatures: number;
  /** 1 + ln(tf) instead of the raw count. */
  readonly sublinearTf: boolean;
}

export const DEFAULT_TFIDF_CONFIG: TfidfConfig = Object.freeze({
  minDf: 2, // a term seen once says nothing that generalises
  maxFeatures: 20_000, // bounds memory and time on large corpora; SMS spam has ~8k such terms
  sublinearTf: true,
});

/** Words: maximal runs of Unicode letters and digits, lowercased (so "don't" is "don", "t"). */
const WORD = /[\p{L}\p{N}]+/gu;

/** The lowercased unigrams of a text followed by its bigrams ("a b"). */
export function terms(text: string): string[] {
  const words = text.toLowerCase().match(WORD) ?? [];
  const bigrams = words.slice(1).map((w, i) => `${words[i] ?? ''} ${w}`);
  return [...words, ...bigrams];
}

function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of terms(text)) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A fitted vocabulary with its idf weights; `transform` turns any text into a sparse row. */
export class TfidfVectorizer {
  private constructor(
    /** Term → feature index. */
    readonly vocabulary: ReadonlyMap<string, number>,
    /** idf per feature: ln((1 + n) / (1 + df)) + 1. */
    readonly idf: Float64Array,
    private readonly config: TfidfConfig,
  ) {}

  static fit(texts: readonly string[], config: TfidfConfig = DEFAULT_TFIDF_CONFIG): TfidfVectorizer {
    const df = new Map<string, number>();
    for (const text of texts) for (const t of termCounts(text).keys()) df.set(t, (df.get(t) ?? 0) + 1);
    const kept = [...df].filter(([, d]) => d >= config.minDf)
      .sort((a, b) => b[1] - a[1] || byCodePoint(a[0], b[0]))
      .slice(0, config.maxFeatures)
      .map(([t]) => t)
      .sort(byCodePoint); // feature order independent of frequencies, as scikit-learn's
    const idf = new Float64Array(kept.length);
    kept.forEach((t, i) => void (idf[i] = Math.log((1 + texts.length) / (1 + (df.get(t) ?? 0))) + 1));
    return new TfidfVectorizer(new Map(kept.map((t, i) => [t, i])), idf, config);
  }

  get size(): number {
    return this.idf.length;
  }

  transform(text: string): SparseRow {
    const entries: [number, number][] = [];
    for (const [t, count] of termCounts(text)) {
      const index = this.vocabulary.get(t);
      if (index === undefined) continue;
      const tf = this.config.sublinearTf ? 1 + Math.log(count) : count;
      entries.push([index, tf * (this.idf[index] ?? 0)]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    const norm = Math.sqrt(entries.reduce((s, [, v]) => s + v * v, 0));
    return {
      indices: Int32Array.from(entries, ([i]) => i),
      values: Float64Array.from(entries, ([, v]) => (norm > 0 ? v / norm : 0)),
    };
  }
}
