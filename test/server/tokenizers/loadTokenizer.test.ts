// Tests for loadTokenizerFromFolder: each route (tokenizer.json, vocab.txt, vocab.json + merges.txt)
// gives the ids of the equivalent tokenizer.json; the hand-made GPT-2 fixture; errors naming the folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../../server/errors';
import { loadTokenizerFromFolder } from '../../../server/tokenizers/loadTokenizer';
import { TextTokenizer } from '../../../server/tokenizers/textTokenizer';
import { trainTokenizerForFamily } from '../../../server/tokenizers/trainTokenizers';
import { trainWordPiece } from '../../../server/tokenizers/trainWordPiece';
import type { TokenizerJson } from '../../../server/tokenizers/tokenizerJson';
import { assertRustLoadable } from './rustSchema';

const GPT2_TINY = join(__dirname, '../../fixtures/tokenizers/gpt2-tiny');
const CORPUS = [
  'The quick brown fox jumps over the lazy dog.', 'Hello, world! Hello again, world.',
  'The café on the corner serves great coffee.', "I don't think it's going to rain today.",
  'Free entry! Win a prize: text WIN to 80086 now.', 'Naïve résumé writers rewrite résumés. 😀',
];
const PROBES = ['Hello world', 'The LAZY fox, naïvely!', "don't  stop 😀 80086", ''];

/** Runs `fn` in a fresh folder holding `files` (name → content). */
async function inFolder(files: Record<string, string>, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'loadTokenizer-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const byId = (vocab: Record<string, number>): string[] => Object.entries(vocab).sort((x, y) => x[1] - y[1]).map(([t]) => t);

function assertSameIds(loaded: TextTokenizer, json: TokenizerJson): void {
  const expected = TextTokenizer.fromJson(json, 'expected');
  for (const text of [...CORPUS, ...PROBES]) {
    assert.deepEqual(loaded.tokenize(text), expected.tokenize(text), text);
    assert.deepEqual(loaded.encode(text, 'a pair'), expected.encode(text, 'a pair'), text);
  }
  assert.deepEqual(loaded.specialTokens, expected.specialTokens);
  assert.equal(loaded.vocabSize, expected.vocabSize);
}

// gpt2-tiny: vocab.json ids 0..255 are the byte symbols in GPT-2 order ("H"=39, "e"=68, "t"=83,
// "!"=0, "Ġ"=220), then the results of the 20 merges of merges.txt (ids 256..275), <|endoftext|>=276.
// Ranks: 1 "Ġ w", 2 "o r", 3 "l l", 4 "e l", 5 "Ġw or", 6 "H e", 7 "l d", 8 "Ġwor ld", 9 "He ll",
// 10 "Hell o", 11 "Ġ t", 12 "h e", 13 "Ġt he", 14 "i n", 15 "in g", 16 "Ġ H", 17..20 "e r", "Ġ a", "o u", "t h".
// BPE repeatedly merges the adjacent pair with the lowest rank:
const GPT2_CASES: { text: string; tokens: string[]; ids: number[]; why: string }[] = [
  {
    text: 'Hello world', tokens: ['Hello', 'Ġworld'], ids: [265, 263],
    why: 'pre-tokens "Hello", "Ġworld". H e l l o: "l l"(3) beats "e l"(4) and "H e"(6) → H e ll o; then "H e"(6) → He ll o; ' +
      '"He ll"(9) → Hell o; "Hell o"(10) → Hello. Ġ w o r l d: "Ġ w"(1) → Ġw o r l d; "o r"(2) → Ġw or l d; ' +
      '"Ġw or"(5) → Ġwor l d; "l d"(7) → Ġwor ld; "Ġwor ld"(8) → Ġworld',
  },
  { text: 'Hello world!', tokens: ['Hello', 'Ġworld', '!'], ids: [265, 263, 0], why: '"!" is its own pre-token (not a letter)' },
  {
    text: 'the world Hello', tokens: ['t', 'he', 'Ġworld', 'Ġ', 'Hello'], ids: [83, 267, 263, 220, 265],
    why: 't h e: "h e"(12) beats "t h"(20) → t he, and "t he" is no merge. Ġ H e l l o: "l l"(3), "H e"(6), "He ll"(9), ' +
      '"Hell o"(10) all rank before "Ġ H"(16), which no longer exists once H is merged → Ġ Hello',
  },
  { text: 'singing', tokens: ['s', 'ing', 'ing'], ids: [82, 270, 270], why: '"i n"(14) at both places → s in g in g; "in g"(15) → s ing ing' },
  { text: ' the', tokens: ['Ġthe'], ids: [268], why: 'Ġ t h e: "Ġ t"(11) → Ġt h e; "h e"(12) → Ġt he; "Ġt he"(13) → Ġthe' },
];

for (const { text, tokens, ids, why } of GPT2_CASES) {
  test(`gpt2-tiny vocab.json + merges.txt: ${JSON.stringify(text)} → ${tokens.join(' ')} (${why.slice(0, 40)}…)`, async () => {
    const tok = await loadTokenizerFromFolder(GPT2_TINY);
    assert.deepEqual(tok.tokenize(text), { tokens, ids }, why);
    assert.equal(tok.decode(ids), text);
  });
}

test('gpt2-tiny: no special tokens added, pad falls back to <|endoftext|>, any UTF-8 round-trips', async () => {
  const tok = await loadTokenizerFromFolder(GPT2_TINY, 'gpt2');
  assert.deepEqual(tok.specialTokens, { pad: 276, unk: 276, cls: null, sep: null, mask: null, bos: 276, eos: 276 });
  assertRustLoadable(tok.toJSON());
  for (const text of ['naïve café 😀 — 你好\n\ttabs  ', 'Ærøskøbing 👨‍👩‍👧 \u0000', '']) assert.equal(tok.decode(tok.tokenize(text).ids), text);
  assert.deepEqual(tok.encode('Hello', 'world').tokenTypeIds, [0, 1, 1, 1], 'pair: w or ld, type 1');
  const batch = tok.encodeBatch(['Hello world', 'Hello'], 4);
  assert.deepEqual([...batch.inputIds], [265, 263, 265, 276]);
  await assert.rejects(loadTokenizerFromFolder(GPT2_TINY, 'roberta'), (e: unknown) => e instanceof UserError && /vocab\.json has no <\/?s> token/.test(e.message));
});

const ROUTES: { name: string; json: TokenizerJson; files: (json: TokenizerJson) => Record<string, string>; modelType?: string }[] = [
  { name: 'tokenizer.json (T5)', json: trainTokenizerForFamily('t5', CORPUS, 300), files: (j) => ({ 'tokenizer.json': JSON.stringify(j) }) },
  {
    name: 'vocab.txt (uncased BERT)', json: trainWordPiece(CORPUS, { vocabSize: 200 }),
    files: (j) => ({ 'vocab.txt': `${byId(j.model.vocab).join('\n')}\n` }),
  },
  {
    name: 'vocab.txt + tokenizer_config.json do_lower_case false (cased BERT)', json: trainWordPiece(CORPUS, { vocabSize: 200, lowercase: false }),
    files: (j) => ({ 'vocab.txt': byId(j.model.vocab).join('\r\n'), 'tokenizer_config.json': '{"do_lower_case": false}' }),
  },
  ...(['roberta', 'gpt2'] as const).flatMap((family) => [undefined, family].map((modelType) => ({
    name: `vocab.json + merges.txt (${family}, model type ${modelType ?? 'inferred'})`,
    json: trainTokenizerForFamily(family, CORPUS, 400),
    files: (j: TokenizerJson) => ({
      'vocab.json': JSON.stringify(j.model.vocab),
      'merges.txt': `#version: 0.2\n${j.model.type === 'BPE' ? j.model.merges.join('\n') : ''}\n`,
    }),
    ...(modelType === undefined ? {} : { modelType }),
  }))),
];

for (const { name, json, files, modelType } of ROUTES) {
  test(`${name} gives the same tokens, ids, pairs and special tokens as the tokenizer.json`, () =>
    inFolder(files(json), async (dir) => {
      const loaded = await loadTokenizerFromFolder(dir, modelType);
      assertSameIds(loaded, json);
      assertRustLoadable(loaded.toJSON());
    }));
}

test('config.json model_type picks the template when no model type is given', () => {
  const json = trainTokenizerForFamily('roberta', CORPUS, 400);
  const files = { 'vocab.json': JSON.stringify(json.model.vocab), 'merges.txt': json.model.type === 'BPE' ? json.model.merges.join('\n') : '' };
  return inFolder({ ...files, 'config.json': '{"model_type": "gpt2"}' }, async (dir) => {
    const plain = (await loadTokenizerFromFolder(dir)).tokenize('dog').tokens;
    assert.ok(plain.length > 0 && !plain.includes('<s>') && !plain.includes('</s>'), 'no <s> … </s>');
    assert.deepEqual((await loadTokenizerFromFolder(dir, 'roberta')).tokenize('dog').tokens, ['<s>', ...plain, '</s>']);
  });
});

test('tokenizer.json wins over vocab.txt', () => {
  const bert = trainWordPiece(CORPUS, { vocabSize: 200 });
  const gpt2 = trainTokenizerForFamily('gpt2', CORPUS, 300);
  return inFolder({ 'tokenizer.json': JSON.stringify(gpt2), 'vocab.txt': byId(bert.model.vocab).join('\n') }, async (dir) => {
    assert.equal((await loadTokenizerFromFolder(dir)).kind, 'BPE');
  });
});

const isUserError = (...parts: (string | RegExp)[]) => (e: unknown): boolean =>
  e instanceof UserError && parts.every((p) => (typeof p === 'string' ? e.message.includes(p) : p.test(e.message)));

const ERRORS: { name: string; files: Record<string, string>; message: (dir: string) => (string | RegExp)[] }[] = [
  { name: 'an empty folder', files: {}, message: (d) => [d, 'tokenizer.json', 'vocab.txt', 'vocab.json + merges.txt'] },
  {
    name: 'only a SentencePiece model', files: { 'spiece.model': 'binary', 'config.json': '{}' },
    message: (d) => [d, 'spiece.model', 'SentencePiece .model files are not supported', 'AutoTokenizer.from_pretrained(dir).save_pretrained(dir)', 'tokenizer.json'],
  },
  { name: 'sentencepiece.bpe.model', files: { 'sentencepiece.bpe.model': 'x' }, message: (d) => [d, 'sentencepiece.bpe.model', 'not supported'] },
  { name: 'vocab.json without merges.txt', files: { 'vocab.json': '{"a": 0}' }, message: (d) => [d, 'no merges.txt'] },
  { name: 'a malformed merges line', files: { 'vocab.json': '{"a": 0, "b": 1, "ab": 2}', 'merges.txt': '#version: 0.2\na b\nab\n' }, message: () => ['merges.txt line 3'] },
  { name: 'a merge outside the vocabulary', files: { 'vocab.json': '{"a": 0, "b": 1}', 'merges.txt': 'a b\n' }, message: () => ['merges.txt line 1', 'ab'] },
  { name: 'a vocab.json that is not a token → id map', files: { 'vocab.json': '["a"]', 'merges.txt': '' }, message: (d) => [join(d, 'vocab.json')] },
  { name: 'a vocab.txt without [CLS]', files: { 'vocab.txt': '[PAD]\n[UNK]\n[SEP]\na\n' }, message: (d) => [join(d, 'vocab.txt'), '[CLS]'] },
  { name: 'a broken tokenizer_config.json', files: { 'vocab.txt': '[UNK]\n', 'tokenizer_config.json': '{' }, message: (d) => [join(d, 'tokenizer_config.json'), 'not valid JSON'] },
  { name: 'a broken tokenizer.json', files: { 'tokenizer.json': '{"model": 1}' }, message: (d) => [join(d, 'tokenizer.json')] },
];

for (const { name, files, message } of ERRORS) {
  test(`UserError for ${name}`, () => inFolder(files, (dir) => assert.rejects(loadTokenizerFromFolder(dir), isUserError(...message(dir)))));
}

test('UserError for a folder that does not exist', async () => {
  const dir = join(tmpdir(), 'no-such-tokenizer-folder-3141');
  await assert.rejects(loadTokenizerFromFolder(dir), isUserError(dir, 'not found'));
});
