// Tests for TextTokenizer: round trips through a trained tokenizer, file loading and errors,
// padded/truncated batches with pair token types, and a hand-written Hugging Face BERT file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { UserError } from '../../../server/errors';
import { TextTokenizer, tokenLengths } from '../../../server/tokenizers/textTokenizer';
import { trainWordPiece } from '../../../server/tokenizers/trainWordPiece';

const SENTENCES = [
  'The quick brown fox jumps over the lazy dog.', 'A lazy dog sleeps in the sun all day.',
  'The fox is quick, and the dog is lazy!', 'Hello, world! Hello again, world.',
  'Machine learning models learn from data.', 'Transfer learning reuses a pretrained model.',
  'Fine-tuning adapts the model to a new task.', 'Tokenizers split text into tokens and subwords.',
  'WordPiece marks continuing pieces with two hashes.', 'The café on the corner serves great coffee.',
  'Résumé writing is a naïve art.', "I don't think it's going to rain today.",
  'Call me at 555-0100 before 9:30 tomorrow.', 'Free entry! Win a prize: text WIN to 80086 now.',
  'Are you coming to the party tonight?', 'She sells sea shells by the sea shore.',
  'Learning rates warm up, then decay slowly.', 'Attention heads look at different tokens.',
  'The encoder reads the whole sentence at once.', 'Batches are padded to the longest sequence.',
  'Long texts are truncated to the maximum length.', 'Spam messages often promise free prizes.',
  'Ham messages are ordinary texts from friends.', 'The model predicts a label for every message.',
  'Running, running, and running again.', 'Cats and dogs are playing in the garden.',
  'The garden is green after the rain.', 'Good morning! Have a nice day.',
  'See you later, alligator.', 'Thanks for the help with the tokenizer!',
];
const TRAINED = trainWordPiece(SENTENCES, { vocabSize: 400 });
const tok = TextTokenizer.fromJson(TRAINED, 'trained');
const vocabId = (t: string): number | undefined => TRAINED.model.vocab[t];

function withTempDir(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'textTokenizer-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const ROUND_TRIPS: { text: string; tokens: string[]; decoded: string }[] = [
  { text: 'The lazy dog.', tokens: ['the', 'lazy', 'dog', '.'], decoded: 'the lazy dog.' },
  { text: 'Hello, world!', tokens: ['hello', ',', 'world', '!'], decoded: 'hello, world!' },
  { text: 'RUNNING in the GARDEN', tokens: ['running', 'in', 'the', 'garden'], decoded: 'running in the garden' },
  { text: 'gardening models', tokens: ['garden', '##ing', 'model', '##s'], decoded: 'gardening models' },
  { text: 'foxes', tokens: ['fox', '##es'], decoded: 'foxes' },
  { text: 'Are you coming tonight?', tokens: ['are', 'you', 'co', '##m', '##ing', 'to', '##n', '##ig', '##h', '##t', '?'], decoded: 'are you coming tonight?' },
  { text: "don't", tokens: ['d', '##on', "'", 't'], decoded: "don't" },
  { text: 'Café RÉSUMÉ', tokens: ['ca', '##f', '##e', 'r', '##es', '##um', '##e'], decoded: 'cafe resume' },
];

for (const { text, tokens, decoded } of ROUND_TRIPS) {
  test(`round trip: ${JSON.stringify(text)}`, () => {
    const out = tok.tokenize(text);
    assert.deepEqual(out.tokens, ['[CLS]', ...tokens, '[SEP]']);
    assert.deepEqual(out.ids, out.tokens.map(vocabId));
    assert.deepEqual(tok.encode(text).ids, out.ids);
    assert.equal(tok.decode(out.ids, true), decoded);
    assert.equal(tok.decode(out.ids), `[CLS] ${decoded} [SEP]`);
  });
}

test('special tokens have ids 0..4 and the vocabulary size counts every id', () => {
  assert.deepEqual([tok.padId, tok.unkId, tok.clsId, tok.sepId, tok.maskId], [0, 1, 2, 3, 4]);
  assert.equal(tok.vocabSize, Object.keys(TRAINED.model.vocab).length);
  assert.deepEqual(tok.tokenize('[MASK] dog').tokens, ['[CLS]', '[MASK]', 'dog', '[SEP]']);
});

test('unknown characters become [UNK], accents are stripped, punctuation is split', () => {
  assert.deepEqual(tok.tokenize('dog Ω ☃ 😀').tokens, ['[CLS]', 'dog', '[UNK]', '[UNK]', '[UNK]', '[SEP]']);
  assert.deepEqual(tok.tokenize('Naïve').tokens, tok.tokenize('naive').tokens);
  assert.deepEqual(tok.tokenize('dog,fox!?').tokens, ['[CLS]', 'dog', ',', 'fox', '!', '?', '[SEP]']);
  for (const s of SENTENCES) assert.ok(!tok.tokenize(s).tokens.includes('[UNK]'), s);
  assert.equal(tok.decode([]), '');
});

test('the tokenizer.json written to a file loads with fromFile and with the library', withTempDir(async (dir) => {
  const path = join(dir, 'tokenizer.json');
  writeFileSync(path, JSON.stringify(TRAINED, null, 2));
  const loaded = await TextTokenizer.fromFile(path);
  const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const hf = new Tokenizer(raw as object, {});
  for (const s of SENTENCES) {
    assert.deepEqual(loaded.tokenize(s).ids, tok.tokenize(s).ids, s);
    assert.deepEqual(hf.encode(s).ids, tok.tokenize(s).ids, s);
  }
  assert.deepEqual(loaded.toJSON(), TRAINED);
}));

test('pairs: [CLS] A [SEP] has type 0, B [SEP] has type 1', () => {
  const { ids, tokenTypeIds } = tok.encode('The dog.', 'A fox!');
  assert.deepEqual(ids, ['[CLS]', 'the', 'dog', '.', '[SEP]', 'a', 'fox', '!', '[SEP]'].map(vocabId));
  assert.deepEqual(tokenTypeIds, [0, 0, 0, 0, 0, 1, 1, 1, 1]);
  const hf = new Tokenizer(TRAINED, {}).encode('The dog.', { text_pair: 'A fox!', return_token_type_ids: true });
  assert.deepEqual([hf.ids, hf.token_type_ids], [ids, tokenTypeIds]);
  assert.deepEqual(tok.encode('The dog.').tokenTypeIds, [0, 0, 0, 0, 0]);
});

test('encodeBatch pads to the longest row and truncates keeping the final [SEP]', () => {
  const long = 'The quick brown fox jumps over the lazy dog.';
  const b = tok.encodeBatch(['The lazy dog.', long, 'dog'], 8);
  assert.deepEqual([b.batchSize, b.seqLength, b.lengths], [3, 8, [6, 8, 3]]);
  const row = (a: Int32Array, i: number): number[] => [...a.subarray(i * b.seqLength, (i + 1) * b.seqLength)];
  const full = tok.tokenize(long).ids;
  assert.deepEqual(row(b.inputIds, 1), [...full.slice(0, 7), tok.sepId]);
  assert.deepEqual(row(b.inputIds, 0), [...tok.tokenize('The lazy dog.').ids, 0, 0]);
  assert.deepEqual(row(b.inputIds, 2), [tok.clsId, vocabId('dog'), tok.sepId, 0, 0, 0, 0, 0]);
  assert.deepEqual(row(b.attentionMask, 0), [1, 1, 1, 1, 1, 1, 0, 0]);
  assert.deepEqual(row(b.attentionMask, 2), [1, 1, 1, 0, 0, 0, 0, 0]);
  assert.deepEqual([...b.tokenTypeIds], new Array(24).fill(0));
  const short = tok.encodeBatch(['dog', 'the dog'], 512);
  assert.deepEqual([short.seqLength, short.inputIds.length], [4, 8], 'padded to the batch, not maxLength');
  const empty = tok.encodeBatch([], 16);
  assert.deepEqual([empty.batchSize, empty.seqLength, empty.inputIds.length], [0, 0, 0]);
});

test('encodeBatch truncates pairs longest first and sets their token types', () => {
  const b = tok.encodeBatch(['The quick brown fox jumps over the lazy dog.', 'dog'], 10, ['A lazy dog.', 'fox']);
  const a = tok.tokenize('The quick brown fox jumps over the lazy dog.').ids.slice(1, 5);
  assert.deepEqual([...b.inputIds.subarray(0, 10)], [tok.clsId, ...a, tok.sepId, ...['a', 'lazy', 'dog'].map(vocabId), tok.sepId]);
  assert.deepEqual([...b.tokenTypeIds.subarray(0, 10)], [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
  assert.deepEqual([...b.inputIds.subarray(10)], [2, vocabId('dog'), 3, vocabId('fox'), 3, 0, 0, 0, 0, 0]);
  assert.deepEqual([...b.tokenTypeIds.subarray(10)], [0, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
  assert.deepEqual(b.lengths, [10, 5]);
  assert.throws(() => tok.encodeBatch(['a'], 2), UserError);
  assert.throws(() => tok.encodeBatch(['a', 'b'], 8, ['c']), /2 texts but 1 pairs/);
});

test('tokenLengths counts special tokens', () => {
  assert.deepEqual(tokenLengths(tok, ['dog', 'The lazy dog.', '']), [3, 6, 2]);
});

test('a missing or malformed tokenizer.json is a UserError naming the file', withTempDir(async (dir) => {
  const missing = join(dir, 'nope.json');
  await assert.rejects(TextTokenizer.fromFile(missing), (e: unknown) => e instanceof UserError && e.message.includes(missing));
  const cases: [string, string][] = [
    ['bad.json', '{"model": '],
    ['array.json', '[1, 2]'],
    ['nomodel.json', '{"version": "1.0"}'],
    ['notype.json', JSON.stringify({ model: { vocab: { a: 0 } } })],
    ['novocab.json', JSON.stringify({ model: { type: 'WordPiece', unk_token: '[UNK]' } })],
    ['weird.json', JSON.stringify({ ...TRAINED, model: { ...TRAINED.model, type: 'Weird' } })],
    ['badnorm.json', JSON.stringify({ ...TRAINED, normalizer: { type: 'NoSuchNormalizer' } })],
    ['nospecials.json', JSON.stringify({ ...TRAINED, added_tokens: [], model: { ...TRAINED.model, vocab: { a: 0, '[UNK]': 1 } } })],
  ];
  for (const [name, text] of cases) {
    const path = join(dir, name);
    writeFileSync(path, text);
    await assert.rejects(TextTokenizer.fromFile(path), (e: unknown) => e instanceof UserError && e.message.includes(path), name);
  }
  assert.throws(() => TextTokenizer.fromJson(null, 'in-memory'), /in-memory/);
}));

// A hand-written tokenizer.json laid out like bert-base-uncased's (different ids from ours).
const HF_VOCAB = [
  '[PAD]', '[unused0]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', '!', ',', '.', '?', 'a', 'the', 'hello', 'world',
  'good', 'morning', 'token', '##izer', '##s', 'is', 'fun', 'un', '##known', 'dog', '##gy', 'cafe', 'hi', '##!', 'to', 'you',
];
const HF_SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
function bertJson(postProcessor: unknown): Record<string, unknown> {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: HF_SPECIALS.map((content) => ({
      id: HF_VOCAB.indexOf(content), content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: postProcessor,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100,
      vocab: Object.fromEntries(HF_VOCAB.map((t, i) => [t, i])),
    },
  };
}
const TEMPLATE = {
  type: 'TemplateProcessing',
  single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
  pair: [
    { SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
    { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } },
  ],
  special_tokens: {
    '[CLS]': { id: '[CLS]', ids: [3], tokens: ['[CLS]'] },
    '[SEP]': { id: '[SEP]', ids: [4], tokens: ['[SEP]'] },
  },
};

for (const [name, processor] of [['TemplateProcessing', TEMPLATE], ['BertProcessing', { type: 'BertProcessing', sep: ['[SEP]', 4], cls: ['[CLS]', 3] }]] as const) {
  test(`a hand-written Hugging Face BERT tokenizer.json (${name}) gives the expected ids`, () => {
    const bert = TextTokenizer.fromJson(bertJson(processor), 'bert/tokenizer.json');
    assert.deepEqual([bert.padId, bert.unkId, bert.clsId, bert.sepId, bert.maskId, bert.vocabSize], [0, 2, 3, 4, 5, 30]);
    assert.deepEqual(bert.tokenize('Hello, world!').ids, [3, 12, 7, 13, 6, 4]);
    assert.deepEqual(bert.tokenize('Tokenizers are fun, doggy!').tokens,
      ['[CLS]', 'token', '##izer', '##s', '[UNK]', 'fun', ',', 'dog', '##gy', '!', '[SEP]']);
    assert.deepEqual(bert.tokenize('Café').ids, [3, 25, 4]);
    assert.equal(bert.decode(bert.tokenize('Hello, world!').ids, true), 'hello, world!');
    assert.deepEqual(bert.encode('Hi', 'Hello you'), { ids: [3, 26, 4, 12, 29, 4], tokenTypeIds: [0, 0, 0, 1, 1, 1] });
  });
}
