// Tests of column summaries (kinds, distinct counts, mean lengths) and of text/label column
// detection, on hand-made tables and on the shipped sms_spam.csv.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readTable, type Table } from '../../../server/datasets/readTable';
import { detectLabelColumn, detectTextColumn, summarizeColumns } from '../../../server/datasets/columns';
import { UserError } from '../../../server/errors';

const repo = path.resolve(__dirname, '../../..');

function table(columns: string[], rows: string[][]): Table {
  return { path: 'data.csv', format: 'csv', columns, rows };
}

const sentences = [
  'the film was a joy from start to finish',
  'a dull and lifeless story',
  'I would happily watch it again',
  'the acting felt wooden throughout',
  'an uplifting and clever comedy',
  'nothing here worked for me at all',
];

/** n rows: id, a sentence (made unique), a 2-way label, a score 0..n-1 as a float, a short code. */
function sample(n: number): Table {
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    rows.push([String(i + 1), `${sentences[i % sentences.length] ?? ''} (${i})`, i % 3 === 0 ? 'neg' : 'pos', (i / 7).toFixed(3), `c${i}`]);
  }
  return table(['id', 'review', 'sentiment', 'score', 'code'], rows);
}

test('summarizeColumns: kinds, distinct counts and mean lengths', () => {
  const s = summarizeColumns(sample(100));
  const byName = new Map(s.map((c) => [c.name, c]));
  assert.equal(byName.get('id')?.kind, 'numeric');
  assert.equal(byName.get('id')?.distinct, 100);
  assert.equal(byName.get('review')?.kind, 'text');
  assert.equal(byName.get('sentiment')?.kind, 'label');
  assert.equal(byName.get('sentiment')?.distinct, 2);
  assert.equal(byName.get('sentiment')?.meanLength, 3);
  assert.equal(byName.get('score')?.kind, 'numeric');
  assert.equal(byName.get('code')?.kind, 'other');
});

test('summarizeColumns: numeric labels with few values are labels; empty cells ignored', () => {
  const s = summarizeColumns(
    table(['text', 'y'], [['good movie overall', '1'], ['bad movie overall', '0'], ['', ''], ['fine movie overall', '1']]),
  );
  assert.equal(s[1]?.kind, 'label');
  assert.equal(s[1]?.distinct, 2);
  assert.equal(s[0]?.distinct, 3);
});

test('summarizeColumns: a few never-repeating sentences are text even in a tiny table', () => {
  const s = summarizeColumns(table(['text', 'label'], [['this is great', 'a'], ['this is awful', 'b'], ['so very dull', 'b']]));
  assert.equal(s[0]?.kind, 'text');
  assert.equal(s[1]?.kind, 'label');
});

test('summarizeColumns: a single repeated value is not a label', () => {
  const s = summarizeColumns(table(['text', 'lang'], [['hello there friend', 'en'], ['goodbye now friend', 'en']]));
  assert.equal(s[1]?.kind, 'other');
});

test('summarizeColumns: the label limit grows to 5% of the rows', () => {
  const rows = Array.from({ length: 1000 }, (_, i) => [`sentence number ${i} here`, `L${i % 50}`]);
  const s = summarizeColumns(table(['text', 'topic'], rows));
  assert.equal(s[1]?.kind, 'label'); // 50 ≤ 5% of 1000
  const few = summarizeColumns(table(['text', 'topic'], rows.slice(0, 400)));
  assert.equal(few[1]?.kind, 'other'); // 50 > max(20, 20)
});

test('detectTextColumn picks the longest free-text column', () => {
  const t = table(
    ['title', 'body', 'label'],
    Array.from({ length: 30 }, (_, i) => [`short title ${i}`, `a much longer body of text that goes on, number ${i}`, i % 2 ? 'a' : 'b']),
  );
  assert.equal(detectTextColumn(t, summarizeColumns(t)), 'body');
});

test('detectLabelColumn prefers a column named like a label', () => {
  const rows = Array.from({ length: 40 }, (_, i) => [`some sentence or other ${i}`, i % 2 ? 'x' : 'y', i % 4 ? 'p' : 'q']);
  const t = table(['text', 'split', 'Label'], rows);
  assert.equal(detectLabelColumn(t, summarizeColumns(t), 'text'), 'Label');
  const t2 = table(['text', 'split', 'coarse_label'], rows);
  assert.equal(detectLabelColumn(t2, summarizeColumns(t2), 'text'), 'coarse_label');
  const t3 = table(['text', 'first', 'second'], rows);
  assert.equal(detectLabelColumn(t3, summarizeColumns(t3), 'text'), 'second');
});

test('detectLabelColumn: a preferred name with too many values does not qualify', () => {
  const rows = Array.from({ length: 100 }, (_, i) => [`some sentence or other ${i}`, String(i), i % 2 ? 'x' : 'y']);
  const t = table(['text', 'label', 'flag'], rows);
  assert.equal(detectLabelColumn(t, summarizeColumns(t), 'text'), 'flag');
});

test('detection failures name the file, list the columns and suggest the overrides', () => {
  const t = table(['a', 'b'], [['1', 'x'], ['2', 'x']]);
  const s = summarizeColumns(t);
  assert.throws(
    () => detectTextColumn(t, s),
    (err: unknown) => err instanceof UserError && /data\.csv/.test(err.message) && err.message.includes('a, b') && err.message.includes('--text-col'),
  );
  assert.throws(
    () => detectLabelColumn(t, s, 'a'),
    (err: unknown) => err instanceof UserError && /data\.csv/.test(err.message) && err.message.includes('a, b') && err.message.includes('--label-col'),
  );
});

test('detection on the shipped sms_spam.csv: text column "text", label column "label"', async () => {
  const t = await readTable(path.join(repo, 'data/sms-spam/sms_spam.csv'));
  const s = summarizeColumns(t);
  assert.equal(detectTextColumn(t, s), 'text');
  assert.equal(detectLabelColumn(t, s, 'text'), 'label');
  assert.equal(s.find((c) => c.name === 'label')?.kind, 'label');
  assert.equal(s.find((c) => c.name === 'text')?.kind, 'text');
});

test('detection on the tiny-sentiment fixture', async () => {
  const t = await readTable(path.join(repo, 'test/fixtures/datasets/tiny-sentiment.csv'));
  const s = summarizeColumns(t);
  assert.deepEqual(s.map((c) => c.kind), ['numeric', 'text', 'label']);
  assert.equal(detectTextColumn(t, s), 'text');
  assert.equal(detectLabelColumn(t, s, 'text'), 'label');
});
