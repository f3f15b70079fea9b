/**
 * The TF-IDF + logistic-regression baseline: literal TF-IDF values of a 3-document corpus
 * (computed by hand from scikit-learn's formulas), a finite-difference check of the classifier's
 * gradient, and 100% accuracy on a separable toy task, deterministically.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { terms, TfidfVectorizer, type SparseRow } from '../../../server/sweep/tfidf';
import { objectiveAndGradient, predictClass, trainLogisticRegression, type LogisticModel } from '../../../server/sweep/logisticRegression';
import { tfidfBaseline } from '../../../server/sweep/tfidfBaseline';

const CORPUS = ['The good film!', 'the good, GOOD plot', 'the bad film'];

test('terms are lowercased word unigrams followed by bigrams', () => {
  assert.deepEqual(terms('The good, GOOD plot'), ['the', 'good', 'good', 'plot', 'the good', 'good good', 'good plot']);
  assert.deepEqual(terms('  '), []);
});

test('the vocabulary keeps terms in ≥ 2 documents, with smoothed idf', () => {
  const v = TfidfVectorizer.fit(CORPUS);
  assert.deepEqual([...v.vocabulary.keys()], ['film', 'good', 'the', 'the good']);
  // idf = ln((1 + 3) / (1 + df)) + 1: df 2 → 1.2876820724517808, df 3 → 1
  assert.deepEqual([...v.idf].map((x) => +x.toFixed(12)), [1.287682072452, 1.287682072452, 1, 1.287682072452]);
});

test('rows hold sublinear tf × idf, l2-normalised (literal values)', () => {
  const v = TfidfVectorizer.fit(CORPUS);
  const dense = (row: SparseRow): number[] => {
    const out = new Array<number>(v.size).fill(0);
    row.indices.forEach((i, k) => void (out[i] = +(row.values[k] ?? 0).toFixed(6)));
    return out;
  };
  // columns: film, good, the, "the good"
  assert.deepEqual(dense(v.transform(CORPUS[0] ?? '')), [0.52682, 0.52682, 0.409123, 0.52682]);
  // good twice: (1 + ln 2)·1.2877 = 2.1802 before normalising by 2.7224
  assert.deepEqual(dense(v.transform(CORPUS[1] ?? '')), [0, 0.800846, 0.367321, 0.472992]);
  assert.deepEqual(dense(v.transform(CORPUS[2] ?? '')), [0.789807, 0, 0.613356, 0]);
  assert.deepEqual(dense(v.transform('nothing known here')), [0, 0, 0, 0]);
});

test('maxFeatures keeps the most frequent terms by document frequency', () => {
  const v = TfidfVectorizer.fit(CORPUS, { minDf: 1, maxFeatures: 2, sublinearTf: true });
  // "the" (df 3), then the first df-2 term in code-point order ("film" before "good"); stored in code-point order
  assert.deepEqual([...v.vocabulary.keys()], ['film', 'the']);
});

test('the objective gradient matches finite differences', () => {
  const rows: SparseRow[] = [
    { indices: Int32Array.from([0, 2]), values: Float64Array.from([0.6, 0.8]) },
    { indices: Int32Array.from([1]), values: Float64Array.from([1]) },
    { indices: Int32Array.from([0, 1, 2]), values: Float64Array.from([0.5, 0.5, 0.7071]) },
  ];
  const labels = [0, 2, 1];
  const m: LogisticModel = { numFeatures: 3, numClasses: 3, weights: Float64Array.from([0.1, -0.2, 0.3, 0.05, 0.4, -0.1, -0.3, 0.2, 0.1]), bias: Float64Array.from([0.1, 0, -0.1]) };
  const gW = new Float64Array(9);
  const gB = new Float64Array(3);
  objectiveAndGradient(m, rows, labels, 0.3, gW, gB);
  const h = 1e-6;
  const scratchW = new Float64Array(9);
  const scratchB = new Float64Array(3);
  const f = (): number => objectiveAndGradient(m, rows, labels, 0.3, scratchW, scratchB);
  for (const [param, grad] of [[m.weights, gW], [m.bias, gB]] as const) {
    for (let i = 0; i < param.length; i++) {
      const x = param[i] ?? 0;
      param[i] = x + h;
      const up = f();
      param[i] = x - h;
      const down = f();
      param[i] = x;
      assert.ok(Math.abs((up - down) / (2 * h) - (grad[i] ?? 0)) < 1e-7, `gradient ${i}`);
    }
  }
});

const POSITIVE = ['great film loved it', 'loved this great plot', 'a great cast, loved it', 'great fun loved the music', 'loved it great acting'];
const NEGATIVE = ['awful film hated it', 'hated this awful plot', 'an awful cast, hated it', 'awful noise hated the music', 'hated it awful acting'];

test('a separable toy task is learned to 100% validation accuracy, the same twice', () => {
  const train = { texts: [...POSITIVE, ...NEGATIVE], labels: [...POSITIVE.map(() => 1), ...NEGATIVE.map(() => 0)] };
  const val = { texts: ['loved it, great', 'hated it, awful', 'a great film', 'an awful film'], labels: [1, 0, 1, 0] };
  const a = tfidfBaseline(train, val, 2);
  assert.equal(a.valAccuracy, 1);
  assert.equal(a.valMacroF1, 1);
  assert.equal(a.trainExamples, 10);
  assert.ok(a.features > 0 && a.trainSeconds >= 0);
  const b = tfidfBaseline(train, val, 2);
  assert.deepEqual({ ...b, trainSeconds: 0 }, { ...a, trainSeconds: 0 });
});

test('three classes: every training row is fitted', () => {
  const v = TfidfVectorizer.fit(['red red apple', 'red cherry', 'green pear', 'green green lime', 'blue sky', 'blue sea blue']);
  const rows = ['red apple', 'red cherry', 'green pear', 'green lime', 'blue sky', 'blue sea'].map((t) => v.transform(t));
  const labels = [0, 0, 1, 1, 2, 2];
  const { model, objective } = trainLogisticRegression(rows, labels, v.size, 3);
  assert.deepEqual(rows.map((r) => predictClass(model, r)), labels);
  assert.ok(objective < 0.5, `objective ${objective}`);
});
