/**
 * Packing (server/pretrain/packing.ts): literal layouts for masked LM, causal LM and T5, special
 * tokens stripped before packing, and the last partial block kept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packDocuments, contentIds, packLayoutFor, packText } from '../../../server/pretrain/packing';
import { rawLengthForInputs } from '../../../server/pretrain/spanCorruption';
import { TextTokenizer } from '../../../server/tokenizers/textTokenizer';
import { trainTokenizerForFamily } from '../../../server/tokenizers/trainTokenizers';

const DOCS = [[1, 2, 3], [4, 5], [6, 7, 8, 9]];

test('masked-LM layout: [CLS] content [SEP] blocks, [SEP] between documents, last block kept short', () => {
  const blocks = packDocuments(DOCS, { prefix: [100], suffix: [101], separator: [101], blockLength: 5 });
  assert.deepEqual(blocks, [[100, 1, 2, 3, 101], [100, 4, 5, 101, 101], [100, 6, 7, 8, 101], [100, 9, 101]]);
});

test('causal layout: plain blocks, documents joined by the end-of-text token', () => {
  const blocks = packDocuments(DOCS, { prefix: [], suffix: [], separator: [0], blockLength: 4 });
  assert.deepEqual(blocks, [[1, 2, 3, 0], [4, 5, 0, 6], [7, 8, 9]]);
});

test('a separator that would open a block is skipped; empty documents are ignored', () => {
  const blocks = packDocuments([[1, 2], [], [3, 4], [5]], { prefix: [], suffix: [], separator: [0], blockLength: 2 });
  assert.deepEqual(blocks, [[1, 2], [3, 4], [5]]);
  assert.deepEqual(packDocuments([], { prefix: [7], suffix: [8], separator: [8], blockLength: 4 }), []);
  assert.throws(() => packDocuments(DOCS, { prefix: [7], suffix: [8], separator: [8], blockLength: 2 }), /no room/);
});

const LINES = ['the cat sat on the mat', 'a dog ran in the park', 'the cat and the dog played', 'birds sang in the trees'];

test('content ids drop the template tokens: [CLS]/[SEP], <s>/</s>, trailing </s>; GPT-2 adds none', () => {
  for (const family of ['bert', 'roberta', 'albert', 'gpt2', 't5'] as const) {
    const tok = TextTokenizer.fromJson(trainTokenizerForFamily(family, LINES, 120, { extraIds: 4 }), family);
    const full = tok.encode(LINES[0] as string).ids;
    const content = contentIds(tok, LINES[0] as string);
    const specials = new Set(Object.values(tok.specialTokens));
    assert.ok(content.length > 0 && content.every((id) => !specials.has(id)), `${family}: ${content.join(' ')}`);
    assert.equal(full.length - content.length, { bert: 2, roberta: 2, albert: 2, gpt2: 0, t5: 1 }[family], family);
  }
});

test('packText per objective: block lengths, framing and T5 raw length', () => {
  const lines = Array.from({ length: 30 }, (_, i) => LINES[i % LINES.length] as string);
  const bert = TextTokenizer.fromJson(trainTokenizerForFamily('bert', lines, 120), 'bert');
  const mlm = packText('masked-lm', bert, lines, 16);
  assert.ok(mlm.length > 3);
  for (const b of mlm.slice(0, -1)) assert.equal(b.length, 16);
  for (const b of mlm) assert.ok(b[0] === bert.clsId && b.at(-1) === bert.sepId);

  const gpt2 = TextTokenizer.fromJson(trainTokenizerForFamily('gpt2', lines, 300), 'gpt2');
  const causal = packText('causal-lm', gpt2, lines, 16);
  const eos = gpt2.eosId as number;
  const text = lines.flatMap((l) => contentIds(gpt2, l));
  assert.deepEqual(causal.flat().filter((id) => id !== eos), text, 'every token once, in order');
  const separators = causal.flat().length - text.length;
  assert.ok(separators <= lines.length - 1 && separators >= lines.length - 1 - causal.length, 'one <|endoftext|> between lines, except at block starts');
  assert.ok(causal.every((b) => b[0] !== eos));

  const t5 = TextTokenizer.fromJson(trainTokenizerForFamily('t5', lines, 200, { extraIds: 10 }), 't5');
  assert.equal(packLayoutFor('seq2seq-lm', t5, 16).blockLength, rawLengthForInputs(16));
  for (const b of packText('seq2seq-lm', t5, lines, 16).slice(0, -1)) assert.equal(b.length, rawLengthForInputs(16));
});

test('a tokenizer without the needed special token is refused', () => {
  const gpt2 = TextTokenizer.fromJson(trainTokenizerForFamily('gpt2', LINES, 300), 'gpt2');
  assert.throws(() => packLayoutFor('masked-lm', gpt2, 16), /no classification/);
});
