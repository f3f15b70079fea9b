/**
 * Corpora (server/pretrain/corpus.ts): text files with CRLF and blank lines, folders read
 * recursively in sorted order, a dataset's text column, user errors naming the path, and the
 * seeded held-out split.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../../server/errors';
import { readCorpus, splitHeldOut, textLines } from '../../../server/pretrain/corpus';

const tmp = mkdtempSync(join(tmpdir(), 'tl-corpus-'));

test('lines: CRLF and LF, trimmed, whitespace-only lines dropped', () => {
  assert.deepEqual(textLines(' \r\n = Title = \r\n\r\n First line . \r\nsecond\n \t \nthird'), ['= Title =', 'First line .', 'second', 'third']);
});

test('a text file, a folder (recursive, sorted, text extensions only) and a dataset column', async () => {
  const file = join(tmp, 'a.raw');
  writeFileSync(file, 'one\r\n\r\ntwo\r\n');
  assert.deepEqual((await readCorpus(file)).lines, ['one', 'two']);

  const dir = join(tmp, 'folder');
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(dir, 'b.txt'), 'bee\n');
  writeFileSync(join(dir, 'a.md'), 'ay\n');
  writeFileSync(join(dir, 'sub', 'c.raw'), 'sea\n');
  writeFileSync(join(dir, 'skip.json'), '{"x": 1}');
  const folder = await readCorpus(dir);
  assert.deepEqual(folder.lines, ['ay', 'bee', 'sea']);
  assert.deepEqual(folder.files, [join(dir, 'a.md'), join(dir, 'b.txt'), join(dir, 'sub', 'c.raw')]);

  const csv = join(tmp, 'msgs.csv');
  writeFileSync(csv, 'label,text\nham,"hello there, how are you doing today"\nspam,"win a prize now by calling this number"\nham,"see you at the station later tonight"\n');
  const table = await readCorpus(csv);
  assert.equal(table.textColumn, 'text');
  assert.equal(table.lines.length, 3);
  assert.equal((await readCorpus(csv, { textColumn: 'label' })).lines[1], 'spam');
});

test('user errors name the path: missing, blank, a folder without text files, a wrong column', async () => {
  const blank = join(tmp, 'blank.txt');
  writeFileSync(blank, '\n  \r\n\n');
  const empty = join(tmp, 'empty-folder');
  mkdirSync(empty);
  writeFileSync(join(empty, 'data.bin'), 'x');
  const csv = join(tmp, 'two.csv');
  writeFileSync(csv, 'label,text\na,"some words here and there"\nb,"other words here and there"\n');
  const cases: [string, RegExp, object?][] = [
    [join(tmp, 'missing.txt'), /Corpus not found: .*missing\.txt/],
    [blank, /blank\.txt holds no text/],
    [empty, /empty-folder holds no \.txt\/\.md\/\.raw files/],
    [csv, /two\.csv has no column "body"/, { textColumn: 'body' }],
  ];
  for (const [path, re, opts] of cases) {
    await assert.rejects(readCorpus(path, opts), (err: unknown) => err instanceof UserError && re.test(err.message));
  }
});

test('held-out split: 5% (at least 4, at most the cap), disjoint, in corpus order, seeded', () => {
  const lines = Array.from({ length: 200 }, (_, i) => `line ${i}`);
  const a = splitHeldOut(lines, 1);
  assert.equal(a.heldOut.length, 10);
  assert.equal(a.train.length, 190);
  assert.deepEqual([...a.train, ...a.heldOut].sort(), [...lines].sort());
  const index = (l: string): number => Number(l.split(' ')[1]);
  assert.deepEqual(a.heldOut.map(index), [...a.heldOut.map(index)].sort((x, y) => x - y));
  assert.deepEqual(splitHeldOut(lines, 1), a);
  assert.notDeepEqual(splitHeldOut(lines, 2).heldOut, a.heldOut);
  assert.equal(splitHeldOut(lines.slice(0, 20), 1).heldOut.length, 4);
  assert.equal(splitHeldOut(lines.slice(0, 2), 1).heldOut.length, 1);
  assert.equal(splitHeldOut(lines, 1, { fraction: 0.5, max: 30 }).heldOut.length, 30);
  assert.throws(() => splitHeldOut(['only'], 1), /at least 2/);
});
