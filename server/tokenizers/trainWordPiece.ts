/**
 * Trains a BERT-style WordPiece vocabulary (HF tokenizers' WordPiece trainer: BPE merges over
 * "##"-prefixed pieces) and returns the complete `tokenizer.json` object.
 */

export interface AddedTokenJson {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

export type TemplatePieceJson =
  | { SpecialToken: { id: string; type_id: number } }
  | { Sequence: { id: 'A' | 'B'; type_id: number } };

export interface TokenizerJson {
  version: '1.0';
  truncation: null;
  padding: null;
  added_tokens: AddedTokenJson[];
  normalizer: {
    type: 'BertNormalizer';
    clean_text: boolean;
    handle_chinese_chars: boolean;
    strip_accents: boolean | null;
    lowercase: boolean;
  };
  pre_tokenizer: { type: 'BertPreTokenizer' };
  post_processor: {
    type: 'TemplateProcessing';
    single: TemplatePieceJson[];
    pair: TemplatePieceJson[];
    special_tokens: Record<string, { id: string; ids: number[]; tokens: string[] }>;
  };
  decoder: { type: 'WordPiece'; prefix: string; cleanup: boolean };
  model: {
    type: 'WordPiece';
    unk_token: string;
    continuing_subword_prefix: string;
    max_input_chars_per_word: number;
    vocab: Record<string, number>;
  };
}

export interface TrainWordPieceOptions {
  vocabSize: number;
  /** A pair must occur at least this often (weighted by word counts) to be merged; default 2. */
  minFrequency?: number;
  /** Lowercase and strip accents, like bert-base-uncased; default true. */
  lowercase?: boolean;
}

/** [PAD]=0, [UNK]=1, [CLS]=2, [SEP]=3, [MASK]=4. */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
const PREFIX = '##';
const MAX_CHARS_PER_WORD = 100;

// ---------------------------------------------------------------------------------------------
// Normalization and pre-tokenization, mirroring BertNormalizer + BertPreTokenizer

const PUNCT = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const WORD_RE = new RegExp(`[^\\s${PUNCT}]+|[${PUNCT}]`, 'gu');
const CONTROL_RE = /^[\p{Cc}\p{Cf}\p{Co}\p{Cs}]$/u;
const SPACE_RE = /^\s$/;

function isChineseChar(cp: number): boolean {
  return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0xf900 && cp <= 0xfaff);
}

function cleanText(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.charCodeAt(0);
    if (cp === 0 || cp === 0xfffd) continue;
    if (ch !== '\t' && ch !== '\n' && ch !== '\r' && CONTROL_RE.test(ch)) continue;
    out += SPACE_RE.test(ch) ? ' ' : ch;
  }
  return out;
}

function padChineseChars(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    out += isChineseChar(text.charCodeAt(i)) ? ` ${ch} ` : ch;
  }
  return out;
}

/** The words the tokenizer's normalizer and pre-tokenizer would produce for `text`. */
export function bertPreTokenize(text: string, lowercase: boolean): string[] {
  let t = padChineseChars(cleanText(text));
  if (lowercase) t = t.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
  return t.trim().match(WORD_RE) ?? [];
}

// ---------------------------------------------------------------------------------------------
// A max-heap of candidate merges with lazy updates (stale counts are fixed when popped)

type Candidate = { count: number; pair: number };

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

// ---------------------------------------------------------------------------------------------
// The trainer

const PAIR_BASE = 1 << 22;
const pairKey = (a: number, b: number): number => a * PAIR_BASE + b;

class PieceMerger {
  readonly tokens: string[] = [...SPECIAL_TOKENS];
  private readonly ids = new Map<string, number>();
  private readonly words: number[][] = [];
  private readonly freqs: number[] = [];
  private readonly pairCounts = new Map<number, number>();
  private readonly pairWords = new Map<number, Set<number>>();
  private readonly queue = new MergeQueue((x, y) => this.before(x, y));

  constructor(wordCounts: ReadonlyMap<string, number>) {
    this.tokens.forEach((t, i) => this.ids.set(t, i));
    const alphabet = new Set<string>();
    const split = [...wordCounts.keys()].sort().map((w) => {
      const pieces = Array.from(w, (ch, i) => (i === 0 ? ch : PREFIX + ch));
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
  run(vocabSize: number, minFrequency: number): void {
    while (this.tokens.length < vocabSize && this.queue.size > 0) {
      const top = this.queue.pop();
      if (top === undefined) break;
      const actual = this.pairCounts.get(top.pair) ?? 0;
      if (actual !== top.count) {
        if (actual > 0) this.queue.push({ count: actual, pair: top.pair });
        continue;
      }
      if (actual < minFrequency) break;
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
    const merged = this.idOf(left + (right.startsWith(PREFIX) ? right.slice(PREFIX.length) : right));
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

/** Counts the pre-tokenized words of `texts` (words too long for the model are skipped). */
export function countWords(texts: Iterable<string>, lowercase: boolean): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const w of bertPreTokenize(text, lowercase)) {
      if (w.length > MAX_CHARS_PER_WORD && Array.from(w).length > MAX_CHARS_PER_WORD) continue;
      counts.set(w, (counts.get(w) ?? 0) + 1);
    }
  }
  return counts;
}

/** Trains a WordPiece vocabulary on `texts` and returns the full tokenizer.json object. */
export function trainWordPiece(texts: Iterable<string>, opts: TrainWordPieceOptions): TokenizerJson {
  const lowercase = opts.lowercase ?? true;
  const merger = new PieceMerger(countWords(texts, lowercase));
  merger.run(opts.vocabSize, Math.max(1, opts.minFrequency ?? 2));
  const vocab: Record<string, number> = Object.fromEntries(merger.tokens.map((t, i) => [t, i]));
  return buildTokenizerJson(vocab, lowercase);
}

function buildTokenizerJson(vocab: Record<string, number>, lowercase: boolean): TokenizerJson {
  const special = (id: string, typeId: number): TemplatePieceJson => ({ SpecialToken: { id, type_id: typeId } });
  const seq = (id: 'A' | 'B', typeId: number): TemplatePieceJson => ({ Sequence: { id, type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content, id) => ({
      id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]', 0), seq('A', 0), special('[SEP]', 0)],
      pair: [special('[CLS]', 0), seq('A', 0), special('[SEP]', 0), seq('B', 1), special('[SEP]', 1)],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: PREFIX, cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: PREFIX,
      max_input_chars_per_word: MAX_CHARS_PER_WORD,
      vocab,
    },
  };
}
