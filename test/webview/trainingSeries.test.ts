// The Training panel's chart data: the run model (dedupe, order), the EMA smoothing, each chart's
// lines for one or several runs aligned on one x array, the time axis and log-y gaps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PanelMetricEvent } from '../../webview/messages';
import { RunModel } from '../../webview/training/runModel';
import { assembleChart, countPoints, ema, metricPoints, type RunSeriesSource } from '../../webview/training/series';
import { evalAt, runInfo, step } from './trainingFixtures';

const LINEAR = { smoothing: 0, logY: false, xAxis: 'step' } as const;

function source(runId: string, events: readonly PanelMetricEvent[]): RunSeriesSource {
  const model = new RunModel(runInfo(runId), events);
  return { runId, steps: model.stepEvents(), evals: model.evalEvents() };
}

test('ema keeps a constant constant from the first value on (bias-corrected)', () => {
  assert.deepEqual(ema([0.7, 0.7, 0.7], 0.9).map((v) => v?.toFixed(12)), ['0.700000000000', '0.700000000000', '0.700000000000']);
});

test('ema is the weighted average of what came before, skipping nulls; weight 0 returns the values', () => {
  // weight 0.5: a1 = 0.5*1 / (1-0.5) = 1; a2 = (0.25 + 0.5*3) / 0.75 = 7/3
  const smoothed = ema([1, null, 3], 0.5);
  assert.equal(smoothed[0], 1);
  assert.equal(smoothed[1], null);
  assert.ok(Math.abs((smoothed[2] ?? NaN) - 7 / 3) < 1e-12);
  assert.deepEqual(ema([3, 1, 2], 0), [3, 1, 2]);
});

test('RunModel: the same step twice is kept once (the later wins), events come back in step order', () => {
  const model = new RunModel(runInfo('a'), [step(2, 0.6), step(1, 0.8)]);
  model.add([step(2, 0.5), evalAt(2, 0.65)]);
  assert.deepEqual(model.stepEvents().map((e) => [e.step, e.loss]), [[1, 0.8], [2, 0.5]]);
  assert.equal(model.evalCount, 1);
  assert.equal(model.currentStep(), 2);
  assert.equal(model.elapsedMs(), 2500);
});

test('loss chart of one run: raw and smoothed train loss per step, validation loss at eval steps only', () => {
  const { columns, series } = assembleChart('loss', [source('a', [step(1, 0.8), step(2, 0.6), evalAt(2, 0.65)])], { ...LINEAR, smoothing: 0.9 });
  assert.deepEqual(series.map((s) => `${s.metric}:${s.role}`), ['trainLoss:raw', 'trainLoss:smoothed', 'valLoss:value']);
  const [x, raw, smooth, val] = columns;
  assert.deepEqual(x, [1, 2]);
  assert.deepEqual(raw, [0.8, 0.6]);
  assert.equal(smooth?.[0], 0.8);
  assert.ok((smooth?.[1] ?? 0) < 0.8 && (smooth?.[1] ?? 0) > 0.6, 'the average lies between the values');
  assert.deepEqual(val, [null, 0.65]);
  assert.equal(countPoints(columns), 5);
});

test('every chart has its metrics: accuracy and macro-F1, learning rate, gradient norm (raw + EMA), tokens/s (raw + EMA)', () => {
  const run = source('a', [step(1, 0.8), step(2, 0.6), evalAt(2, 0.65, { valAccuracy: 0.75, valMacroF1: 0.7 })]);
  const accuracy = assembleChart('accuracy', [run], LINEAR);
  assert.deepEqual(accuracy.columns, [[2], [0.75], [0.7]]);
  assert.deepEqual(assembleChart('learningRate', [run], LINEAR).columns, [[1, 2], [1e-3, 1e-3]]);
  assert.deepEqual(assembleChart('gradNorm', [run], LINEAR).columns, [[1, 2], [1, 2], [1, 2]]);
  assert.deepEqual(assembleChart('throughput', [run], LINEAR).columns, [[1, 2], [100, 200], [100, 200]]);
});

test('runs without gradient norms (older runs) give an empty gradient-norm line, not zeros', () => {
  const run = source('old', [step(1, 0.8, { gradNorm: undefined }), step(2, 0.7, { gradNorm: undefined })]);
  const { columns } = assembleChart('gradNorm', [run], LINEAR);
  assert.equal(countPoints(columns), 0);
});

test('compare: two runs\' lines in legend order, aligned on the union of their steps with gaps elsewhere', () => {
  const a = source('a', [step(1, 0.9), step(3, 0.7)]);
  const b = source('b', [step(2, 0.8), step(3, 0.6), evalAt(3, 0.5)]);
  const { columns, series } = assembleChart('loss', [a, b], LINEAR);
  assert.deepEqual(series.map((s) => `${s.runIndex}:${s.runId}:${s.metric}:${s.role}`), [
    '0:a:trainLoss:raw', '0:a:trainLoss:smoothed', '0:a:valLoss:value',
    '1:b:trainLoss:raw', '1:b:trainLoss:smoothed', '1:b:valLoss:value',
  ]);
  assert.deepEqual(columns[0], [1, 2, 3]);
  assert.deepEqual(columns[1], [0.9, null, 0.7]);
  assert.deepEqual(columns[4], [null, 0.8, 0.6]);
  assert.deepEqual(columns[6], [null, null, 0.5]);
});

test('time axis: x is the seconds of training before each event', () => {
  const run = source('a', [step(1, 0.8), step(2, 0.6), evalAt(2, 0.65)]);
  assert.deepEqual(metricPoints(run, 'valLoss', 'time'), { xs: [2.5], ys: [0.65] });
  const { columns } = assembleChart('loss', [run], { ...LINEAR, xAxis: 'time' });
  assert.deepEqual(columns[0], [1, 2, 2.5]);
  assert.deepEqual(columns[3], [null, null, 0.65]);
});

test('log-y: values ≤ 0 become gaps on log charts (a learning rate decayed to 0); accuracy stays linear', () => {
  const run = source('a', [step(1, 0.8, { learningRate: 1e-3 }), step(2, 0.6, { learningRate: 0 }), evalAt(2, 0.65, { valMacroF1: 0 })]);
  assert.deepEqual(assembleChart('learningRate', [run], { ...LINEAR, logY: true }).columns[1], [1e-3, null]);
  assert.deepEqual(assembleChart('learningRate', [run], LINEAR).columns[1], [1e-3, 0]);
  assert.deepEqual(assembleChart('accuracy', [run], { ...LINEAR, logY: true }).columns[2], [0]);
});

test('non-finite values (a diverged loss) are left out rather than drawn', () => {
  const run = source('a', [step(1, 0.8), step(2, Number.NaN), step(3, Number.POSITIVE_INFINITY)]);
  assert.deepEqual(assembleChart('loss', [run], LINEAR).columns.slice(0, 2), [[1], [0.8]]);
});
