// Tests of loadLabelledDataset and inspectDataset: column choice, label ids, skipped rows and
// every refusal, on temp files and on the shipped sms_spam.csv.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspectDataset, loadLabelledDataset } from '../../../server/datasets/labelledDataset';
import { UserError } from '../../../server/errors';

const repo = path.resolve(__dirname, '../../..');
const sms = path.join(repo, 'data/sms-spam/sms_spam.csv');
const tiny = path.join(repo, 'test/fixtures/datasets/tiny-sentiment.csv');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
}

function isUserError(file: string, ...phrases: string[]): (err: unknown) => boolean {
  return (err: unknown) => {
    assert.ok(err instanceof UserError, `expected a UserError, got ${String(err)}`);
    assert.ok(err.message.includes(path.basename(file)), `message names the file: ${err.message}`);
    for (const p of phrases) assert.ok(err.message.includes(p), `message includes "${p}": ${err.message}`);
    return true;
  };
}

test('sms_spam.csv: detected columns, 5574 examples, ham 4827 / spam 747', async () => {
  const d = await loadLabelledDataset(sms);
  assert.equal(d.textColumn, 'text');
  assert.equal(d.labelColumn, 'label');
  assert.deepEqual(d.labelNames, ['ham', 'spam']);
  assert.equal(d.examples.length, 5574);
  assert.equal(d.skippedRows, 0);
  assert.equal(d.examples.filter((e) => e.label === 0).length, 4827);
  assert.equal(d.examples.filter((e) => e.label === 1).length, 747);
  assert.match(d.examples[0]?.text ?? '', /^Go until jurong point, crazy/);
});

test('inspectDataset on sms_spam.csv', async () => {
  const s = await inspectDataset(sms);
  assert.equal(s.format, 'csv');
  assert.equal(s.rows, 5574);
  assert.deepEqual(s.columns.map((c) => c.name), ['label', 'text']);
  assert.equal(s.textColumn, 'text');
  assert.equal(s.labelColumn, 'label');
  assert.deepEqual(s.labels, [
    { label: 'ham', count: 4827 },
    { label: 'spam', count: 747 },
  ]);
});

test('inspectDataset with a requested label column, and an unknown one', async () => {
  const file = write('multi.csv', 'text,label,source\nhello there friend,a,x\nbye now friend,b,y\nsee you soon friend,b,y\n');
  const s = await inspectDataset(file, 'source');
  assert.equal(s.labelColumn, 'source');
  assert.deepEqual(s.labels, [
    { label: 'y', count: 2 },
    { label: 'x', count: 1 },
  ]);
  await assert.rejects(inspectDataset(file, 'foo'), isUserError(file, 'has no column "foo"', 'Its columns are: text, label, source.'));
});

test('inspectDataset does not fail when nothing can be detected', async () => {
  const file = write('codes.csv', 'a,b\n1,x\n1,x\n');
  const s = await inspectDataset(file);
  assert.equal(s.textColumn, '');
  assert.equal(s.labelColumn, '');
  assert.deepEqual(s.labels, []);
  assert.equal(s.rows, 2);
});

test('the tiny-sentiment fixture is balanced positive/negative', async () => {
  const d = await loadLabelledDataset(tiny);
  assert.deepEqual(d.labelNames, ['negative', 'positive']);
  assert.equal(d.examples.length, 60);
  assert.equal(d.examples.filter((e) => e.label === 1).length, 30);
});

test('explicit columns override detection; empty string means detect', async () => {
  const file = write('cols.csv', 'title,body,label,other\nhi,a long body of text here,x,p\nyo,another long body of text,y,q\nok,yet another long body text,y,p\n');
  const detected = await loadLabelledDataset(file, { textColumn: '', labelColumn: '' });
  assert.equal(detected.textColumn, 'body');
  assert.equal(detected.labelColumn, 'label');
  const chosen = await loadLabelledDataset(file, { textColumn: 'title', labelColumn: 'OTHER' });
  assert.equal(chosen.textColumn, 'title');
  assert.equal(chosen.labelColumn, 'other');
  assert.deepEqual(chosen.examples.map((e) => [e.text, e.label]), [['hi', 0], ['yo', 1], ['ok', 0]]);
});

test('unknown columns are refused listing the columns', async () => {
  const file = write('data.csv', 'a,b,c\nsome text here,x,1\nmore text here,y,2\n');
  await assert.rejects(loadLabelledDataset(file, { textColumn: 'foo' }), isUserError(file, 'data.csv has no column "foo". Its columns are: a, b, c.'));
  await assert.rejects(loadLabelledDataset(file, { labelColumn: 'bar' }), isUserError(file, 'no column "bar"'));
  await assert.rejects(loadLabelledDataset(file, { textColumn: 'a', labelColumn: 'a' }), isUserError(file, 'both the text and the label'));
});

test('label ids follow numeric order for numeric labels', async () => {
  const file = write('num.tsv', 'sentence\tlabel\nfirst one here\t10\nsecond one here\t2\nthird one here\t0\nfourth one\t2\n');
  const d = await loadLabelledDataset(file);
  assert.deepEqual(d.labelNames, ['0', '2', '10']);
  assert.deepEqual(d.examples.map((e) => e.label), [2, 1, 0, 1]);
});

test('rows with an empty text or label cell are skipped and counted', async () => {
  const file = write('gaps.jsonl', ['{"text":"good","label":"pos"}', '{"text":"","label":"neg"}', '{"text":"bad"}', '{"text":"awful","label":" neg "}'].join('\n'));
  const d = await loadLabelledDataset(file, { textColumn: 'text', labelColumn: 'label' });
  assert.equal(d.skippedRows, 2);
  assert.deepEqual(d.labelNames, ['neg', 'pos']);
  assert.deepEqual(d.examples, [
    { text: 'good', label: 1 },
    { text: 'awful', label: 0 },
  ]);
});

test('all rows skipped is refused', async () => {
  const file = write('allempty.csv', 'text,label\n,a\nhello,\n');
  await assert.rejects(loadLabelledDataset(file, { textColumn: 'text', labelColumn: 'label' }), isUserError(file, 'every row has an empty'));
});

test('a single label is refused', async () => {
  const file = write('single.csv', 'text,label\nhello there,ham\nhow are you,ham\n');
  await assert.rejects(
    loadLabelledDataset(file, { textColumn: 'text', labelColumn: 'label' }),
    isUserError(file, 'has a single label ("ham") in column "label": a classifier needs at least two. Check the label column.'),
  );
});

test('a label column with more than 1000 values is refused as free text', async () => {
  const rows = Array.from({ length: 1001 }, (_, i) => `text ${i},value ${i}`).join('\n');
  const file = write('freetext.csv', `text,label\n${rows}\n`);
  await assert.rejects(
    loadLabelledDataset(file, { textColumn: 'text', labelColumn: 'label' }),
    isUserError(file, '1001 distinct values', 'free text', '--label-col'),
  );
});

test('no detectable label column is refused suggesting --label-col', async () => {
  const file = write('nolabel.csv', 'text\nthis is one sentence\nthis is another sentence\n');
  await assert.rejects(loadLabelledDataset(file), isUserError(file, 'Its columns are: text', '--label-col'));
});

test('reading errors surface unchanged', async () => {
  const file = path.join(tmp, 'missing.csv');
  await assert.rejects(loadLabelledDataset(file), isUserError(file, 'no such file'));
});
