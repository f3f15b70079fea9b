// Tests for the BPE trainers: tokenizer.json shape (Rust-loadable), merges against a brute-force
// reference, exact byte-level round trips of any UTF-8, Metaspace words and unknown characters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tokenizer } from '@huggingface/tokenizers';
import { TextTokenizer } from '../../../server/tokenizers/textTokenizer';
import { BYTE_CHARS, trainByteLevelBpe, trainMetaspaceBpe } from '../../../server/tokenizers/trainBpe';
import { referenceMerges } from './referenceMerges';
import { assertRustLoadable } from './rustSchema';

const CORPUS = [
  'The cat sat on the mat.', 'The dog sat on the log!', 'Cats and dogs are friends, mostly.',
  'A café serves coffee; the coffee is hot.', 'Running, jumping and swimming are sports.',
  "Don't stop believing: hold on to the feeling.", 'Testing tokenizers is testing patience.',
  'The mat was red and the log was brown.', 'Free entry: win a prize now! Text WIN to 80086.',
  'Naïve résumé writers rewrite résumés. 😀 👍🏽 中文', 'the the the cat cat hat hat that',
];
const GPT2 = { specialTokens: ['<|endoftext|>'] } as const;

const vocabList = (vocab: Record<string, number>): string[] =>
  Object.entries(vocab).sort((x, y) => x[1] - y[1]).map(([t]) => t);

/** The words the library's normalizer + pre-tokenizer make of the corpus, counted. */
function libraryWords(json: object, texts: readonly string[]): Map<string, number> {
  const hf = new Tokenizer(json, {});
  const counts = new Map<string, number>();
  for (const t of texts) {
    for (const w of hf.pre_tokenizer?.pre_tokenize(hf.normalizer?.normalize(t) ?? t) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return counts;
}

const referenceBpe = (counts: Map<string, number>, initial: readonly string[], vocabSize: number) =>
  referenceMerges(counts, { initial, vocabSize, minFrequency: 2, split: (w) => Array.from(w), join: (l, r) => l + r });

test('bytes_to_unicode: 256 distinct characters, printable bytes map to themselves, space to Ġ', () => {
  assert.equal(new Set(BYTE_CHARS).size, 256);
  assert.deepEqual([BYTE_CHARS[0x21], BYTE_CHARS[0x41], BYTE_CHARS[0xe9]], ['!', 'A', 'é']);
  assert.deepEqual([BYTE_CHARS[0x20], BYTE_CHARS[0x0a], BYTE_CHARS[0x00], BYTE_CHARS[0xad]], ['Ġ', 'Ċ', 'Ā', 'Ń']);
});

const TRAINERS = [
  { name: 'byte-level', train: (size: number, min = 2) => trainByteLevelBpe(CORPUS, { ...GPT2, vocabSize: size, minFrequency: min }), base: 1 + 256 },
  {
    name: 'metaspace',
    train: (size: number, min = 2) => trainMetaspaceBpe(CORPUS, { vocabSize: size, minFrequency: min, specialTokens: ['<unk>'], unkToken: '<unk>' }),
    base: 2,
  },
];

for (const { name, train, base } of TRAINERS) {
  test(`${name}: merges and vocabulary match a brute-force reference at several sizes`, () => {
    for (const size of [base + 10, base + 60, base + 200]) {
      const json = train(size);
      const initial = vocabList(json.model.vocab).slice(0, base);
      const ref = referenceBpe(libraryWords(json, CORPUS), initial, size);
      assert.deepEqual(json.model.merges, ref.merges, `merges at ${size}`);
      assert.deepEqual(vocabList(json.model.vocab), ref.vocab, `vocab at ${size}`);
    }
  });

  test(`${name}: the library splits every training word as training left it, and the JSON is Rust-loadable`, () => {
    const json = train(base + 150);
    assertRustLoadable(json);
    const ref = referenceBpe(libraryWords(json, CORPUS), vocabList(json.model.vocab).slice(0, base), base + 150);
    const hf = new Tokenizer(json, {});
    for (const [word, pieces] of ref.words) assert.deepEqual(hf.model?.(([word])), pieces, word);
  });

  test(`${name}: deterministic, independent of text order, stops at minFrequency`, () => {
    assert.deepEqual(JSON.stringify(train(base + 100)), JSON.stringify(train(base + 100)));
    const alphabetOnly = train(10_000, 1_000);
    assert.equal(alphabetOnly.model.merges.length, 0);
    const all = train(10_000, 1);
    assert.ok(vocabList(all.model.vocab).length < 10_000);
  });
}

test('byte-level: the whole byte alphabet follows the special tokens, in code point order', () => {
  const json = trainByteLevelBpe(['aaa bbb'], { ...GPT2, vocabSize: 300 });
  const vocab = vocabList(json.model.vocab);
  assert.equal(vocab[0], '<|endoftext|>');
  assert.deepEqual(vocab.slice(1, 257), [...BYTE_CHARS].sort());
  assert.deepEqual(json.model.merges, ['a a', 'b b'], 'then merges, most frequent first');
  assert.deepEqual(json.pre_tokenizer, { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true });
  assert.deepEqual(json.decoder, { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true });
  assert.deepEqual([json.post_processor, json.normalizer, json.model.unk_token], [null, null, null]);
  assert.deepEqual(json.added_tokens, [{ id: 0, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }]);
  const prefixed = TextTokenizer.fromJson(trainByteLevelBpe(['aaa bbb'], { ...GPT2, vocabSize: 300, addPrefixSpace: true }), 'p');
  assert.deepEqual(prefixed.tokenize('bbb aaa').tokens, ['Ġ', 'bb', 'b', 'Ġ', 'aa', 'a'], 'the first word gets a Ġ too');
  assert.deepEqual(TextTokenizer.fromJson(json, 'j').tokenize('bbb aaa').tokens, ['bb', 'b', 'Ġ', 'aa', 'a']);
});

const UTF8_TEXTS = [
  'Hello world', '  leading and trailing spaces  ', 'naïve café résumé Ærøskøbing', 'emoji 😀👍🏽❤️‍🔥 family 👨‍👩‍👧',
  '中文字符 日本語 かな 한국어 עברית العربية', 'tabs\tnew\nlines\r\nand\u00a0nbsp\u200bzero-width', 'control \u0000 \u0007 \u001b[0m \ufffd',
  "punctuation!?.,;: 'quotes' \"double\" «guillemets» — … ’s 's 're", 'numbers 12345 3.14159 1e-9 $100 €5',
  'combining e\u0301 vs é, ligature ﬁ, Ⅻ', 'lone surrogate-free 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛', 'x'.repeat(300),
];

test('byte-level: any UTF-8 text round-trips exactly (tokens → ids → text), with and without special tokens', () => {
  const json = trainByteLevelBpe(CORPUS, { ...GPT2, vocabSize: 400 });
  const tok = TextTokenizer.fromJson(json, 'byte-level');
  for (const text of UTF8_TEXTS) {
    const { tokens, ids } = tok.tokenize(text);
    assert.deepEqual(ids, tokens.map((t) => json.model.vocab[t]), text);
    assert.ok(!ids.includes(0), 'no unknowns: every byte is in the vocabulary');
    assert.equal(tok.decode(ids), text);
    assert.equal(tok.decode([0, ...ids, 0], true), text);
  }
  assert.equal(tok.decode(tok.tokenize('a<|endoftext|>b').ids), 'a<|endoftext|>b');
  assert.deepEqual(tok.tokenize('a<|endoftext|>b').tokens, ['a', '<|endoftext|>', 'b']);
});

test('metaspace: words carry ▁, unseen characters become <unk>, decoding restores single spaces', () => {
  const json = trainMetaspaceBpe(CORPUS, { vocabSize: 300, specialTokens: ['<pad>', '<unk>'], unkToken: '<unk>' });
  assertRustLoadable(json);
  const vocab = vocabList(json.model.vocab);
  assert.deepEqual(vocab.slice(0, 3), ['<pad>', '<unk>', '▁']);
  for (const w of ['▁the', '▁cat', '▁sat']) assert.ok(vocab.includes(w), w);
  const tok = TextTokenizer.fromJson(json, 'metaspace');
  assert.deepEqual(tok.tokenize('the cat sat').tokens, ['▁the', '▁cat', '▁sat']);
  assert.deepEqual(tok.tokenize('the Ω').tokens, ['▁the', '▁', '<unk>']);
  for (const text of ['The cat sat on the mat.', 'Naïve résumé 😀 中文', 'the   cat\nsat']) {
    assert.equal(tok.decode(tok.tokenize(text).ids), text.split(/\s+/).join(' '));
  }
  assert.deepEqual(json.model.unk_token, '<unk>');
});

test('trailing tokens take the last ids and count in vocabSize', () => {
  const opts = { specialTokens: ['<unk>'], unkToken: '<unk>', trailingTokens: ['<b>', '<a>'] };
  const json = trainMetaspaceBpe(CORPUS, { ...opts, vocabSize: 100 });
  const vocab = vocabList(json.model.vocab);
  assert.deepEqual([vocab.length, vocab.at(-2), vocab.at(-1)], [100, '<b>', '<a>']);
  assert.deepEqual(json.added_tokens.map((t) => [t.content, t.id]), [['<unk>', 0], ['<b>', 98], ['<a>', 99]]);
  const early = vocabList(trainMetaspaceBpe(CORPUS, { ...opts, vocabSize: 10_000 }).model.vocab);
  assert.deepEqual(early.slice(-2), ['<b>', '<a>'], 'after the learned vocabulary when training stops early');
  assert.throws(() => trainMetaspaceBpe(CORPUS, { vocabSize: 50, specialTokens: [], unkToken: '<unk>' }), /unkToken/);
});
