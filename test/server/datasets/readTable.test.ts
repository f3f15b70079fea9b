// Tests of readTable: CSV/TSV/JSONL/JSON parsing and every user-facing refusal (message names
// the file and the fix, on one line).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readTable } from '../../../server/datasets/readTable';
import { UserError } from '../../../server/errors';

const repo = path.resolve(__dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
}

/** Asserts that reading `file` fails with a one-line UserError naming it and holding `phrases`. */
async function rejectsWith(file: string, ...phrases: string[]): Promise<void> {
  await assert.rejects(readTable(file), (err: unknown) => {
    assert.ok(err instanceof UserError, `expected a UserError, got ${String(err)}`);
    assert.ok(err.message.includes(path.basename(file)), `message names the file: ${err.message}`);
    for (const p of phrases) assert.ok(err.message.includes(p), `message includes "${p}": ${err.message}`);
    assert.ok(!err.message.includes('\n'), `message is one line: ${err.message}`);
    return true;
  });
}

test('csv: quoted fields with commas, doubled quotes and embedded newlines', async () => {
  const file = write('quoted.csv', 'text,label\n"Hello, world",a\n"two\nlines, here",b\n"say ""hi""",a\n');
  const t = await readTable(file);
  assert.equal(t.format, 'csv');
  assert.deepEqual(t.columns, ['text', 'label']);
  assert.deepEqual(t.rows, [
    ['Hello, world', 'a'],
    ['two\nlines, here', 'b'],
    ['say "hi"', 'a'],
  ]);
});

test('csv: UTF-8 BOM and CRLF line ends, blank and whitespace-only lines skipped', async () => {
  const file = write('bom.csv', '\uFEFFtext,label\r\ncafé ok,1\r\n\r\n   \r\n"x\r\ny",0\r\n');
  const t = await readTable(file);
  assert.deepEqual(t.columns, ['text', 'label']);
  assert.deepEqual(t.rows, [
    ['café ok', '1'],
    ['x\r\ny', '0'],
  ]);
});

test('csv: a stray quote inside an unquoted field is kept', async () => {
  const t = await readTable(write('stray.csv', 'text,label\nhe said "hi" twice,a\n'));
  assert.deepEqual(t.rows, [['he said "hi" twice', 'a']]);
});

test('csv: empty header names become columnN', async () => {
  const t = await readTable(write('unnamed.csv', ',text\n0,hi\n'));
  assert.deepEqual(t.columns, ['column1', 'text']);
});

test('tsv: no quoting, a " inside a field is literal', async () => {
  const file = write('q.tsv', 'sentence\tlabel\n"quoted start and a " inside \t1\nplain, with comma \t0\n');
  const t = await readTable(file);
  assert.equal(t.format, 'tsv');
  assert.deepEqual(t.rows, [
    ['"quoted start and a " inside ', '1'],
    ['plain, with comma ', '0'],
  ]);
});

test('jsonl: records, blank lines skipped, values stringified, missing fields empty', async () => {
  const file = write('d.jsonl', '{"text":"a","label":1,"ok":true}\n\n{"text":"b","label":0,"extra":null}\r\n{"label":2}\n');
  const t = await readTable(file);
  assert.equal(t.format, 'jsonl');
  assert.deepEqual(t.columns, ['text', 'label', 'ok', 'extra']);
  assert.deepEqual(t.rows, [
    ['a', '1', 'true', ''],
    ['b', '0', '', ''],
    ['', '2', '', ''],
  ]);
});

test('jsonl: a broken line is reported with its line number', async () => {
  const file = write('broken.jsonl', '{"text":"a","label":1}\n\n{"text":"b",\n{"text":"c","label":0}\n');
  await rejectsWith(file, 'line 3', 'not valid JSON');
});

test('jsonl: a line that is not an object is refused', async () => {
  await rejectsWith(write('arr.jsonl', '{"text":"a"}\n[1,2]\n'), 'line 2', 'not a JSON object');
});

test('json: an array of flat records', async () => {
  const t = await readTable(write('a.json', '[{"text":"a","label":"x"},{"text":"b","label":"y","n":1.5}]'));
  assert.equal(t.format, 'json');
  assert.deepEqual(t.columns, ['text', 'label', 'n']);
  assert.deepEqual(t.rows, [
    ['a', 'x', ''],
    ['b', 'y', '1.5'],
  ]);
});

test('json: an object with one array-valued property holding the records', async () => {
  const t = await readTable(write('o.json', '{"version":2,"data":[{"text":"a","label":"x"}]}'));
  assert.deepEqual(t.rows, [['a', 'x']]);
});

test('json: an object with two arrays is refused', async () => {
  await rejectsWith(write('two.json', '{"train":[{"a":1}],"test":[{"a":2}]}'), '"train"', '"test"');
});

test('json and jsonl: nested records are refused naming the field', async () => {
  await rejectsWith(write('nested.json', '[{"text":"a","meta":{"src":"x"}}]'), 'field "meta"', 'must be flat');
  await rejectsWith(write('nested.jsonl', '{"text":"a"}\n{"text":"b","tags":["x"]}\n'), 'line 2', 'field "tags"', 'must be flat');
});

test('json: invalid JSON is refused with a line number', async () => {
  await rejectsWith(write('bad.json', '[\n{"text":"a"},\n{"text":}\n]'), 'not valid JSON', 'line 3');
});

test('error: missing file', async () => {
  await rejectsWith(path.join(tmp, 'nope.csv'), 'Cannot read', 'no such file', 'Check the path');
});

test('error: empty file', async () => {
  await rejectsWith(write('empty.csv', ''), 'is empty');
  await rejectsWith(write('blank.jsonl', '\n\n  \n'), 'is empty');
});

test('error: header only', async () => {
  await rejectsWith(write('header.csv', 'text,label\n'), 'no data rows');
  await rejectsWith(write('none.json', '[]'), 'no records');
});

test('error: ragged rows name the line and the field counts', async () => {
  await rejectsWith(write('ragged.csv', 'text,label\na,1\nb,2,3\n'), 'line 3', '3 fields', 'expected 2');
  // The line is where the record starts, after a multi-line quoted record.
  await rejectsWith(write('ragged2.csv', 'text,label\n"a\nb\nc",1\nd\n'), 'line 5', '1 field,', 'expected 2');
  await rejectsWith(write('ragged.tsv', 'text\tlabel\na\t1\t\n'), 'line 2', '3 fields', 'tabs');
});

test('error: unclosed quote names the line where the record starts', async () => {
  await rejectsWith(write('unclosed.csv', 'text,label\nok,1\n\n"never closed,0\nmore,1\n'), 'unclosed quote', 'line 4');
});

test('error: unsupported extension lists the supported ones', async () => {
  await rejectsWith(write('data.xlsx', 'x'), 'unsupported extension', '.csv', '.tsv', '.jsonl', '.json');
});

test('error: UTF-16, NUL bytes and invalid UTF-8 are refused', async () => {
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('text,label\n', 'utf16le')]);
  await rejectsWith(write('le.csv', utf16), 'is not UTF-8 text (found UTF-16)', 'Save it as UTF-8');
  await rejectsWith(write('be.csv', Buffer.from([0xfe, 0xff, 0, 0x74])), 'found UTF-16');
  await rejectsWith(write('nul.csv', Buffer.from('text,label\na\0b,1\n')), 'not UTF-8', 'NUL', 'line 2');
  await rejectsWith(write('latin1.csv', Buffer.from('text,label\ncaf\xe9,1\n', 'latin1')), 'not UTF-8', 'line 2', 'Save it as UTF-8');
});

test('error: duplicate column names', async () => {
  await rejectsWith(write('dup.csv', 'text,label,text\na,1,b\n'), 'two columns named "text"');
});

test('the shipped sms_spam.csv reads in full', async () => {
  const t = await readTable(path.join(repo, 'data/sms-spam/sms_spam.csv'));
  assert.deepEqual(t.columns, ['label', 'text']);
  assert.equal(t.rows.length, 5574);
  assert.ok(t.rows.every((r) => r.length === 2));
  assert.ok(t.rows.some((r) => (r[1] ?? '').includes('\u0092')), 'U+0092 kept');
});

test('SST-2 dev.tsv reads with quoting off', async () => {
  const t = await readTable(path.join(repo, 'data/sst2/dev.tsv'));
  assert.deepEqual(t.columns, ['sentence', 'label']);
  assert.equal(t.rows.length, 872);
});
