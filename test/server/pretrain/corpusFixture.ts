/** A small synthetic corpus for pretraining tests: seeded sentences from a toy grammar, written to a temp file. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../../../server/random';

const SUBJECTS = ['the cat', 'a dog', 'the bird', 'my friend', 'the teacher', 'a child'];
const VERBS = ['sees', 'likes', 'finds', 'follows', 'watches', 'helps'];
const OBJECTS = ['the ball', 'a tree', 'the river', 'an apple', 'the house', 'a book'];
const PLACES = ['in the park', 'at home', 'near the river', 'after school', 'every morning', 'on sunday'];

/** `n` lines of two or three short sentences each, plus blank lines, with CRLF line ends. */
export function syntheticCorpusText(n: number, seed = 1): string {
  const rng = createRng(seed);
  const pick = (words: readonly string[]): string => words[rng.int(words.length)] as string;
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const sentences = Array.from({ length: 2 + rng.int(2) }, () => `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(PLACES)} .`);
    lines.push(sentences.join(' '));
    if (i % 7 === 0) lines.push(' ');
  }
  return lines.join('\r\n') + '\r\n';
}

/** Writes the synthetic corpus to a fresh temp folder; returns the file path. */
export function writeSyntheticCorpus(n = 80, seed = 1): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tl-pretrain-')), 'corpus.txt');
  writeFileSync(path, syntheticCorpusText(n, seed));
  return path;
}
