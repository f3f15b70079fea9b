// Test helper: plain BPE-style training that recounts every pair before each merge — slow but
// obviously right — to compare the trainers' incremental merge loop against.

export interface ReferenceOptions {
  initial: readonly string[];
  vocabSize: number;
  minFrequency: number;
  split(word: string): string[];
  join(left: string, right: string): string;
}

/** Vocabulary (by id), merges ("left right") and each word's final pieces. */
export function referenceMerges(counts: ReadonlyMap<string, number>, opts: ReferenceOptions) {
  const words = [...counts.keys()].map((w) => opts.split(w));
  const freqs = [...counts.values()];
  const vocab = [...opts.initial, ...[...new Set(words.flat())].filter((c) => !opts.initial.includes(c)).sort()];
  const merges: string[] = [];
  while (vocab.length < opts.vocabSize) {
    const pairs = new Map<string, { l: string; r: string; n: number }>();
    words.forEach((w, wi) => {
      for (let i = 0; i + 1 < w.length; i++) {
        const [l, r] = [w[i] ?? '', w[i + 1] ?? ''];
        const p = pairs.get(`${l}\u0000${r}`) ?? { l, r, n: 0 };
        p.n += freqs[wi] ?? 0;
        pairs.set(`${l}\u0000${r}`, p);
      }
    });
    const best = [...pairs.values()].sort((x, y) => y.n - x.n || (x.l < y.l ? -1 : x.l > y.l ? 1 : x.r < y.r ? -1 : 1))[0];
    if (best === undefined || best.n < opts.minFrequency) break;
    const merged = opts.join(best.l, best.r);
    merges.push(`${best.l} ${best.r}`);
    if (!vocab.includes(merged)) vocab.push(merged);
    words.forEach((w, wi) => {
      const out: string[] = [];
      for (let i = 0; i < w.length; i++) {
        if (w[i] === best.l && w[i + 1] === best.r) (out.push(merged), i++);
        else out.push(w[i] ?? '');
      }
      words[wi] = out;
    });
  }
  return { vocab, merges, words: new Map([...counts.keys()].map((w, i) => [w, words[i] ?? []])) };
}
