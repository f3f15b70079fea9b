// The Prompt panel's saved transcript with a fine-tuned column beside the base model: both
// generations' pieces are kept apart, both results are kept, and a reload that cut one column
// short reports it stopped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isExtensionToPromptMessage, type ExtensionToPromptMessage } from '../../webview/messages';
import { nextTranscript, restoredTranscript } from '../../webview/prompt/transcript';

const SETTINGS = { maxTokens: 8, temperature: 0.7, topK: 0, topP: 0.9, seed: 0 };
const start: ExtensionToPromptMessage = { type: 'generationStart', requestId: 'b', model: 'gpt2', prompt: 'Once', settings: SETTINGS, fineTuned: { requestId: 'f', model: 'run-1 (final)' } };
const piece = (requestId: string, p: string): ExtensionToPromptMessage => ({ type: 'piece', requestId, piece: p });
const end = (requestId: string): ExtensionToPromptMessage => ({ type: 'generationEnd', requestId, tokens: 2, tokensPerSec: 10, timeToFirstTokenMs: 5, cancelled: false });
const replay = (messages: readonly ExtensionToPromptMessage[]): ExtensionToPromptMessage[] => messages.reduce<ExtensionToPromptMessage[]>(nextTranscript, []);

test('two generations stream side by side: each column keeps its own pieces', () => {
  const t = replay([start, piece('b', ' upon'), piece('f', ' there'), piece('b', ' a'), piece('x', ' stale'), piece('f', ' was')]);
  assert.deepEqual(t, [start, piece('b', ' upon a'), piece('f', ' there was')]);
  assert.ok(t.every(isExtensionToPromptMessage));
});

test('a reload with one column still generating reports the request stopped; with both ended it replays as is', () => {
  const half = replay([start, piece('b', ' upon'), end('b'), piece('f', ' there')]);
  const restored = restoredTranscript(half);
  assert.equal(restored.length, half.length + 1);
  assert.equal(restored.at(-1)?.type, 'error');
  const done = replay([start, piece('b', ' upon'), end('b'), piece('f', ' there'), end('f')]);
  assert.deepEqual(restoredTranscript(done), done);
  const failedColumn = replay([start, end('b'), { type: 'error', message: 'no model', role: 'fineTuned' }]);
  assert.deepEqual(restoredTranscript(failedColumn), failedColumn, 'a column that failed has its answer');
});

test('a classification beside a fine-tuned run keeps both results after its pending request', () => {
  const pending: ExtensionToPromptMessage = { type: 'pending', task: 'classify', model: 'gpt2', text: 'good', fineTuned: { model: 'run-1 (final)' } };
  const result = (role: 'base' | 'fineTuned'): ExtensionToPromptMessage => ({ type: 'classification', role, model: role, text: 'good', template: '{text} {label}', calibrated: true, ranking: [{ label: 'good', probability: 1, raw: 1 }] });
  const one = replay([pending, result('base')]);
  assert.deepEqual(one, [pending, result('base')]);
  assert.equal(restoredTranscript(one).at(-1)?.type, 'error', 'the fine-tuned answer never came');
  const both = replay([pending, result('base'), result('fineTuned')]);
  assert.deepEqual(restoredTranscript(both), both);
  // Alone (no fine-tuned run), the result replaces its pending request, as before the comparison.
  const alone: ExtensionToPromptMessage = { type: 'pending', task: 'classify', model: 'gpt2', text: 'good', fineTuned: null };
  assert.deepEqual(replay([alone, result('base')]), [result('base')]);
});

test('messages saved before the comparison existed (no fineTuned, no role) still pass the guard', () => {
  assert.ok(isExtensionToPromptMessage({ type: 'generationStart', requestId: 'g', model: 'm', prompt: 'p', settings: SETTINGS }));
  assert.ok(isExtensionToPromptMessage({ type: 'fillMask', model: 'm', text: 't', predictions: [[{ token: 'a', probability: 0.5 }]] }));
  assert.ok(!isExtensionToPromptMessage({ type: 'fillMask', role: 'other', model: 'm', text: 't', predictions: [] }));
});
