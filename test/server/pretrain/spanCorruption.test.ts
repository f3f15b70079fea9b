/**
 * T5 span corruption (server/pretrain/spanCorruption.ts): the paper's worked example, length
 * arithmetic, reconstruction of the original from input + target, and span statistics.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../server/random';
import {
  applyNoiseMask, corruptSpans, corruptedLengths, noiseCounts, randomSegmentation, randomSpansNoiseMask, rawLengthForInputs, sentinelIdsOf,
} from '../../../server/pretrain/spanCorruption';

const EOS = 1;
const SENTINELS = [99, 98, 97, 96, 95, 94, 93, 92, 91, 90, 89, 88, 87, 86, 85, 84];

test('the worked example of Raffel et al. (Fig. 2): spans become sentinels, the target lists them', () => {
  // "Thank you for inviting me to your party last week ." with "for inviting" and "last" hidden.
  const ids = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
  const mask = [false, false, true, true, false, false, false, false, true, false, false];
  assert.deepEqual(applyNoiseMask(ids, mask, SENTINELS, EOS), {
    inputIds: [10, 11, 99, 14, 15, 16, 17, 98, 19, 20, EOS],
    targetIds: [99, 12, 13, 98, 18, EOS],
  });
});

test('counts and lengths: 15% noise in spans of 3 on average, as HF run_t5_mlm_flax computes them', () => {
  assert.deepEqual(noiseCounts(64), { noiseTokens: 10, spans: 3 });
  assert.deepEqual(corruptedLengths(64), { inputs: 58, targets: 14 });
  assert.deepEqual(noiseCounts(2), { noiseTokens: 1, spans: 1 });
  assert.deepEqual(noiseCounts(1), { noiseTokens: 0, spans: 0 });
  // 70 raw tokens: 11 hidden in 4 spans → 70 − 11 + 4 + </s> = 64 input tokens; 71 would need 65.
  assert.equal(rawLengthForInputs(64), 70);
  for (const n of [8, 16, 64, 128, 512]) {
    const raw = rawLengthForInputs(n);
    assert.ok(corruptedLengths(raw).inputs <= n && corruptedLengths(raw + 1).inputs > n, `input length ${n}`);
  }
});

test('random segmentation: positive parts that add up', () => {
  const rng = createRng(4);
  for (let d = 0; d < 200; d++) {
    const items = 1 + rng.int(30);
    const segments = 1 + rng.int(items);
    const parts = randomSegmentation(items, segments, rng);
    assert.equal(parts.length, segments);
    assert.ok(parts.every((p) => p >= 1));
    assert.equal(parts.reduce((a, b) => a + b, 0), items);
  }
});

test('noise masks: the planned count of hidden tokens in the planned number of spans, starting with kept text', () => {
  const rng = createRng(11);
  for (let d = 0; d < 200; d++) {
    const length = 2 + rng.int(100);
    const mask = randomSpansNoiseMask(length, rng);
    const { noiseTokens, spans } = noiseCounts(length);
    assert.equal(mask.length, length);
    assert.equal(mask.filter(Boolean).length, noiseTokens);
    assert.equal(mask.filter((m, i) => m && mask[i - 1] !== true).length, spans);
    assert.equal(mask[0], false);
  }
});

test('input and target together restore the original, with </s> after each', () => {
  const rng = createRng(7);
  for (let d = 0; d < 300; d++) {
    const ids = Array.from({ length: 2 + rng.int(80) }, () => 10 + rng.int(60));
    const { inputIds, targetIds } = corruptSpans(ids, SENTINELS, EOS, rng);
    assert.equal(inputIds.at(-1), EOS);
    assert.equal(targetIds.at(-1), EOS);
    assert.equal(targetIds[0], SENTINELS[0]);
    // Each sentinel's span in the target runs to the next sentinel (or </s>).
    const spans = new Map<number, number[]>();
    let current: number[] = [];
    for (const id of targetIds.slice(0, -1)) {
      if (SENTINELS.includes(id)) spans.set(id, (current = []));
      else current.push(id);
    }
    const restored = inputIds.slice(0, -1).flatMap((id) => spans.get(id) ?? [id]);
    assert.deepEqual(restored, ids);
    assert.deepEqual({ inputs: inputIds.length, targets: targetIds.length }, corruptedLengths(ids.length));
  }
});

test('over many draws: 15% of the tokens hidden, spans 3.3 tokens long on average, every position can be hidden but the first', () => {
  const rng = createRng(99);
  const length = 64;
  const hiddenAt = new Array<number>(length).fill(0);
  let spans = 0, hidden = 0;
  const draws = 3000;
  for (let d = 0; d < draws; d++) {
    const mask = randomSpansNoiseMask(length, rng);
    mask.forEach((m, i) => { if (m) { hiddenAt[i] = (hiddenAt[i] ?? 0) + 1; hidden++; if (mask[i - 1] !== true) spans++; } });
  }
  assert.equal(hidden / (draws * length), 10 / 64);
  assert.ok(Math.abs(hidden / spans - 10 / 3) < 1e-9);
  assert.equal(hiddenAt[0], 0);
  const middle = hiddenAt.slice(8, 56).map((n) => n / draws);
  assert.ok(middle.every((f) => Math.abs(f - 10 / 64) < 0.05), `hidden share by position: ${middle.map((f) => f.toFixed(2)).join(' ')}`);
});

test('sentinel ids are read from the vocabulary in order <extra_id_0>, <extra_id_1>, …', () => {
  const vocab = new Map([['<extra_id_0>', 127], ['<extra_id_1>', 126], ['<extra_id_2>', 125]]);
  assert.deepEqual(sentinelIdsOf((t) => vocab.get(t)), [127, 126, 125]);
  assert.throws(() => applyNoiseMask([5, 6, 7, 8], [false, true, false, true], [127], EOS), /<extra_id_1>/);
});
