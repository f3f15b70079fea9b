// The Forgetting panel's data model: probe-loss columns with the base model's line, the
// layer × evaluation weight-drift matrix and the latest attention drift as layer × head.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PanelForgettingEvent } from '../../webview/messages';
import { driftColorLimit, ForgettingModel } from '../../webview/forgetting/forgettingModel';

function event(step: number, probeLoss: number | null, drift: readonly [string, number][], js: readonly [string, number, number][] = []): PanelForgettingEvent {
  return {
    type: 'forgetting', step, epoch: 1, elapsedMs: step * 10, probeLoss, baseProbeLoss: 3.2,
    weightDrift: drift.map(([layer, d]) => ({ layer, drift: d })),
    cka: [{ layer: 'layer.0', cka: 0.98 }],
    attentionDrift: js.map(([layer, head, v]) => ({ layer, head, js: v })),
    alert: null,
  };
}

test('probeLossColumns: the base model at step 0, steps in order, duplicates replaced, the base loss as a flat line', () => {
  const model = new ForgettingModel();
  model.reset([event(200, 3.5, []), event(100, 3.3, [])]);
  model.add([event(200, 3.6, [])]);
  assert.deepEqual(model.probeLossColumns(), [[0, 100, 200], [3.2, 3.3, 3.6], [3.2, 3.2, 3.2]], 'step 0 is the base model');
});

test('driftMatrix: rows = layers in first-seen order, columns = evaluations, missing = 0', () => {
  const model = new ForgettingModel();
  model.reset([event(100, 3.3, [['embeddings', 0.01], ['layer.0', 0.02]]), event(200, 3.4, [['layer.0', 0.05], ['embeddings', 0.03], ['layer.1', 0.07]])]);
  const m = model.driftMatrix();
  assert.deepEqual(m.layers, ['embeddings', 'layer.0', 'layer.1']);
  assert.deepEqual(m.steps, [100, 200]);
  assert.deepEqual(Array.from(m.values).map((v) => Number(v.toFixed(4))), [0.01, 0.03, 0.02, 0.05, 0, 0.07]);
});

test('attentionDriftMatrix: the latest evaluation as layer × head', () => {
  const model = new ForgettingModel();
  model.reset([event(100, 3.3, [], [['layer.0', 0, 9]]), event(200, 3.4, [], [['layer.0', 0, 0.1], ['layer.0', 1, 0.2], ['layer.1', 1, 0.4]])]);
  const m = model.attentionDriftMatrix();
  assert.deepEqual(m.layers, ['layer.0', 'layer.1']);
  assert.equal(m.heads, 2);
  assert.deepEqual(Array.from(m.values).map((v) => Number(v.toFixed(4))), [0.1, 0.2, 0, 0.4]);
});

test('at(step): the chosen evaluation, else the latest; attentionDriftMatrix follows it', () => {
  const model = new ForgettingModel();
  model.reset([event(100, 3.3, [], [['layer.0', 0, 0.5]]), event(200, 3.4, [], [['layer.0', 0, 0.1]])]);
  assert.equal(model.at(100)?.step, 100);
  assert.equal(model.at(undefined)?.step, 200);
  assert.equal(model.at(150)?.step, 200, 'an unrecorded step falls back to the latest');
  assert.deepEqual(Array.from(model.attentionDriftMatrix(100).values).map((v) => Number(v.toFixed(4))), [0.5]);
  assert.deepEqual(Array.from(model.attentionDriftMatrix().values).map((v) => Number(v.toFixed(4))), [0.1]);
});

test('hasProbeLoss is false when no evaluation measured it (a preset, or a model without an LM head)', () => {
  const model = new ForgettingModel();
  model.reset([event(100, null, []), event(200, null, [])]);
  assert.equal(model.hasProbeLoss(), false);
  model.add([event(300, 3.1, [])]);
  assert.equal(model.hasProbeLoss(), true);
});

test('driftColorLimit: the layers set the scale; a head that drifts further is named off the scale', () => {
  // rows embeddings, layer 0, head × 2 evaluations
  const values = new Float32Array([0.01, 0.02, 0.03, 0.05, 0.4, 0.5]);
  assert.deepEqual(driftColorLimit(['embeddings', 'layer 0', 'head'], values), { limit: 0.05000000074505806, offScale: [{ layer: 'head', max: 0.5 }] });
  const calm = driftColorLimit(['layer 0', 'head'], new Float32Array([0.2, 0.3, 0.1, 0.1]));
  assert.equal(calm.offScale.length, 0, 'a head below the layers is on the scale');
  assert.equal(Number(calm.limit.toFixed(4)), 0.3);
  const onlyHead = driftColorLimit(['head'], new Float32Array([0.1, 0.7]));
  assert.equal(Number(onlyHead.limit.toFixed(4)), 0.7);
  assert.deepEqual(driftColorLimit([], new Float32Array(0)), { limit: 0, offScale: [] });
});
