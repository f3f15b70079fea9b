/**
 * report.html from synthetic events: every chart is inline SVG, the confusion matrix is a table
 * with label names, the forgetting charts appear with forgetting events, nothing loads or runs
 * (no script, no URL), and hostile strings from data (labels, dataset, messages) come out escaped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ForgettingEvent, MetricEvent } from '../../../server/protocol';
import { resolveFineTuneConfig } from '../../../server/finetune/fineTuneConfig';
import type { RunRecord } from '../../../server/runs/runStore';
import { renderRunReport } from '../../../server/report/runReport';
import { runCurves } from '../../../server/report/runCurves';

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '</script>';
const count = (html: string, re: RegExp): number => (html.match(re) ?? []).length;

function record(over: Partial<RunRecord> = {}): RunRecord {
  const config = resolveFineTuneConfig({ dataset: `/data/${IMG}.csv`, model: `/models/${SCRIPT}<script>alert(2)</script>`, strategy: 'full' });
  return {
    formatVersion: 1, runId: '20250101-000000-x-abcd', runDir: '/tmp/none', state: 'completed', config, backend: 'wasm', device: `CPU ${IMG}`,
    createdAt: '2025-01-01T00:00:00.000Z', startedAt: '2025-01-01T00:00:01.000Z', finishedAt: '2025-01-01T00:01:01.000Z', message: null,
    totalSteps: 30, lastStep: 30, lastLoss: 0.3, lastValAccuracy: 0.75, timings: { prepareMs: 1000, trainMs: 50_000, evalMs: 9000 }, pid: null,
    result: {
      valAccuracy: 0.75, valMacroF1: 0.74, valLoss: 0.5, majorityRate: 0.5, trainExamples: 100, valExamples: 12, labels: [IMG, SCRIPT],
      strategy: 'full', trainableParameters: 1234, bestValLoss: 0.45, bestStep: 20, stoppedEarly: false, probeLoss: 4.2, baseProbeLoss: 4,
    },
    ...over,
  };
}

function forgetting(step: number): ForgettingEvent {
  const layers = ['embeddings', 'layer 0', 'layer 1', 'head'];
  return {
    type: 'forgetting', step, epoch: 1, elapsedMs: step * 100, probeLoss: 4 + step / 100, baseProbeLoss: 4,
    weightDrift: layers.map((layer, i) => ({ layer, drift: (i + 1) * step * 1e-4 })),
    cka: layers.slice(0, 3).map((layer, i) => ({ layer, cka: 1 - i * 0.05 })),
    attentionDrift: [0, 1].flatMap((l) => [0, 1].map((head) => ({ layer: `layer ${l}`, head, js: 0.01 * (l + head + 1) }))),
    alert: { level: 'warning', message: `probe loss rose ${IMG}`, suggestions: [{ label: `Try LoRA ${SCRIPT}`, configPatch: { strategy: 'lora' } }] },
  };
}

function events(): MetricEvent[] {
  const out: MetricEvent[] = [];
  for (let step = 1; step <= 30; step++) {
    out.push({ type: 'step', step, epoch: 1, loss: 1 / step, learningRate: 5e-5 * (1 - step / 31), tokensPerSec: 1000, elapsedMs: step * 100, gradNorm: 2 / step });
    if (step % 10 === 0) {
      out.push({ type: 'eval', step, epoch: 1, valLoss: 0.6 - step / 100, valAccuracy: 0.5 + step / 120, valMacroF1: 0.5 + step / 130, elapsedMs: step * 100, confusion: [[5, 1], [2, 4]] });
      out.push(forgetting(step));
    }
  }
  return out;
}

test('every curve is an inline SVG chart, the confusion matrix a table with label names', () => {
  const html = renderRunReport(record(), events(), new Date('2025-01-02T00:00:00Z'));
  assert.ok(html.startsWith('<!doctype html>'));
  assert.equal(count(html, /<figure>/g), 4 + 4, 'loss, accuracy/F1, learning rate, grad norm; probe, drift, CKA, attention');
  assert.equal(count(html, /<svg /g), 8);
  assert.equal(count(html, /<polyline class="line/g), 7, 'train and val loss, accuracy, F1, lr, grad norm, probe loss');
  assert.match(html, /<h2>Confusion matrix at step 30<\/h2><table class="confusion">/);
  assert.match(html, /<th class="num">&lt;img src=x onerror=alert\(1\)&gt;<\/th><th class="num">&lt;\/script&gt;<\/th><th class="num">recall<\/th>/);
  assert.match(html, /<td class="diag" style="--v: 0\.833" title="[^"]*">5<\/td>/);
  assert.equal(count(html, /<rect class="heat"/g), 4 * 3 + 2 * 2, 'drift: 4 layers × 3 evaluations; attention: 2 layers × 2 heads');
  assert.equal(count(html, /<rect class="bar"/g), 3, 'CKA per layer');
  assert.match(html, /base model \(4\)/, 'the base probe loss as a reference line');
  assert.match(html, /<strong>warning<\/strong>: probe loss rose &lt;img/);
  assert.match(html, /Validation accuracy<\/th><td>75% \(majority class 50%\)/);
});

test('hostile strings from data are escaped; the page loads and runs nothing', () => {
  const html = renderRunReport(record({ state: 'failed', message: `boom ${IMG}${SCRIPT}` }), events());
  for (const hostile of [IMG, SCRIPT, '<script>alert(2)']) assert.ok(!html.includes(hostile), `raw ${hostile}`);
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(html.includes('&lt;/script&gt;'));
  assert.match(html, /<p class="message state-failed">boom &lt;img src=x onerror=alert\(1\)&gt;&lt;\/script&gt;<\/p>/);
  assert.doesNotMatch(html, /<script|<link|<iframe|https?:\/\//i);
  assert.doesNotMatch(html.replace(/"[^"]*"/g, '""'), /<[^>]*\s(src|href|on[a-z]+)=/i, 'no tag loads anything or has a handler');
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;/);
  assert.match(html, /prefers-color-scheme: dark/);
});

test('without forgetting events or a result the page still renders, without those sections', () => {
  const plain = events().filter((e) => e.type === 'step');
  const html = renderRunReport(record({ state: 'cancelled', result: null, message: 'Cancelled by the user.' }), plain);
  assert.doesNotMatch(html, /Forgetting|Confusion matrix|<h2>Result/);
  assert.match(html, /badge state-cancelled">cancelled/);
  assert.equal(count(html, /<svg /g), 3, 'loss, learning rate, grad norm; the accuracy chart has no values: a note instead');
  assert.match(html, /No values recorded/);
});

test('curves keep the last value of a step recorded twice (a resumed run) and come out in step order', () => {
  const c = runCurves([
    { type: 'step', step: 2, epoch: 1, loss: 0.9, learningRate: 1, tokensPerSec: 1, elapsedMs: 1 },
    { type: 'step', step: 1, epoch: 1, loss: 1.0, learningRate: 1, tokensPerSec: 1, elapsedMs: 1 },
    { type: 'step', step: 2, epoch: 1, loss: 0.8, learningRate: 1, tokensPerSec: 1, elapsedMs: 1, gradNorm: 3 },
    { type: 'eval', step: 2, epoch: 1, valLoss: NaN, valAccuracy: 0.5, valMacroF1: 0.4, elapsedMs: 1 },
  ]);
  assert.deepEqual(c.trainLoss, [[1, 1], [2, 0.8]]);
  assert.deepEqual(c.gradNorm, [[2, 3]]);
  assert.deepEqual(c.valLoss, [], 'NaN is not drawn');
  assert.equal(c.confusion, null);
});
