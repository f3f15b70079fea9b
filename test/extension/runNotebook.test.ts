// "Export Run to Notebook"'s pure part (extension/notebook/runNotebook.ts): the .ipynb is valid
// nbformat 4.5 (checked against the schema's required and allowed keys) and its outputs carry the
// MIME bundles the renderer, Jupyter's Vega-Lite renderer and plain-text frontends read.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildRunNotebook, defaultNotebookPath, serializeNotebook, TEXT_MIME, VEGA_LITE_MIME, type RunAttention } from '../../extension/notebook/runNotebook';
import type { MetricEvent, RunSummary } from '../../server/protocol';
import { parseAttention } from '../../webview/renderer/attention';
import { parseCurves } from '../../webview/renderer/curves';
import { ATTENTION_MIME, CURVES_MIME } from '../../webview/renderer/mime';

const RUNS = join('/work', 'demo', '.transfer-lab', 'runs');
const RUN_ID = '20260101-120000-sms_spam-ab12';

const run = (patch: Partial<RunSummary> = {}): RunSummary => ({
  runId: RUN_ID,
  runDir: join(RUNS, RUN_ID),
  state: 'completed',
  config: { dataset: '/work/demo/sms "spam".csv', model: '/work/demo/models/tiny-bert', task: 'sequence-classification', strategy: 'lora', epochs: 2 } as RunSummary['config'],
  backend: 'wasm',
  createdAt: '2026-01-01T12:00:00.000Z',
  finishedAt: '2026-01-01T12:03:00.000Z',
  message: null,
  totalSteps: 2,
  lastStep: 2,
  lastLoss: 0.5,
  lastValAccuracy: 0.9,
  ...patch,
});

const EVENTS: MetricEvent[] = [
  { type: 'step', step: 1, epoch: 1, loss: 0.7, learningRate: 1e-3, tokensPerSec: 100, elapsedMs: 10 },
  { type: 'step', step: 2, epoch: 1, loss: 0.5, learningRate: 1e-3, tokensPerSec: 100, elapsedMs: 20 },
  { type: 'eval', step: 2, epoch: 1, valLoss: 0.45, valAccuracy: 0.9, valMacroF1: 0.85, elapsedMs: 25 },
  { type: 'forgetting', step: 2, epoch: 1, elapsedMs: 25, probeLoss: null, baseProbeLoss: null, weightDrift: [], cka: [], attentionDrift: [], alert: null },
];

const TOKENS = ['[CLS]', 'the', 'cat', '[SEP]'];
const MAPS = Array.from({ length: 2 * 2 * 4 * 4 }, (_, i) => (i % 4) / 6);
const ATTENTION: RunAttention = {
  kind: 'maps',
  modelDir: join(RUNS, RUN_ID, 'final'),
  modelName: `${RUN_ID} (final)`,
  text: 'the cat',
  result: {
    family: 'bert',
    truncated: false,
    attention: { layers: 2, heads: 2, queryTokens: TOKENS, keyTokens: TOKENS, data: Buffer.from(new Float32Array(MAPS).buffer).toString('base64') },
    decoderAttention: null,
    crossAttention: null,
  },
};

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The structural rules of nbformat's v4.5 JSON schema (nbformat.v4.5.schema.json): required and
 * allowed keys of the notebook, its cells and display_data outputs, cell ids, multiline strings.
 */
function assertNbformat45(nb: unknown): void {
  assert.ok(isRecord(nb));
  assert.deepEqual(Object.keys(nb).sort(), ['cells', 'metadata', 'nbformat', 'nbformat_minor']);
  assert.equal(nb['nbformat'], 4);
  assert.equal(nb['nbformat_minor'], 5);
  assert.ok(isRecord(nb['metadata']));
  const kernelspec = nb['metadata']['kernelspec'];
  assert.ok(isRecord(kernelspec) && typeof kernelspec['name'] === 'string' && typeof kernelspec['display_name'] === 'string');
  assert.ok(Array.isArray(nb['cells']));
  const ids = new Set<string>();
  const multiline = (x: unknown): boolean => typeof x === 'string' || (Array.isArray(x) && x.every((l) => typeof l === 'string'));
  for (const cell of nb['cells'] as unknown[]) {
    assert.ok(isRecord(cell));
    const id = cell['id'];
    assert.ok(typeof id === 'string' && /^[a-zA-Z0-9-_]{1,64}$/.test(id), `cell id ${String(id)}`);
    assert.ok(!ids.has(id), `duplicate cell id ${id}`);
    ids.add(id);
    assert.ok(isRecord(cell['metadata']) && multiline(cell['source']));
    if (cell['cell_type'] === 'markdown') {
      assert.deepEqual(Object.keys(cell).sort(), ['cell_type', 'id', 'metadata', 'source']);
      continue;
    }
    assert.equal(cell['cell_type'], 'code');
    assert.deepEqual(Object.keys(cell).sort(), ['cell_type', 'execution_count', 'id', 'metadata', 'outputs', 'source']);
    assert.equal(cell['execution_count'], null);
    assert.ok(Array.isArray(cell['outputs']));
    for (const output of cell['outputs'] as unknown[]) {
      assert.ok(isRecord(output));
      assert.deepEqual(Object.keys(output).sort(), ['data', 'metadata', 'output_type']);
      assert.equal(output['output_type'], 'display_data');
      assert.ok(isRecord(output['data']) && isRecord(output['metadata']));
      for (const [mime, value] of Object.entries(output['data'])) {
        assert.match(mime, /^[a-z]+\/[!#$&^_.+0-9a-z-]+$/, `MIME type ${mime}`);
        // nbformat: JSON MIME types hold JSON (objects); everything else a multiline string.
        if (mime.endsWith('+json')) assert.ok(isRecord(value), `${mime} must be stored as an object`);
        else assert.ok(multiline(value), `${mime} must be a string`);
      }
    }
  }
}

/** The outputs of the notebook, by cell id. */
function outputs(nb: ReturnType<typeof buildRunNotebook>, id: string): Record<string, unknown>[] {
  const cell = nb.cells.find((c) => c.id === id);
  assert.ok(cell !== undefined && cell.cell_type === 'code', `no code cell ${id}`);
  return cell.outputs.map((o) => o.data);
}

const build = (attention: RunAttention = ATTENTION): ReturnType<typeof buildRunNotebook> =>
  buildRunNotebook({ run: run(), events: EVENTS, attention, notebookDir: RUNS, exportedAt: '2026-01-02T00:00:00.000Z' });

describe('run notebook', () => {
  it('is valid nbformat 4 JSON that survives serialisation', () => {
    const nb = build();
    const text = serializeNotebook(nb);
    assert.ok(text.endsWith('}\n'));
    const parsed: unknown = JSON.parse(text);
    assertNbformat45(parsed);
    assert.deepEqual(parsed, JSON.parse(JSON.stringify(nb)));
    assert.deepEqual(nb.cells.map((c) => c.id), ['run-summary', 'training-curves', 'attention-title', 'attention-maps']);
  });

  it('carries the curves as our MIME type, Vega-Lite and text', () => {
    const [bundle] = outputs(build(), 'training-curves');
    assert.ok(bundle !== undefined);
    assert.deepEqual(Object.keys(bundle).sort(), [CURVES_MIME, VEGA_LITE_MIME, TEXT_MIME].sort());
    const curves = parseCurves(bundle[CURVES_MIME]);
    assert.deepEqual(curves.trainLoss, [{ step: 1, value: 0.7 }, { step: 2, value: 0.5 }]);
    assert.deepEqual(curves.valLoss, [{ step: 2, value: 0.45 }]);
    assert.deepEqual(curves.valAccuracy, [{ step: 2, value: 0.9 }]);
    assert.match(curves.title ?? '', new RegExp(`sms "spam".csv · tiny-bert · ${RUN_ID}`));
    const vega = bundle[VEGA_LITE_MIME] as { $schema: string; data: { values: { step: number; value: number; series: string }[] }; layer: unknown[] };
    assert.match(vega.$schema, /vega-lite\/v5/);
    assert.equal(vega.layer.length, 2);
    assert.deepEqual(vega.data.values, [
      { step: 1, value: 0.7, series: 'train loss' },
      { step: 2, value: 0.5, series: 'train loss' },
      { step: 2, value: 0.45, series: 'val loss' },
      { step: 2, value: 0.9, series: 'val accuracy' },
    ]);
    assert.match(String(bundle[TEXT_MIME]), /2 steps, train loss 0\.7 → 0\.5; 1 evaluations, last val loss 0\.45, val accuracy 90\.0%/);
  });

  it('carries the attention maps as our MIME type and text', () => {
    const [bundle] = outputs(build(), 'attention-maps');
    assert.ok(bundle !== undefined);
    assert.deepEqual(Object.keys(bundle).sort(), [ATTENTION_MIME, TEXT_MIME].sort());
    const maps = parseAttention(bundle[ATTENTION_MIME]);
    assert.equal(maps.layers, 2);
    assert.equal(maps.heads, 2);
    assert.deepEqual(maps.queryTokens, TOKENS);
    assert.equal(maps.text, 'the cat');
    assert.deepEqual(Array.from(maps.values), Array.from(new Float32Array(MAPS)));
    assert.match(String(bundle[TEXT_MIME]), /2 layers × 2 heads over 4 tokens \(\[CLS\] the cat \[SEP\]\)/);
  });

  it('says why when the run has no attention maps', () => {
    const nb = build({ kind: 'unavailable', reason: 'the run (failed) has no model folder yet.' });
    assertNbformat45(JSON.parse(serializeNotebook(nb)));
    assert.equal(nb.cells.some((c) => c.id === 'attention-maps'), false);
    assert.match(nb.cells.at(-1)!.source.join(''), /No attention maps: the run \(failed\) has no model folder yet\./);
  });

  it('names the run files relative to the notebook in code that Python can read', () => {
    const nb = build();
    const curves = nb.cells.find((c) => c.id === 'training-curves')!.source.join('');
    assert.match(curves, new RegExp(`metrics = "${RUN_ID}/metrics.jsonl"`));
    assert.match(curves, /"title": "sms \\"spam\\".csv · tiny-bert · /, 'quotes escaped inside the Python string');
    const attention = nb.cells.find((c) => c.id === 'attention-maps')!.source.join('');
    assert.match(attention, new RegExp(`model_dir = "${RUN_ID}/final"`));
    assert.match(nb.cells[0]!.source.join(''), /- \*\*base model\*\*: tiny-bert\n/);
    assert.match(nb.cells[0]!.source.join(''), /- \*\*validation accuracy\*\*: 90\.0%\n/);
  });

  it('is written beside the run folder by default', () => {
    assert.equal(defaultNotebookPath(join(RUNS, RUN_ID)), join(RUNS, `${RUN_ID}.ipynb`));
  });
});
