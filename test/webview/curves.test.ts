// The notebook renderer's payload parsing and chart geometry (webview/renderer/curves.ts), with
// hand-computed answers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extent, linearScale, parseCurves, pathData, ticks } from '../../webview/renderer/curves';

describe('curves payload', () => {
  it('splits step and eval events into sorted series and ignores the rest', () => {
    const payload = parseCurves({
      title: 'sms-spam',
      events: [
        { type: 'step', step: 2, loss: 0.5, epoch: 1 },
        { type: 'step', step: 1, loss: 0.7 },
        { type: 'eval', step: 2, valLoss: 0.45, valAccuracy: 0.9 },
        { type: 'forgetting', step: 2, probeLoss: 3 },
        { type: 'step', step: 3, loss: null },
        'junk',
      ],
    });
    assert.equal(payload.title, 'sms-spam');
    assert.deepEqual(payload.trainLoss, [{ step: 1, value: 0.7 }, { step: 2, value: 0.5 }]);
    assert.deepEqual(payload.valLoss, [{ step: 2, value: 0.45 }]);
    assert.deepEqual(payload.valAccuracy, [{ step: 2, value: 0.9 }]);
  });

  it('says what is wrong with a payload that is not one', () => {
    assert.throws(() => parseCurves([1, 2]), /"events" must be an array/);
    assert.throws(() => parseCurves(null), /JSON object/);
    assert.equal(parseCurves({ events: [] }).title, null);
  });
});

describe('chart geometry', () => {
  it('maps linearly, and a single value to the middle', () => {
    assert.equal(linearScale(0, 10, 100, 200)(5), 150);
    assert.equal(linearScale(0, 1, 200, 0)(0.25), 150);
    assert.equal(linearScale(3, 3, 0, 100)(3), 50);
  });

  it('finds extents and writes path data', () => {
    const pts = [{ step: 0, value: 2 }, { step: 10, value: 1 }];
    assert.deepEqual(extent([pts, []], (p) => p.value), [1, 2]);
    assert.equal(extent([[]], (p) => p.step), undefined);
    assert.equal(pathData(pts, (s) => s * 2, (v) => 100 - v * 10.04), 'M0,79.9 L20,90');
  });

  it('picks round ticks', () => {
    assert.deepEqual(ticks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(ticks(0, 230, 4), [0, 100, 200]);
    assert.deepEqual(ticks(0.3, 0.7, 4), [0.3, 0.4, 0.5, 0.6, 0.7]);
    assert.deepEqual(ticks(5, 5), [5]);
  });
});
