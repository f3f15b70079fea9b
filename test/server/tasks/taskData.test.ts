/**
 * Reading and encoding each task's data: CoNLL and JSON tagged sentences (with their refusals),
 * word → sub-word alignment (label on the first piece, IGNORE_INDEX elsewhere), text pairs in the
 * tokenizer's pair template with longest-first truncation, and the split of unlabelled rows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../server/errors';
import { parseConll } from '../../../server/datasets/conll';
import { TaggedRecordReader } from '../../../server/datasets/taggedJson';
import { loadTaggedDataset } from '../../../server/datasets/taggedDataset';
import { loadPairDataset } from '../../../server/datasets/pairDataset';
import { encodeClassificationInput } from '../../../server/finetune/classificationBatches';
import { resolveFineTuneConfig } from '../../../server/finetune/fineTuneConfig';
import { exampleOf, loadRunData } from '../../../server/finetune/runData';
import { IGNORE_INDEX } from '../../../server/pretrain/masking';
import { splitRows } from '../../../server/tasks/heldOut';
import { alignWords, type PieceTokenizer } from '../../../server/tasks/tokenClassification/wordAlignment';
import { TextTokenizer } from '../../../server/tokenizers/textTokenizer';
import { trainTokenizerForFamily } from '../../../server/tokenizers/trainTokenizers';
import { tempDir } from '../finetune/finetuneFixtures';
import { NER_CONLL, NER_JSONL, PAIRS_CSV } from './taskFixtures';

const X = IGNORE_INDEX;
const rejects = (re: RegExp) => (e: unknown): boolean => e instanceof UserError && re.test(e.message);

test('CoNLL: token first, label last (extra columns ignored), tabs or spaces, -DOCSTART- and blank lines split sentences', () => {
  const text = '-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\nNew York\tB-LOC\n  \nPeter\tB-PER\r\n';
  assert.deepEqual(parseConll('a.conll', text), [
    { tokens: ['EU', 'rejects'], tags: ['B-ORG', 'O'] },
    { tokens: ['New York'], tags: ['B-LOC'] },
    { tokens: ['Peter'], tags: ['B-PER'] },
  ]);
  assert.throws(() => parseConll('a.conll', 'EU B-ORG\nrejects\n'), rejects(/a\.conll line 2 .*"rejects".*token<TAB>label/));
  assert.deepEqual(parseConll('h.tsv', 'token\tlabel\nOslo\tB-LOC\n'), [{ tokens: ['Oslo'], tags: ['B-LOC'] }], 'a header line is skipped');
});

test('JSON records: string or integer labels, label_names, and refusals naming the record', () => {
  const r = new TaggedRecordReader('t.jsonl');
  r.add('line 1', { tokens: ['Anna', 'sings'], ner_tags: [1, 0], label_names: ['O', 'B-PER'] });
  r.add('line 2', { tokens: ['Bo'], ner_tags: [1] });
  assert.deepEqual(r.finish(), { sentences: [{ tokens: ['Anna', 'sings'], tags: ['B-PER', 'O'] }, { tokens: ['Bo'], tags: ['B-PER'] }], labelNames: ['O', 'B-PER'] });
  const bad: [unknown, RegExp][] = [
    [{ tokens: ['a', 'b'], labels: ['O'] }, /t\.jsonl line 3: 2 tokens but 1 labels/],
    [{ tokens: 'a b', labels: ['O'] }, /"tokens" is missing/],
    [{ tokens: ['a'] }, /no list of labels/],
    [{ tokens: ['a'], labels: [7] }, /label id 7 is outside label_names/],
    [{ tokens: ['a'], labels: [null] }, /neither a non-empty string/],
  ];
  for (const [value, re] of bad) assert.throws(() => r.add('line 3', value), rejects(re), JSON.stringify(value));
  const late = new TaggedRecordReader('u.jsonl');
  late.add('line 1', { tokens: ['a'], labels: [0] });
  assert.throws(() => late.add('line 2', { tokens: ['b'], labels: [1], label_names: ['O', 'X'] }), rejects(/give it in the first record/));
});

test('tagged datasets: the fixtures read, label ids follow label_names, a validation file maps to the training tags', async () => {
  const conll = await loadTaggedDataset(NER_CONLL);
  assert.equal(conll.sentences.length, 40);
  assert.deepEqual(conll.labelNames, ['B-LOC', 'B-ORG', 'B-PER', 'I-ORG', 'I-PER', 'O']);
  const jsonl = await loadTaggedDataset(NER_JSONL);
  assert.equal(jsonl.sentences.length, 30);
  assert.deepEqual(jsonl.labelNames, ['O', 'B-PER', 'I-PER', 'B-LOC', 'B-ORG', 'I-ORG']);
  assert.deepEqual(jsonl.sentences[0]?.labels, [0, 0, 1, 0, 1, 0, 3, 0]);
  const mapped = await loadTaggedDataset(NER_JSONL, conll.labelNames);
  assert.deepEqual(mapped.sentences[0]?.labels, [5, 5, 2, 5, 2, 5, 0, 5]);
  const dir = tempDir('tl-tagged-');
  const odd = join(dir, 'odd.tsv');
  writeFileSync(odd, 'Paris\tB-GPE\n');
  await assert.rejects(loadTaggedDataset(odd, conll.labelNames), rejects(/odd\.tsv has labels the training file lacks: B-GPE/));
  const csv = join(dir, 'ner.csv');
  writeFileSync(csv, 'tokens,labels\n');
  await assert.rejects(loadTaggedDataset(csv), rejects(/ner\.csv: token classification reads CoNLL files/));
  const single = join(dir, 'single.conll');
  writeFileSync(single, 'a\tO\nb\tO\n');
  await assert.rejects(loadTaggedDataset(single), rejects(/single label/));
});

/** A tokenizer of literal pieces: [CLS]=2 … [SEP]=3 around the content, words split as the table says. */
const FAKE: PieceTokenizer = {
  encodePieces: (text) => ({ Washington: [10, 11], ' Washington': [10, 11], ' is': [12], ' \u200b': [], ' rainy': [13, 14, 15] } as Record<string, number[]>)[text] ?? [99],
  withSpecialTokens: (ids) => [2, ...ids, 3],
};

test('alignment: the label on the first piece of each word, IGNORE_INDEX on the rest and on special tokens', () => {
  const a = alignWords(FAKE, ['Washington', 'is', '\u200b', 'rainy'], [4, 0, 0, 1], 16);
  assert.deepEqual(a.ids, [2, 10, 11, 12, 13, 14, 15, 3]);
  assert.deepEqual(a.labels, [X, 4, X, 0, 1, X, X, X]);
  assert.deepEqual([a.words, a.emptyWords, a.truncatedWords], [3, 1, 0]);
  // maxLength 6 leaves 4 content tokens: "rainy" keeps its first piece (and label), nothing after it.
  const cut = alignWords(FAKE, ['Washington', 'is', 'rainy', 'Washington'], [4, 0, 1, 4], 6);
  assert.deepEqual(cut.ids, [2, 10, 11, 12, 13, 3]);
  assert.deepEqual(cut.labels, [X, 4, X, 0, 1, X]);
  assert.deepEqual([cut.words, cut.truncatedWords], [3, 1]);
});

test('alignment with real tokenizers: one label per word; GPT-2 word pieces join up to the sentence\'s own pieces', () => {
  const texts = ['Anna visited Washington yesterday.', 'The office of Nordic Bank is in Oslo.'];
  const words = ['Anna', 'visited', 'Washingtonians', 'yesterday', '.'];
  for (const family of ['bert', 'roberta', 'gpt2'] as const) {
    const tok = TextTokenizer.fromJson(trainTokenizerForFamily(family, texts, 120), family);
    const a = alignWords(tok, words, [1, 0, 2, 0, 0], 64);
    assert.deepEqual(a.labels.filter((l) => l !== X), [1, 0, 2, 0, 0], family);
    assert.equal(a.ids.length, a.labels.length);
    assert.deepEqual(a.ids, tok.withSpecialTokens(words.flatMap((w, i) => tok.encodePieces(i === 0 ? w : ` ${w}`))));
    if (family === 'gpt2') assert.deepEqual(a.ids, tok.encodePieces('Anna visited Washingtonians yesterday .'));
  }
});

test('text pairs: the tokenizer\'s pair template with token types 0 then 1, truncated longest-first', () => {
  const tok = TextTokenizer.fromJson(trainTokenizerForFamily('bert', ['the trip was fun', 'the meal was poor'], 100), 'bert');
  const [cls, sep] = [tok.clsId, tok.sepId];
  const pair = encodeClassificationInput(tok, 'the trip', 'was fun', 32, 2);
  const a = tok.encodePieces('the trip');
  const b = tok.encodePieces('was fun');
  assert.deepEqual(pair.ids, [cls, ...a, sep, ...b, sep]);
  assert.deepEqual(pair.typeIds, [0, ...a.map(() => 0), 0, ...b.map(() => 1), 1]);
  const long = 'the trip was fun the trip was fun the trip was fun';
  const maxLength = 3 + 2 * b.length + 1; // room for b and one piece more of a
  const cut = encodeClassificationInput(tok, long, 'was fun', maxLength, 2);
  assert.equal(cut.ids.length, maxLength);
  assert.deepEqual(cut.ids, [cls, ...tok.encodePieces(long).slice(0, b.length + 1), sep, ...b, sep], 'the longer text is cut first');
  assert.deepEqual(encodeClassificationInput(tok, 'the trip', 'was fun', 32, 1).typeIds, pair.ids.map(() => 0), 'one token type: all 0');
  assert.deepEqual(encodeClassificationInput(tok, 'the trip', undefined, 32, 2), { ids: tok.encode('the trip').ids });
});

test('pair datasets: the pair column is named, never detected; labels and the validation file map as for single texts', async () => {
  const data = await loadPairDataset(PAIRS_CSV, { textColumn: 'premise', pairColumn: 'hypothesis' });
  assert.deepEqual([data.textColumn, data.pairColumn, data.labelColumn], ['premise', 'hypothesis', 'label']);
  assert.deepEqual(data.labelNames, ['contradiction', 'entailment']);
  assert.deepEqual(data.examples[0], { text: 'The concert was boring.', pair: 'The concert was enjoyable.', label: 0 });
  const run = await loadRunData(resolveFineTuneConfig({ dataset: PAIRS_CSV, textColumn: 'premise', textPairColumn: 'hypothesis' }));
  assert.equal(run.train.length + run.val.length, 40);
  assert.equal(typeof exampleOf(run, run.val[0] ?? { source: 0, row: 0 }).pair, 'string');
  await assert.rejects(loadPairDataset(PAIRS_CSV, { pairColumn: 'nope' }), rejects(/has no column "nope"/));
  await assert.rejects(loadPairDataset(PAIRS_CSV, { textColumn: 'premise', pairColumn: 'premise' }), rejects(/cannot be both the text and the text pair column/));
});

test('row splits: uniform or stratified, a validation file keeps every row, --limit cuts the training part only', () => {
  const plain = splitRows(20, { valFraction: 0.2, seed: 1, limit: 0 }, false);
  assert.deepEqual([plain.train.length, plain.val.length], [16, 4]);
  assert.deepEqual(splitRows(20, { valFraction: 0.2, seed: 1, limit: 0 }, false), plain, 'seeded');
  const limited = splitRows(20, { valFraction: 0.2, seed: 1, limit: 5 }, false);
  assert.deepEqual([limited.train.length, limited.val], [5, plain.val]);
  assert.deepEqual(splitRows(6, { valFraction: 0.2, seed: 1, limit: 0 }, true), { train: [0, 1, 2, 3, 4, 5], val: [] });
  const classes = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
  const strat = splitRows(10, { valFraction: 0.2, seed: 3, limit: 0 }, false, classes);
  assert.deepEqual(strat.val.map((i) => classes[i]).sort(), [0, 1]);
});
