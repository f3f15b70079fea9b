// What the panels keep with setState for their serializers: each state survives the JSON round
// trip VS Code puts it through, and the parsers refuse or repair what an older page (or a
// damaged workspace storage) could hand back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_TRAINING_VIEW,
  parseAttentionPanelState,
  parseForgettingPanelState,
  parsePromptPanelState,
  parseTrainingPanelState,
  type AttentionPanelState,
  type ExtensionToPromptMessage,
  type ForgettingPanelState,
  type PanelAttentionMaps,
  type PanelAttentionResult,
  type TrainingPanelState,
} from '../../webview/messages';
import { restoredSelection } from '../../webview/attention/savedSelection';
import { nextTranscript, restoredTranscript } from '../../webview/prompt/transcript';

/** What VS Code does with a webview's state between setState and the serializer. */
const roundTrip = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

test('Training panel: run, compared runs and view settings survive the round trip', () => {
  const state: TrainingPanelState = {
    panel: 'training',
    run: { runId: 'r1', runDir: '/w/.transfer-lab/runs/r1' },
    compare: [{ runId: 'r2', runDir: '/w/.transfer-lab/runs/r2' }, { runId: 'r3', runDir: '/w/.transfer-lab/runs/r3' }],
    view: { smoothing: 0.6, logY: true, xAxis: 'time', confusionStep: 40 },
  };
  assert.deepEqual(parseTrainingPanelState(roundTrip(state)), state);
});

test('Training panel: wrong or missing settings fall back to the defaults; smoothing is clamped to 0 … 0.99', () => {
  const run = { runId: 'r1', runDir: '/runs/r1' };
  assert.deepEqual(parseTrainingPanelState({ panel: 'training', run })?.view, DEFAULT_TRAINING_VIEW);
  const odd = parseTrainingPanelState({ panel: 'training', run, compare: 'r2', view: { smoothing: 5, logY: 'yes', xAxis: 'epoch', confusionStep: -3 } });
  assert.deepEqual(odd?.view, { ...DEFAULT_TRAINING_VIEW, smoothing: 0.99 });
  assert.deepEqual(odd?.compare, []);
  assert.equal(parseTrainingPanelState({ panel: 'training', run, view: { smoothing: -1 } })?.view.smoothing, 0);
});

test('Training panel: the own run, duplicates and malformed entries are dropped from the compared runs', () => {
  const parsed = parseTrainingPanelState({
    panel: 'training',
    run: { runId: 'r1', runDir: '/runs/r1' },
    compare: [{ runId: 'r1', runDir: '/runs/r1' }, { runId: 'r2', runDir: '/runs/r2' }, { runId: 'r2', runDir: '/runs/r2' }, { runId: 3 }, null],
  });
  assert.deepEqual(parsed?.compare, [{ runId: 'r2', runDir: '/runs/r2' }]);
});

test('each parser accepts only its own panel\'s state', () => {
  const run = { runId: 'r1', runDir: '/runs/r1' };
  for (const x of [undefined, null, 'training', [], { panel: 'forgetting', run }, { panel: 'training' }, { panel: 'training', run: { runId: '', runDir: '/x' } }]) {
    assert.equal(parseTrainingPanelState(x), undefined, JSON.stringify(x));
  }
  assert.equal(parseForgettingPanelState({ panel: 'training', run }), undefined);
  assert.equal(parseAttentionPanelState({ panel: 'attention', model: '', modelName: 'm', text: 't' }), undefined, 'a model is required');
  assert.equal(parsePromptPanelState({ panel: 'prompt' }), undefined);
});

test('Forgetting and Attention panels: their states survive the round trip', () => {
  const forgetting: ForgettingPanelState = { panel: 'forgetting', run: { runId: 'r1', runDir: '/runs/r1' } };
  assert.deepEqual(parseForgettingPanelState(roundTrip(forgetting)), forgetting);
  const attention: AttentionPanelState = { panel: 'attention', model: '/models/bert-tiny', modelName: 'bert-tiny', text: 'The cat sat "on" the mat.\n' };
  assert.deepEqual(parseAttentionPanelState(roundTrip(attention)), attention);
});

const start: ExtensionToPromptMessage = { type: 'generationStart', requestId: 'g1', model: 'gpt2-tiny', prompt: 'Once', settings: { maxTokens: 8, temperature: 0.7, topK: 0, topP: 0.9, seed: 0 } };
const piece = (p: string, requestId = 'g1'): ExtensionToPromptMessage => ({ type: 'piece', requestId, piece: p });

test('Prompt panel: a generation\'s pieces are kept as one, stale pieces dropped, a new request starts over', () => {
  let t: ExtensionToPromptMessage[] = [];
  for (const m of [start, piece(' upon'), piece(' a', 'old'), piece(' time')]) t = nextTranscript(t, m);
  assert.deepEqual(t, [start, piece(' upon time')]);
  const end: ExtensionToPromptMessage = { type: 'generationEnd', requestId: 'g1', tokens: 2, tokensPerSec: 10, timeToFirstTokenMs: 40, cancelled: false };
  t = nextTranscript(t, end);
  assert.equal(t.length, 3);
  const pending: ExtensionToPromptMessage = { type: 'pending', task: 'fillMask', model: 'bert', text: 'a [MASK]' };
  assert.deepEqual(nextTranscript(t, pending), [pending]);
  const result: ExtensionToPromptMessage = { type: 'fillMask', model: 'bert', text: 'a [MASK]', predictions: [[{ token: 'cat', probability: 0.5 }]] };
  assert.deepEqual(nextTranscript([pending], result), [result]);
});

test('Prompt panel: the transcript survives the round trip; one still running when the window reloaded ends with an explanation', () => {
  const finished = [start, piece(' upon'), { type: 'generationEnd', requestId: 'g1', tokens: 1, tokensPerSec: 5, timeToFirstTokenMs: 30, cancelled: false } as const];
  const parsed = parsePromptPanelState(roundTrip({ panel: 'prompt', transcript: finished }));
  assert.deepEqual(parsed?.transcript, finished);
  assert.deepEqual(restoredTranscript(finished), finished);
  const cut = restoredTranscript([start, piece(' upon')]);
  assert.equal(cut.length, 3);
  assert.equal(cut[2]?.type, 'error');
  assert.deepEqual(restoredTranscript([]), []);
  assert.deepEqual(parsePromptPanelState({ panel: 'prompt', transcript: [start, { type: 'piece' }, 7] })?.transcript, [start], 'malformed messages are dropped');
});

test('Attention panel: the map on screen survives a reload, unless the maps that come back lack it', () => {
  const selection = { kind: 'encoder', layer: 1, head: 3, mean: false, rollout: true } as const;
  const state: AttentionPanelState = { panel: 'attention', model: '/models/bert', modelName: 'bert', text: 'a b', selection };
  assert.deepEqual(parseAttentionPanelState(roundTrip(state)), state);
  const { selection: _dropped, ...rest } = state;
  assert.deepEqual(parseAttentionPanelState({ ...state, selection: { ...selection, layer: -1 } }), rest, 'a malformed selection is dropped, the rest kept');
  assert.deepEqual(parseAttentionPanelState({ ...state, selection: { ...selection, kind: 'sideways' } }), rest);

  const maps = (layers: number, heads: number): PanelAttentionMaps => ({ layers, heads, queryTokens: ['a'], keyTokens: ['a'], data: '' });
  const result = (layers: number, heads: number): PanelAttentionResult => ({ family: 'bert', truncated: false, attention: maps(layers, heads), decoderAttention: null, crossAttention: null });
  assert.deepEqual(restoredSelection(selection, result(2, 4)), selection);
  assert.equal(restoredSelection(selection, result(2, 2)), undefined, 'head 3 of 2');
  assert.equal(restoredSelection(selection, result(1, 4)), undefined, 'layer 1 of 1');
  assert.equal(restoredSelection({ ...selection, kind: 'cross' }, result(2, 4)), undefined, 'no cross-attention');
  assert.equal(restoredSelection(undefined, result(2, 4)), undefined);
});
