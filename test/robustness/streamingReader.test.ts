/**
 * The streaming dataset reader at its seams: lines and characters cut by the 1 MiB read chunks,
 * errors past the first chunk naming the right line, and seeded samples of `limit` rows.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTable } from '../../server/datasets/readTable';
import { loadLabelledDataset } from '../../server/datasets/labelledDataset';
import { UserError } from '../../server/errors';

/** The reader's chunk size (textStream.ts): inputs below are laid out around it. */
const CHUNK = 2 ** 20;

const tmp = mkdtempSync(join(tmpdir(), 'tl-stream-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

/** "text,label\n" then rows "row i,a|b" until the file is at least `bytes` long; returns the text and row count. */
function rowsUpTo(bytes: number): { text: string; rows: number } {
  const lines = ['text,label'];
  let size = lines[0]?.length ?? 0;
  for (let i = 0; size < bytes; i++) {
    const line = `row ${i},${i % 2 === 0 ? 'a' : 'b'}`;
    lines.push(line);
    size += line.length + 1;
  }
  return { text: `${lines.join('\n')}\n`, rows: lines.length - 1 };
}

async function rejectsWith(path: string, pattern: RegExp): Promise<void> {
  await assert.rejects(readTable(path), (err: unknown) => {
    assert.ok(err instanceof UserError, String(err));
    assert.match(err.message, pattern);
    return true;
  });
}

test('a multi-byte character cut by the chunk boundary decodes, in CSV and JSONL', async () => {
  const head = 'text,label\n';
  const pad = 'x'.repeat(CHUNK - head.length - 1); // the "é" (2 bytes) starts at the last byte of chunk 1
  const csv = await readTable(write('split-char.csv', `${head}${pad}é,a\nsecond row,b\n`));
  assert.equal(csv.rows[0]?.[0], `${pad}é`);
  assert.equal(csv.rows.length, 2);
  const json = `{"text":"${'y'.repeat(CHUNK - 11)}€","label":"a"}\r\n{"text":"z","label":"b"}\r\n`;
  const jsonl = await readTable(write('split-char.jsonl', json));
  assert.equal(jsonl.rows.length, 2);
  assert.ok(jsonl.rows[0]?.[0]?.endsWith('€'));
  assert.deepEqual(jsonl.rows[1], ['z', 'b']); // the \r\n cut or not, no stray \r
});

test('errors past the first chunk name the right line', async () => {
  const { text, rows } = rowsUpTo(CHUNK + 1000);
  const line = rows + 2; // header + rows, then the bad line
  await rejectsWith(write('late-latin1.csv', Buffer.concat([Buffer.from(text), Buffer.from('caf\xe9,a\n', 'latin1')])), new RegExp(`late-latin1\\.csv is not UTF-8 text \\(found bytes that are not valid UTF-8 on line ${line},`));
  await rejectsWith(write('late-nul.csv', Buffer.concat([Buffer.from(text), Buffer.from('a\0b,a\n')])), new RegExp(`late-nul\\.csv is not UTF-8 text \\(found a NUL byte on line ${line};`));
  await rejectsWith(write('late-ragged.csv', `${text}one,two,three\n`), new RegExp(`late-ragged\\.csv line ${line} has 3 fields, expected 2`));
  await rejectsWith(write('late-quote.csv', `${text}"never closed,a\nmore,b\n`), new RegExp(`late-quote\\.csv has an unclosed quote in the record starting on line ${line}:`));
  const jsonl = `${text.split('\n').slice(1, -1).map((l, i) => JSON.stringify({ text: l, i })).join('\n')}\n{"text": oops}\n`;
  await rejectsWith(write('late.jsonl', jsonl), new RegExp(`late\\.jsonl line ${rows + 1} is not valid JSON`));
});

test('an unclosed quote is placed on its record, after blank lines or other fields', async () => {
  await rejectsWith(write('quote-after-blank.csv', 'text,label\r\nok,1\r\n\r\n   \r\n"never closed,0\r\nmore,1\r\n'), /line 5:/);
  await rejectsWith(write('quote-mid-record.csv', 'id,text,label\n1,ok,a\n\n2,"never closed,b\n3,more,a\n'), /line 4:/);
  await rejectsWith(write('quote-in-header.csv', '"text,label\nok,1\n'), /line 1:/);
});

test('a quoted field with line breaks across the chunk boundary is one field', async () => {
  const head = 'text,label\n"';
  const body = `${'w'.repeat(CHUNK - head.length - 2)}\r\n${'v'.repeat(100)}`;
  const t = await readTable(write('quoted-across.csv', `${head}${body}",a\nnext,b\n`));
  assert.deepEqual(t.rows.map((r) => r[1]), ['a', 'b']);
  assert.equal(t.rows[0]?.[0], body);
});

test('limit keeps a seeded uniform sample of rows, in file order, whatever the file size', async () => {
  const { text, rows } = rowsUpTo(200_000);
  const path = write('sample.csv', text);
  const a = await readTable(path, { limit: 100, seed: 7 });
  const b = await readTable(path, { limit: 100, seed: 7 });
  const c = await readTable(path, { limit: 100, seed: 8 });
  assert.equal(a.rows.length, 100);
  assert.equal(a.fileRows, rows);
  assert.deepEqual(a.rows, b.rows, 'the same seed gives the same sample');
  assert.notDeepEqual(a.rows, c.rows, 'another seed gives another sample');
  const index = a.rows.map((r) => Number((r[0] ?? '').slice(4)));
  assert.deepEqual(index, [...index].sort((x, y) => x - y), 'rows stay in file order');
  assert.ok((index.at(-1) ?? 0) > rows / 2, 'the sample reaches into the second half of the file');
  const all = await readTable(path, { limit: rows + 1 });
  assert.equal(all.rows.length, rows, 'a limit above the row count keeps every row');
});

test('limit through loadLabelledDataset, and a JSONL sample keeps columns seen only in dropped rows', async () => {
  const { text } = rowsUpTo(50_000);
  const d = await loadLabelledDataset(write('labelled.csv', text), { limit: 60, seed: 1 });
  assert.equal(d.examples.length, 60);
  assert.deepEqual(d.labelNames, ['a', 'b']);
  const lines = Array.from({ length: 500 }, (_, i) => JSON.stringify(i === 250 ? { text: `t${i}`, label: 'a', extra: 'x' } : { text: `t${i}`, label: 'b' }));
  const t = await readTable(write('cols.jsonl', `${lines.join('\n')}\n`), { limit: 5, seed: 3 });
  assert.deepEqual(t.columns, ['text', 'label', 'extra']);
  assert.ok(t.rows.every((r) => r.length === 3), 'every row is padded to every column');
});
