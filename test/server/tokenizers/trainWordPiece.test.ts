// Tests for the WordPiece trainer: tokenizer.json shape, merges (against a brute-force reference),
// determinism, stopping rules, and pre-tokenization that matches @huggingface/tokenizers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tokenizer } from '@huggingface/tokenizers';
import { bertPreTokenize, countWords, trainWordPiece } from '../../../server/tokenizers/trainWordPiece';
import { referenceMerges } from './referenceMerges';

const CORPUS = [
  'The cat sat on the mat.',
  'The dog sat on the log!',
  'Cats and dogs are friends, mostly.',
  'A café serves coffee; the coffee is hot.',
  'Running, jumping and swimming are sports.',
  "Don't stop believing: hold on to the feeling.",
  'Testing tokenizers is testing patience.',
  'The mat was red and the log was brown.',
  'Free entry: win a prize now! Text WIN to 80086.',
  'Naïve résumé writers rewrite résumés.',
];

const vocabList = (vocab: Record<string, number>): string[] =>
  Object.entries(vocab)
    .sort((x, y) => x[1] - y[1])
    .map(([t]) => t);

/** The trainer's algorithm, recounting every pair before each merge (slow but obviously right). */
function referenceVocab(texts: string[], vocabSize: number, minFrequency: number): string[] {
  return referenceMerges(countWords(texts, true), {
    initial: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'],
    vocabSize,
    minFrequency,
    split: (w) => Array.from(w, (c, i) => (i === 0 ? c : `##${c}`)),
    join: (l, r) => l + r.replace(/^##/, ''),
  }).vocab;
}

test('returns a Hugging Face BERT tokenizer.json', () => {
  const json = trainWordPiece(CORPUS, { vocabSize: 90 });
  assert.equal(json.version, '1.0');
  assert.deepEqual(
    json.added_tokens.map((t) => [t.id, t.content, t.special]),
    [[0, '[PAD]', true], [1, '[UNK]', true], [2, '[CLS]', true], [3, '[SEP]', true], [4, '[MASK]', true]],
  );
  assert.deepEqual(json.normalizer, {
    type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true,
  });
  assert.deepEqual(json.pre_tokenizer, { type: 'BertPreTokenizer' });
  assert.equal(json.post_processor.type, 'TemplateProcessing');
  assert.deepEqual(json.post_processor.special_tokens['[SEP]'], { id: '[SEP]', ids: [3], tokens: ['[SEP]'] });
  assert.deepEqual(json.decoder, { type: 'WordPiece', prefix: '##', cleanup: true });
  assert.equal(json.model.type, 'WordPiece');
  assert.equal(json.model.unk_token, '[UNK]');
  assert.equal(json.model.continuing_subword_prefix, '##');
  assert.equal(json.model.max_input_chars_per_word, 100);
  const vocab = vocabList(json.model.vocab);
  assert.deepEqual(vocab.slice(0, 5), ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
  assert.equal(vocab.length, 90);
  assert.deepEqual(Object.values(json.model.vocab).sort((x, y) => x - y), vocab.map((_, i) => i));
});

test('merges match a brute-force reference at several vocabulary sizes', () => {
  for (const size of [60, 100, 150, 400]) {
    const json = trainWordPiece(CORPUS, { vocabSize: size });
    assert.deepEqual(vocabList(json.model.vocab), referenceVocab(CORPUS, size, 2), `vocabSize ${size}`);
  }
});

test('starts from the character alphabet and keeps "##" only from the left part', () => {
  const json = trainWordPiece(CORPUS, { vocabSize: 200 });
  const vocab = vocabList(json.model.vocab);
  for (const ch of ['t', 'h', 'e', '##h', '##e', '.', '!', ',']) assert.ok(vocab.includes(ch), ch);
  assert.ok(vocab.includes('the'), 'frequent word "the" is one token');
  for (const t of vocab.slice(5)) assert.ok(!t.slice(2).includes('##') && t.length > 0, t);
  assert.ok(!vocab.includes('##.'), 'punctuation is its own word, never a continuation');
});

test('is deterministic and independent of text order', () => {
  const a = trainWordPiece(CORPUS, { vocabSize: 150 });
  const b = trainWordPiece([...CORPUS].reverse(), { vocabSize: 150 });
  assert.deepEqual(vocabList(a.model.vocab), vocabList(b.model.vocab));
  assert.deepEqual(JSON.stringify(a), JSON.stringify(trainWordPiece(CORPUS, { vocabSize: 150 })));
});

test('stops when no pair reaches minFrequency', () => {
  const alphabetOnly = trainWordPiece(CORPUS, { vocabSize: 10_000, minFrequency: 1_000 });
  const alphabet = new Set([...countWords(CORPUS, true).keys()].flatMap((w) => Array.from(w, (c, i) => (i ? `##${c}` : c))));
  assert.equal(Object.keys(alphabetOnly.model.vocab).length, 5 + alphabet.size);
  const big = trainWordPiece(CORPUS, { vocabSize: 10_000 });
  assert.ok(Object.keys(big.model.vocab).length < 10_000);
  const all = trainWordPiece(CORPUS, { vocabSize: 10_000, minFrequency: 1 });
  for (const word of countWords(CORPUS, true).keys()) assert.ok(word in all.model.vocab, word);
});

test('pre-tokenization strips accents, lowercases and splits punctuation', () => {
  assert.deepEqual(bertPreTokenize('Naïve CAFÉ, résumé!', true), ['naive', 'cafe', ',', 'resume', '!']);
  assert.deepEqual(bertPreTokenize('Naïve CAFÉ', false), ['Naïve', 'CAFÉ']);
  assert.deepEqual(bertPreTokenize("don't  stop...\tnow", true), ['don', "'", 't', 'stop', '.', '.', '.', 'now']);
  assert.deepEqual(bertPreTokenize('我爱你 ok', true), ['我', '爱', '你', 'ok']);
  assert.deepEqual(bertPreTokenize('', true), []);
});

test('pre-tokenization agrees with the library normalizer and pre-tokenizer', () => {
  const json = trainWordPiece(CORPUS, { vocabSize: 100 });
  const hf = new Tokenizer(json, {});
  const tricky = [
    'Hello, World! Ça va? Ünïcödé ÀÉÎÕÜ',
    'tabs\tand\nnew\r\nlines\u00a0nbsp\u2003em-space',
    'zero\u200bwidth\u200d joiner\u0000 nul \ufffd repl \u0007 bell',
    'emoji 😀👍🏽 ❤️ £100 €5 $3.50 50% #tag @user a_b',
    '中文字符 and 日本語 かな 한국어',
    '“quotes” ‘single’ — dashes – … ellipsis «guillemets»',
    'ﬁ ligature, Ⅻ numeral, ß, İstanbul, ΣΊΣΥΦΟΣ',
  ];
  for (const text of tricky) {
    const expected = hf.pre_tokenizer?.pre_tokenize(hf.normalizer?.normalize(text) ?? text) ?? [];
    assert.deepEqual(bertPreTokenize(text, true), expected, text);
  }
  const trained = new Tokenizer(trainWordPiece(tricky, { vocabSize: 50 }), {});
  for (const text of tricky) assert.ok(!trained.encode(text).tokens.includes('[UNK]'), text);
});

test('words longer than 100 characters are not counted', () => {
  const counts = countWords([`${'x'.repeat(101)} short`], true);
  assert.deepEqual([...counts.keys()], ['short']);
});
