// Tests for special-token detection and templates on hand-written files laid out like Hugging
// Face's: T5 and ALBERT (Unigram + Metaspace), GPT-2 (ByteLevel post-processor), BERT; and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../../../server/errors';
import { describeTokenizer, TextTokenizer } from '../../../server/tokenizers/textTokenizer';
import { trainTokenizerForFamily } from '../../../server/tokenizers/trainTokenizers';
import { trainWordPiece } from '../../../server/tokenizers/trainWordPiece';

const METASPACE = { type: 'Metaspace', replacement: '▁', add_prefix_space: true, prepend_scheme: 'always', split: true };
const PIECES: [string, number][] = [
  ['▁', -3], ['▁Hello', -5], ['▁wor', -2], ['ld', -2], ['▁world', -5], ['▁the', -1],
  ...[...'Hdelorwth'].map((c): [string, number] => [c, -8]),
];
const special = (id: number, content: string): Record<string, unknown> => ({
  id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
});
const piece = (id: string, typeId = 0): unknown => (id.startsWith('$') ? { Sequence: { id: id.slice(1), type_id: typeId } } : { SpecialToken: { id, type_id: typeId } });

/** A Unigram tokenizer.json like HF's t5-small / albert-base-v2 (smaller vocabulary). */
function unigramJson(specials: string[], unkId: number, single: unknown[], pair: unknown[], extra: string[] = []): Record<string, unknown> {
  const vocab: [string, number][] = [...specials.map((s): [string, number] => [s, 0]), ...PIECES, ...extra.map((s): [string, number] => [s, 0])];
  const ids = (t: string): number => vocab.findIndex(([v]) => v === t);
  const tokens = [...new Set([...single, ...pair].flatMap((p) => (typeof p === 'object' && p !== null && 'SpecialToken' in p ? [(p as { SpecialToken: { id: string } }).SpecialToken.id] : [])))];
  return {
    version: '1.0', truncation: null, padding: null,
    added_tokens: [...specials, ...extra].map((t) => special(ids(t), t)),
    normalizer: null,
    pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' }, METASPACE] },
    post_processor: {
      type: 'TemplateProcessing', single, pair,
      special_tokens: Object.fromEntries(tokens.map((t) => [t, { id: t, ids: [ids(t)], tokens: [t] }])),
    },
    decoder: METASPACE,
    model: { type: 'Unigram', unk_id: unkId, vocab },
  };
}

const T5 = unigramJson(['<pad>', '</s>', '<unk>'], 2, [piece('$A'), piece('</s>')], [piece('$A'), piece('</s>'), piece('$B'), piece('</s>')], ['<extra_id_1>', '<extra_id_0>']);
// HF's ALBERT uses Metaspace alone; the library's Metaspace ignores `split`, Unigram still finds the words.
const ALBERT: Record<string, unknown> = {
  ...unigramJson(
    ['<pad>', '<unk>', '[CLS]', '[SEP]', '[MASK]'], 1,
    [piece('[CLS]'), piece('$A'), piece('[SEP]')],
    [piece('[CLS]'), piece('$A'), piece('[SEP]'), piece('$B', 1), piece('[SEP]', 1)],
  ),
  pre_tokenizer: METASPACE,
};

const UNIGRAM_CASES = [
  {
    name: 'T5', json: T5, specials: { pad: 0, unk: 2, cls: null, sep: 1, mask: null, bos: null, eos: 1 },
    // Viterbi: "▁wor" + "ld" (-2 + -2) beats "▁world" (-5); "▁Hello" (-5) beats any split into letters.
    hello: ['▁Hello', '▁wor', 'ld', '</s>'], pair: [[], ['</s>'], ['</s>']], pairTypes: [0, 0],
    describe: { pad: '<pad>', unk: '<unk>', sep: '</s>', eos: '</s>' },
  },
  {
    name: 'ALBERT', json: ALBERT, specials: { pad: 0, unk: 1, cls: 2, sep: 3, mask: 4, bos: null, eos: null },
    hello: ['[CLS]', '▁Hello', '▁wor', 'ld', '[SEP]'], pair: [['[CLS]'], ['[SEP]'], ['[SEP]']], pairTypes: [0, 1],
    describe: { pad: '<pad>', unk: '<unk>', cls: '[CLS]', sep: '[SEP]', mask: '[MASK]' },
  },
] as const;

for (const c of UNIGRAM_CASES) {
  test(`a Hugging Face style ${c.name} tokenizer.json (Unigram): special tokens, template, truncation, decode`, () => {
    const tok = TextTokenizer.fromJson(c.json, `${c.name}/tokenizer.json`);
    assert.deepEqual(tok.specialTokens, c.specials);
    assert.deepEqual(describeTokenizer(tok), { kind: 'Unigram', vocabSize: (c.json['model'] as { vocab: unknown[] }).vocab.length, specialTokens: c.describe });
    assert.deepEqual(tok.tokenize('Hello world').tokens, c.hello);
    // An unknown character keeps its text as the token (as in the Rust crate) but gets the unk id.
    const unknown = tok.tokenize('the Ω');
    assert.deepEqual(unknown.ids.slice(c.pair[0].length, c.pair[0].length + 3), ['▁the', '▁', '<unk>'].map((t) => tok.tokenToId(t)));
    assert.equal(tok.decode(tok.tokenize('Hello world').ids, true), 'Hello world');
    const a = ['▁the', '▁Hello'];
    const enc = tok.encode('the Hello', 'the');
    const expected = [...c.pair[0], ...a, ...c.pair[1], '▁the', ...c.pair[2]];
    assert.deepEqual(enc.ids, expected.map((t) => tok.tokenToId(t)));
    const split = c.pair[0].length + a.length + c.pair[1].length;
    assert.deepEqual(enc.tokenTypeIds, expected.map((_, i) => (i < split ? c.pairTypes[0] : c.pairTypes[1])));
    const truncated = tok.encodeBatch(['Hello world the the the'], 4);
    assert.deepEqual([...truncated.inputIds].map((id) => tok.idToToken(id)), [...c.hello.slice(0, 3), c.hello.at(-1)]);
  });
}

test('T5: <extra_id_0> is one token and has the highest id', () => {
  const tok = TextTokenizer.fromJson(T5, 't5');
  assert.equal(tok.tokenToId('<extra_id_0>'), tok.vocabSize - 1);
  assert.deepEqual(tok.tokenize('the <extra_id_0> Hello').tokens, ['▁the', '<extra_id_0>', '▁Hello', '</s>']);
});

test('a GPT-2 tokenizer.json with a ByteLevel post-processor (as HF writes it) keeps both texts of a pair', () => {
  const plain = trainTokenizerForFamily('gpt2', ['hello world', 'hello there world'], 300);
  const hfLayout = { ...plain, post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true } };
  const [a, b] = [TextTokenizer.fromJson(plain, 'plain'), TextTokenizer.fromJson(hfLayout, 'hf')];
  assert.deepEqual(b.encode('hello', ' world'), a.encode('hello', ' world'));
  assert.deepEqual(b.encode('hello', ' world').ids, [...a.encode('hello').ids, ...a.encode(' world').ids]);
  assert.deepEqual(b.specialTokens, a.specialTokens);
  assert.equal(b.padId, b.eosId);
});

test('a Sequence post-processor (ByteLevel then RobertaProcessing) behaves as RobertaProcessing alone', () => {
  const plain = trainTokenizerForFamily('roberta', ['hello world', 'hello there world'], 300);
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  const sequence = { ...plain, post_processor: { type: 'Sequence', processors: [byteLevel, plain.post_processor] } };
  const [a, b] = [TextTokenizer.fromJson(plain, 'plain'), TextTokenizer.fromJson(sequence, 'sequence')];
  assert.deepEqual(b.encode('hello', 'world'), a.encode('hello', 'world'));
  assert.deepEqual(b.encode('hello', 'world').tokenTypeIds, new Array(a.encode('hello', 'world').ids.length).fill(0), 'RoBERTa: all type 0');
  assert.deepEqual(b.specialTokens, a.specialTokens);
});

test('BERT: specialTokens, getters and describeTokenizer', () => {
  const tok = TextTokenizer.fromJson(trainWordPiece(['the dog', 'the cat'], { vocabSize: 50 }), 'bert');
  assert.deepEqual(tok.specialTokens, { pad: 0, unk: 1, cls: 2, sep: 3, mask: 4, bos: null, eos: null });
  assert.deepEqual([tok.padId, tok.unkId, tok.clsId, tok.sepId, tok.maskId, tok.bosId, tok.eosId], [0, 1, 2, 3, 4, null, null]);
  assert.deepEqual(describeTokenizer(tok).specialTokens, { pad: '[PAD]', unk: '[UNK]', cls: '[CLS]', sep: '[SEP]', mask: '[MASK]' });
});

test('UserError when nothing can pad or a template token is not in the vocabulary', () => {
  const noPad = unigramJson(['<unk>'], 0, [piece('$A')], [piece('$A'), piece('$B')]);
  assert.throws(() => TextTokenizer.fromJson(noPad, 'nopad.json'), (e: unknown) => e instanceof UserError && /nopad\.json has no padding token/.test(e.message));
  const badTemplate = unigramJson(['<pad>', '<unk>'], 1, [piece('$A'), piece('</s>')], [piece('$A'), piece('$B')]);
  (badTemplate['post_processor'] as { special_tokens: object }).special_tokens = {};
  assert.throws(() => TextTokenizer.fromJson(badTemplate, 'bad.json'), (e: unknown) => e instanceof UserError && /bad\.json.*<\/s>/.test(e.message));
});
