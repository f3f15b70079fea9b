/**
 * The tasks' metrics as pure functions on literal values: entity spans and entity-level F1 as
 * seqeval computes them (its documented example included), word-level accuracy / macro-F1 /
 * confusion of a tagger, and SQuAD-style exact match and token F1 of generated text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entityScores, entitySpans, isEntityTagSet } from '../../../server/tasks/metrics/entitySpans';
import { tokenMetrics } from '../../../server/tasks/metrics/tokenMetrics';
import { exactMatch, normalizeText, tokenF1 } from '../../../server/tasks/metrics/textMatch';

const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} ≠ ${b}`);

test('entity spans from BIO/IOB2 tags: B opens, I continues the same type, O or another type closes', () => {
  assert.deepEqual(entitySpans(['B-PER', 'I-PER', 'O', 'B-LOC']), [{ type: 'PER', start: 0, end: 1 }, { type: 'LOC', start: 3, end: 3 }]);
  assert.deepEqual(entitySpans(['B-PER', 'B-PER']), [{ type: 'PER', start: 0, end: 0 }, { type: 'PER', start: 1, end: 1 }]);
  assert.deepEqual(entitySpans(['B-ORG', 'I-ORG', 'I-LOC']), [{ type: 'ORG', start: 0, end: 1 }, { type: 'LOC', start: 2, end: 2 }]);
  assert.deepEqual(entitySpans(['O', 'O']), []);
});

test('entity spans, lenient like conlleval: an I- after O opens an entity; IOBES E/S tags close one', () => {
  assert.deepEqual(entitySpans(['O', 'I-MISC', 'I-MISC']), [{ type: 'MISC', start: 1, end: 2 }]);
  assert.deepEqual(entitySpans(['B-PER', 'E-PER', 'S-LOC', 'O']), [{ type: 'PER', start: 0, end: 1 }, { type: 'LOC', start: 2, end: 2 }]);
});

test("entity F1: seqeval's README example gives precision = recall = F1 = 0.5", () => {
  const truth = [['O', 'O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'O'], ['B-PER', 'I-PER', 'O']];
  const predicted = [['O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'I-MISC', 'O'], ['B-PER', 'I-PER', 'O']];
  const s = entityScores(truth, predicted);
  assert.deepEqual([s.trueCount, s.predictedCount, s.correct], [2, 2, 1]);
  close(s.precision, 0.5, 'precision');
  close(s.recall, 0.5, 'recall');
  close(s.f1, 0.5, 'f1');
});

test('entity F1: a wrong type or boundary is a miss; spans never cross sentences; nothing predicted is 0', () => {
  // truth: PER(0-1), LOC(3) | ORG(0); predicted: PER(0-1), ORG(3) | ORG(0-1)
  const s = entityScores([['B-PER', 'I-PER', 'O', 'B-LOC'], ['B-ORG', 'O']], [['B-PER', 'I-PER', 'O', 'B-ORG'], ['B-ORG', 'I-ORG']]);
  assert.deepEqual([s.trueCount, s.predictedCount, s.correct], [3, 3, 1]);
  close(s.f1, 1 / 3, 'f1');
  // Sentence ends close entities: I-PER opening sentence 2 is its own entity.
  assert.equal(entityScores([['B-PER'], ['I-PER']], [['B-PER'], ['I-PER']]).trueCount, 2);
  assert.equal(entityScores([['B-PER']], [['O']]).f1, 0);
});

test('entity F1 applies to BIO/IOBES tag sets only', () => {
  assert.equal(isEntityTagSet(['O', 'B-PER', 'I-PER', 'S-LOC', 'E-LOC']), true);
  assert.equal(isEntityTagSet(['NOUN', 'VERB']), false);
  assert.equal(isEntityTagSet(['O']), false);
  assert.equal(isEntityTagSet(['B', 'O']), false);
});

test('token metrics: word accuracy, macro-F1 over tags, confusion, entity F1 for BIO tags only', () => {
  const names = ['B-PER', 'I-PER', 'O'];
  // sentence 1: B-PER I-PER O ✓✓✓; sentence 2: B-PER O predicted O O (one miss)
  const m = tokenMetrics([[0, 1, 2], [0, 2]], [[0, 1, 2], [2, 2]], names);
  close(m.accuracy, 4 / 5, 'accuracy');
  // F1: B-PER 2·1/(2·1+0+1) = 2/3, I-PER 1, O 2·2/(2·2+1+0) = 4/5
  close(m.macroF1, (2 / 3 + 1 + 4 / 5) / 3, 'macro-F1');
  assert.deepEqual(m.confusion, [[1, 0, 1], [0, 1, 0], [0, 0, 2]]);
  close(m.entityF1 ?? NaN, 2 / 3, 'entity F1'); // 1 of 2 true entities found, 1 predicted: P 1, R 1/2
  const pos = tokenMetrics([[0, 1]], [[0, 0]], ['NOUN', 'VERB']);
  close(pos.accuracy, 0.5, 'POS accuracy');
  assert.equal(pos.entityF1, undefined);
});

test('text match: normalisation, exact match and SQuAD token F1', () => {
  assert.equal(normalizeText('  The  Cat, sat! '), 'the cat sat');
  assert.equal(normalizeText('Ｃａｆé'), 'café'); // NFKC folds full-width letters
  assert.equal(exactMatch('Positive.', 'positive'), true);
  assert.equal(exactMatch('positive', 'negative'), false);
  close(tokenF1('the cat sat', 'the cat sat'), 1, 'identical');
  // predicted 4 words, target 3, 2 shared: P 1/2, R 2/3, F1 4/7
  close(tokenF1('a red cat here', 'the red cat'), 4 / 7, 'overlap');
  close(tokenF1('cat cat cat', 'cat'), 0.5, 'repeated words count once each'); // P 1/3, R 1
  assert.equal(tokenF1('', ''), 1);
  assert.equal(tokenF1('word', ''), 0);
  assert.equal(tokenF1('dog', 'cat'), 0);
});
