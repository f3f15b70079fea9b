// Tests for trainTokenizerForFamily: per family, the special tokens and their ids, the template
// around single texts and pairs, token types, truncation keeping trailing specials, round trips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tokenizer } from '@huggingface/tokenizers';
import { describeTokenizer, TextTokenizer } from '../../../server/tokenizers/textTokenizer';
import { trainTokenizerForFamily, type TokenizerFamily } from '../../../server/tokenizers/trainTokenizers';
import { assertRustLoadable } from './rustSchema';

const CORPUS = [
  'The quick brown fox jumps over the lazy dog.', 'A lazy dog sleeps in the sun all day.',
  'The fox is quick, and the dog is lazy!', 'Hello, world! Hello again, world.',
  'Machine learning models learn from data.', 'Transfer learning reuses a pretrained model.',
  'The café on the corner serves great coffee.', "I don't think it's going to rain today.",
  'Call me at 555-0100 before 9:30 tomorrow.', 'Free entry! Win a prize: text WIN to 80086 now.',
  'Are you coming to the party tonight?', 'She sells sea shells by the sea shore.',
];
const LONG = 'The quick brown fox jumps over the lazy dog and the lazy dog sleeps in the sun all day.';

interface Case {
  family: TokenizerFamily;
  kind: 'WordPiece' | 'BPE';
  /** Role → token, and the ids the specials must have. */
  specials: Record<string, string>;
  ids: Record<string, number>;
  /** Special tokens around A, and around A and B. */
  single: [string[], string[]];
  pair: [string[], string[], string[]];
  /** Token types of the pair parts [before+A+middle, B+after]. */
  pairTypes: [number, number];
  /** How "The café, Hello world!" decodes (special tokens skipped). */
  decoded: string;
}

const BERT_LIKE: Omit<Case, 'family'> = {
  kind: 'WordPiece',
  specials: { pad: '[PAD]', unk: '[UNK]', cls: '[CLS]', sep: '[SEP]', mask: '[MASK]' },
  ids: { pad: 0, unk: 1, cls: 2, sep: 3, mask: 4 },
  single: [['[CLS]'], ['[SEP]']],
  pair: [['[CLS]'], ['[SEP]'], ['[SEP]']],
  pairTypes: [0, 1],
  decoded: 'the cafe, hello world!',
};

const CASES: Case[] = [
  { family: 'bert', ...BERT_LIKE },
  { family: 'distilbert', ...BERT_LIKE },
  {
    family: 'roberta', kind: 'BPE',
    specials: { pad: '<pad>', unk: '<unk>', cls: '<s>', sep: '</s>', mask: '<mask>', bos: '<s>', eos: '</s>' },
    ids: { cls: 0, pad: 1, sep: 2, unk: 3, mask: 4 },
    single: [['<s>'], ['</s>']], pair: [['<s>'], ['</s>', '</s>'], ['</s>']], pairTypes: [0, 0],
    decoded: 'The café, Hello world!',
  },
  {
    family: 'albert', kind: 'BPE',
    specials: { pad: '<pad>', unk: '<unk>', cls: '[CLS]', sep: '[SEP]', mask: '[MASK]' },
    ids: { pad: 0, unk: 1, cls: 2, sep: 3, mask: 4 },
    single: [['[CLS]'], ['[SEP]']], pair: [['[CLS]'], ['[SEP]'], ['[SEP]']], pairTypes: [0, 1],
    decoded: 'the cafe, hello world!',
  },
  {
    family: 'gpt2', kind: 'BPE',
    specials: { pad: '<|endoftext|>', unk: '<|endoftext|>', bos: '<|endoftext|>', eos: '<|endoftext|>' },
    ids: { pad: 0, eos: 0 },
    single: [[], []], pair: [[], [], []], pairTypes: [0, 1],
    decoded: 'The café, Hello world!',
  },
  {
    family: 't5', kind: 'BPE',
    specials: { pad: '<pad>', unk: '<unk>', sep: '</s>', eos: '</s>' },
    ids: { pad: 0, eos: 1, unk: 2 },
    single: [[], ['</s>']], pair: [[], ['</s>'], ['</s>']], pairTypes: [0, 0],
    decoded: 'The café, Hello world!',
  },
];

for (const c of CASES) {
  const json = trainTokenizerForFamily(c.family, CORPUS, 600);
  const tok = TextTokenizer.fromJson(json, c.family);
  const pieces = (text: string): string[] => new Tokenizer(json, {}).tokenize(text);
  const id = (t: string): number => tok.tokenToId(t) ?? -1;

  test(`${c.family}: kind, special tokens and their ids; Rust-loadable`, () => {
    assertRustLoadable(json);
    assert.deepEqual(describeTokenizer(tok), { kind: c.kind, vocabSize: Object.keys(json.model.vocab).length, specialTokens: c.specials });
    for (const [role, expected] of Object.entries(c.ids)) assert.equal(tok.specialTokens[role as keyof typeof tok.specialTokens], expected, role);
    assert.equal(tok.padId, id(c.specials['pad'] ?? ''));
    assert.deepEqual([tok.clsId, tok.sepId, tok.maskId, tok.unkId], ['cls', 'sep', 'mask', 'unk'].map((r) => (c.specials[r] === undefined ? null : id(c.specials[r] ?? ''))));
  });

  test(`${c.family}: template around a text and a pair, with token types`, () => {
    const [a, b] = [pieces('the lazy dog'), pieces('a quick fox')];
    assert.deepEqual(tok.tokenize('the lazy dog').tokens, [...c.single[0], ...a, ...c.single[1]]);
    const pairTokens = [...c.pair[0], ...a, ...c.pair[1], ...b, ...c.pair[2]];
    const enc = tok.encode('the lazy dog', 'a quick fox');
    assert.deepEqual(enc.ids, pairTokens.map(id));
    const firstPart = c.pair[0].length + a.length + c.pair[1].length;
    assert.deepEqual(enc.tokenTypeIds, pairTokens.map((_, i) => (i < firstPart ? c.pairTypes[0] : c.pairTypes[1])));
  });

  test(`${c.family}: truncation keeps the trailing special tokens; padding uses padId`, () => {
    const full = tok.tokenize(LONG).ids;
    const batch = tok.encodeBatch([LONG, 'dog'], 8);
    const row0 = [...batch.inputIds.subarray(0, 8)];
    const after = c.single[1].map(id);
    assert.deepEqual(row0, [...full.slice(0, 8 - after.length), ...after]);
    const short = tok.encode('dog').ids;
    assert.deepEqual([...batch.inputIds.subarray(8)], [...short, ...new Array(8 - short.length).fill(tok.padId)]);
    assert.deepEqual([...batch.attentionMask.subarray(8)], [...short.map(() => 1), ...new Array(8 - short.length).fill(0)]);
    const pairBatch = tok.encodeBatch([LONG], 12, [LONG]);
    const tail = c.pair[2].map(id);
    assert.deepEqual([...pairBatch.inputIds.subarray(12 - tail.length)], tail);
    assert.equal(pairBatch.seqLength, 12);
  });

  test(`${c.family}: text → tokens → ids → text`, () => {
    const { tokens, ids } = tok.tokenize('The café, Hello world!');
    assert.deepEqual(ids, tokens.map(id));
    assert.equal(tok.decode(ids, true), c.decoded);
    assert.ok(!tokens.some((t) => t === c.specials['unk'] && t !== c.specials['eos']), 'no unknown tokens');
  });
}

test('gpt2: no padding token, so padId is the <|endoftext|> id', () => {
  const json = trainTokenizerForFamily('gpt2', CORPUS, 400);
  assert.ok(!('<pad>' in json.model.vocab) && !('[PAD]' in json.model.vocab));
  const tok = TextTokenizer.fromJson(json, 'gpt2');
  assert.equal(tok.padId, tok.eosId);
  assert.equal(tok.idToToken(tok.padId), '<|endoftext|>');
});

test('t5: <extra_id_0> has the highest id, <extra_id_99> comes right after the learned vocabulary', () => {
  const json = trainTokenizerForFamily('t5', CORPUS, 600);
  const tok = TextTokenizer.fromJson(json, 't5');
  const learned = Object.keys(json.model.vocab).length - 100;
  assert.equal(tok.tokenToId('<extra_id_0>'), tok.vocabSize - 1);
  assert.equal(tok.tokenToId('<extra_id_99>'), learned);
  assert.ok(!Object.keys(json.model.vocab).slice(0, learned).some((t) => t.includes('extra_id')));
  assert.equal(tok.tokenToId('<extra_id_100>'), undefined);
  assert.deepEqual(tok.tokenize('the <extra_id_0> dog').tokens, ['▁the', '<extra_id_0>', '▁dog', '</s>']);
  assert.equal(tok.decode(tok.tokenize('the <extra_id_0> dog').ids, true), 'the dog');
  const few = trainTokenizerForFamily('t5', CORPUS, 100, { extraIds: 3, minFrequency: 1 });
  assert.deepEqual(Object.entries(few.model.vocab).slice(-3), [['<extra_id_2>', 97], ['<extra_id_1>', 98], ['<extra_id_0>', 99]]);
});

test('roberta: <mask> takes the space before it, like Hugging Face', () => {
  const tok = TextTokenizer.fromJson(trainTokenizerForFamily('roberta', CORPUS, 600), 'roberta');
  const tokens = tok.tokenize('The <mask> dog').tokens;
  assert.deepEqual(tokens.slice(0, 3), ['<s>', 'The', '<mask>']);
  assert.equal(tokens[3], 'Ġdog', 'the word after <mask> keeps its space');
});
