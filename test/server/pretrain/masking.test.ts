/**
 * BERT masking (server/pretrain/masking.ts): literal cases (budget, special tokens, words) and
 * the 15% / 80-10-10 shares measured over many seeded draws.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../server/random';
import {
  DEFAULT_MASKING_CONFIG, IGNORE_INDEX, continuationTable, isContinuationToken, maskTokens, maskingUnits, type MaskingVocabulary,
} from '../../../server/pretrain/masking';

const MASK = 4;
const SPECIALS = new Set([0, 1, 2, 3, 4]); // [PAD] [UNK] [CLS] [SEP] [MASK]
const vocab = (size = 1000, continuesWord: Uint8Array | null = null): MaskingVocabulary => ({ maskId: MASK, vocabSize: size, specialIds: SPECIALS, continuesWord });
/** [CLS] 10 11 … [SEP] with n text tokens. */
const sequence = (n: number): number[] => [2, ...Array.from({ length: n }, (_, i) => 10 + i), 3];
const chosenPositions = (labels: readonly number[]): number[] => labels.flatMap((l, i) => (l === IGNORE_INDEX ? [] : [i]));

test('continuation tokens: WordPiece marks continuations, byte-level and Metaspace BPE mark word starts', () => {
  const cases: [string, 'WordPiece' | 'word-start-marked', boolean][] = [
    ['##ing', 'WordPiece', true], ['play', 'WordPiece', false], ['[CLS]', 'WordPiece', false],
    ['Ġthe', 'word-start-marked', false], ['▁the', 'word-start-marked', false], ['ing', 'word-start-marked', true], [',', 'word-start-marked', true],
  ];
  for (const [token, kind, expected] of cases) assert.equal(isContinuationToken(token, kind), expected, `${token} (${kind})`);
  const table = continuationTable(4, (id) => ['[PAD]', 'play', '##ing', '##s'][id], 'WordPiece');
  assert.deepEqual([...table], [0, 0, 1, 1]);
});

test('masking units: single tokens, or words of a start and its continuations; specials end words', () => {
  // [CLS] play ##ing ##s ball [SEP] ##x   (a continuation right after a special starts a word)
  const cont = new Uint8Array(100);
  for (const id of [21, 22, 24]) cont[id] = 1;
  const ids = [2, 20, 21, 22, 23, 3, 24];
  assert.deepEqual(maskingUnits(ids, vocab(100, cont), false), [[1], [2], [3], [4], [6]]);
  assert.deepEqual(maskingUnits(ids, vocab(100, cont), true), [[1, 2, 3], [4], [6]]);
});

test('exactly round(15%) of the non-special tokens are chosen, never a special token', () => {
  for (let seed = 0; seed < 50; seed++) {
    const ids = sequence(18); // budget round(2.7) = 3
    const { inputIds, labels } = maskTokens(ids, vocab(), createRng(seed));
    const chosen = chosenPositions(labels);
    assert.equal(chosen.length, 3);
    assert.ok(!chosen.includes(0) && !chosen.includes(19), 'specials are never chosen');
    for (const i of chosen) assert.equal(labels[i], ids[i], 'the label is the original id');
    ids.forEach((id, i) => { if (!chosen.includes(i)) assert.equal(inputIds[i], id, 'unchosen tokens are unchanged'); });
  }
  assert.equal(chosenPositions(maskTokens([2, 10, 3], vocab(), createRng(1)).labels).length, 1, 'at least one token is predicted');
  assert.deepEqual(maskTokens([2, 3, 0, 0], vocab(), createRng(1)).labels, [IGNORE_INDEX, IGNORE_INDEX, IGNORE_INDEX, IGNORE_INDEX]);
});

test('replacement shares at their extremes: all [MASK], all random, all kept', () => {
  const ids = sequence(40);
  const all = (maskShare: number, randomShare: number) => maskTokens(ids, vocab(), createRng(3), { ...DEFAULT_MASKING_CONFIG, maskShare, randomShare });
  const masked = all(1, 0);
  for (const i of chosenPositions(masked.labels)) assert.equal(masked.inputIds[i], MASK);
  const random = all(0, 1);
  for (const i of chosenPositions(random.labels)) assert.ok(!SPECIALS.has(random.inputIds[i] as number) && (random.inputIds[i] as number) < 1000);
  const kept = all(0, 0);
  assert.deepEqual(kept.inputIds, ids);
  assert.equal(chosenPositions(kept.labels).length, 6);
});

test('the same seed gives the same masking', () => {
  const ids = sequence(60);
  assert.deepEqual(maskTokens(ids, vocab(), createRng(9)), maskTokens(ids, vocab(), createRng(9)));
  assert.notDeepEqual(maskTokens(ids, vocab(), createRng(9)), maskTokens(ids, vocab(), createRng(10)));
});

test('over many draws: 15% chosen, uniform over positions; 80% [MASK], 10% random, 10% unchanged', () => {
  const draws = 4000;
  const ids = sequence(100);
  const rng = createRng(2024);
  const perPosition = new Array<number>(ids.length).fill(0);
  let chosen = 0, masked = 0, random = 0, kept = 0, randomSum = 0;
  for (let d = 0; d < draws; d++) {
    const { inputIds, labels } = maskTokens(ids, vocab(), rng);
    for (const i of chosenPositions(labels)) {
      chosen++;
      perPosition[i] = (perPosition[i] ?? 0) + 1;
      const x = inputIds[i] as number;
      if (x === MASK) masked++;
      else if (x === ids[i]) kept++;
      else { random++; randomSum += x; assert.ok(!SPECIALS.has(x)); }
    }
  }
  assert.equal(chosen, draws * 15);
  for (let i = 1; i <= 100; i++) assert.ok(Math.abs((perPosition[i] ?? 0) / draws - 0.15) < 0.03, `position ${i}: ${(perPosition[i] ?? 0) / draws}`);
  assert.ok(Math.abs(masked / chosen - 0.8) < 0.01, `mask share ${masked / chosen}`);
  assert.ok(Math.abs(random / chosen - 0.1) < 0.01, `random share ${random / chosen}`);
  assert.ok(Math.abs(kept / chosen - 0.1) < 0.01, `kept share ${kept / chosen}`);
  assert.ok(Math.abs(randomSum / random - 502) < 15, `random ids are uniform over the non-special ids (mean ${randomSum / random})`);
});

test('whole-word masking chooses whole words, about 15% of the tokens', () => {
  // Words of 1–3 pieces: ids 10..99 start words, 100..199 continue them.
  const cont = new Uint8Array(200).fill(1, 100);
  const rng = createRng(5);
  let tokens = 0, chosen = 0;
  for (let d = 0; d < 1000; d++) {
    const ids = [2];
    while (ids.length < 61) {
      ids.push(10 + rng.int(90));
      for (let k = rng.int(3); k > 0; k--) ids.push(100 + rng.int(100));
    }
    ids.push(3);
    const { labels } = maskTokens(ids, vocab(200, cont), rng, { ...DEFAULT_MASKING_CONFIG, wholeWord: true });
    for (const unit of maskingUnits(ids, vocab(200, cont), true)) {
      const hit = unit.filter((i) => labels[i] !== IGNORE_INDEX).length;
      assert.ok(hit === 0 || hit === unit.length, 'a word is masked entirely or not at all');
    }
    tokens += ids.length - 2;
    chosen += chosenPositions(labels).length;
  }
  assert.ok(chosen / tokens > 0.13 && chosen / tokens <= 0.151, `whole-word share ${chosen / tokens}`);
});
