// Number formatting of the Prompt panel (webview/prompt/format.ts), with hand-written answers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { liveRate, probabilityText, rateText, settingsText } from '../../webview/prompt/format';

describe('prompt panel formatting', () => {
  it('writes probabilities as percentages, keeping tiny ones readable', () => {
    assert.equal(probabilityText(0.9134), '91.3%');
    assert.equal(probabilityText(1), '100.0%');
    assert.equal(probabilityText(0), '0.0%');
    assert.equal(probabilityText(0.00042), '0.042%');
  });

  it('writes the sampling settings, naming switched-off samplers', () => {
    assert.equal(settingsText({ maxTokens: 64, temperature: 0.7, topK: 0, topP: 0.9, seed: 0 }), 'max 64 tokens · temperature 0.7 · top-k off · top-p 0.9 · seed 0');
    assert.equal(settingsText({ maxTokens: 8, temperature: 0, topK: 40, topP: 1, seed: 7 }), 'max 8 tokens · greedy · top-k 40 · top-p off · seed 7');
  });

  it('writes speeds and estimates them from pieces after the first', () => {
    assert.equal(rateText(12.345), '12.3 tokens/s');
    assert.equal(rateText(250.4), '250 tokens/s');
    assert.equal(rateText(0), '–');
    assert.equal(liveRate(5, 1000, 3000), 2, '4 pieces after the first in 2 s');
    assert.equal(liveRate(1, 1000, 3000), 0);
    assert.equal(liveRate(3, undefined, 3000), 0);
  });
});
