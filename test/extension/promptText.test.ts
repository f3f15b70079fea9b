// The pure text logic of the prompt commands: paragraph around a cursor, prompt-file blocks,
// label lists, mask detection, templates and ranking. Expected values are written by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  findMasks,
  paragraphAt,
  parseLabels,
  rankLabels,
  splitPromptBlocks,
  validateLabels,
  validateTemplate,
} from '../../extension/prompt/promptText';

describe('paragraphAt', () => {
  const lines = ['# Title', '', 'first line', 'second line', '', '', 'other', '  '];

  it('takes the run of non-blank lines around the cursor', () => {
    assert.deepEqual(paragraphAt(lines, 2), { startLine: 2, endLine: 3 });
    assert.deepEqual(paragraphAt(lines, 3), { startLine: 2, endLine: 3 });
    assert.deepEqual(paragraphAt(lines, 0), { startLine: 0, endLine: 0 });
    assert.deepEqual(paragraphAt(lines, 6), { startLine: 6, endLine: 6 });
  });

  it('on a blank line takes the paragraph above, else the one below', () => {
    assert.deepEqual(paragraphAt(lines, 5), { startLine: 2, endLine: 3 });
    assert.deepEqual(paragraphAt(lines, 7), { startLine: 6, endLine: 6 }, 'whitespace-only counts as blank');
    assert.deepEqual(paragraphAt(['', '', 'text', 'more'], 0), { startLine: 2, endLine: 3 });
  });

  it('finds nothing in an empty or blank document, and clamps the line', () => {
    assert.equal(paragraphAt([], 0), undefined);
    assert.equal(paragraphAt(['', ' ', '\t'], 1), undefined);
    assert.deepEqual(paragraphAt(['a', 'b'], 99), { startLine: 0, endLine: 1 });
  });
});

describe('splitPromptBlocks', () => {
  it('splits on blank lines and --- lines, with 0-based line spans', () => {
    const text = ['Translate to French:', 'cheese =>', '', '---', 'Once upon a time', '---', 'Q: 2+2?', 'A:'].join('\n');
    assert.deepEqual(splitPromptBlocks(text), [
      { startLine: 0, endLine: 1, text: 'Translate to French:\ncheese =>' },
      { startLine: 4, endLine: 4, text: 'Once upon a time' },
      { startLine: 6, endLine: 7, text: 'Q: 2+2?\nA:' },
    ]);
  });

  it('handles CRLF, spaced separators, and leading/trailing blank lines', () => {
    assert.deepEqual(splitPromptBlocks('\r\none\r\n- - -\r\ntwo\r\n\r\n'), [
      { startLine: 1, endLine: 1, text: 'one' },
      { startLine: 3, endLine: 3, text: 'two' },
    ]);
  });

  it('keeps a line that merely starts with dashes', () => {
    assert.deepEqual(splitPromptBlocks('--- not a separator'), [{ startLine: 0, endLine: 0, text: '--- not a separator' }]);
    assert.deepEqual(splitPromptBlocks('-- two dashes'), [{ startLine: 0, endLine: 0, text: '-- two dashes' }]);
  });

  it('returns nothing for an empty file', () => {
    assert.deepEqual(splitPromptBlocks(''), []);
    assert.deepEqual(splitPromptBlocks('\n---\n\n'), []);
  });
});

describe('labels', () => {
  it('trims, drops empty pieces and duplicates, keeps order', () => {
    assert.deepEqual(parseLabels(' positive, negative ,, neutral,positive '), ['positive', 'negative', 'neutral']);
    assert.deepEqual(parseLabels('very good, very bad'), ['very good', 'very bad']);
    assert.deepEqual(parseLabels(' , '), []);
  });

  it('needs at least two labels', () => {
    assert.equal(validateLabels('spam, ham'), undefined);
    assert.match(validateLabels('spam') ?? '', /at least two labels/);
    assert.match(validateLabels('spam, spam') ?? '', /at least two labels/);
  });
});

describe('findMasks', () => {
  it('finds [MASK] and <mask> in text order', () => {
    assert.deepEqual(findMasks('Paris is the [MASK] of <mask>. [MASK]!'), [
      { token: '[MASK]', offset: 13 },
      { token: '<mask>', offset: 23 },
      { token: '[MASK]', offset: 31 },
    ]);
  });

  it('is case-sensitive and finds nothing in plain text', () => {
    assert.deepEqual(findMasks('no masks [mask] <MASK> here'), []);
  });
});

describe('templates and ranking', () => {
  it('requires both placeholders', () => {
    assert.equal(validateTemplate('{text} It was {label}.'), undefined);
    assert.equal(validateTemplate('{text}'), 'The template needs {label}.');
    assert.equal(validateTemplate('nothing'), 'The template needs {text} and {label}.');
  });

  it('ranks by calibrated probability, carrying the raw one along', () => {
    assert.deepEqual(rankLabels(['a', 'b', 'c'], [0.2, 0.5, 0.3], [0.6, 0.1, 0.3]), [
      { label: 'b', probability: 0.5, raw: 0.1 },
      { label: 'c', probability: 0.3, raw: 0.3 },
      { label: 'a', probability: 0.2, raw: 0.6 },
    ]);
  });
});
