// "Export Run to Notebook" without VS Code: assembles a run's Jupyter notebook (nbformat 4.5) whose
// outputs carry Transfer Lab's MIME types (docs/notebook-mime.md) with fallbacks for other
// frontends: Vega-Lite and text for the curves, text for the attention maps. The code cells
// recompute the same outputs in Python. Unit-tested in test/extension/runNotebook.test.ts.
import * as path from 'node:path';
import type { MetricEvent, ModelAttention, RunSummary } from '../../server/protocol';
import { ATTENTION_MIME, CURVES_MIME, type AttentionPayloadJson, type CurveEventJson, type CurvesPayloadJson } from '../../webview/renderer/mime';

export const VEGA_LITE_MIME = 'application/vnd.vegalite.v5+json';
export const TEXT_MIME = 'text/plain';

/** A MIME bundle: MIME type → data (JSON types as objects, text as a string or lines). */
export type MimeBundle = Record<string, unknown>;

export interface NotebookOutput {
  readonly output_type: 'display_data';
  readonly data: MimeBundle;
  readonly metadata: Record<string, unknown>;
}

export type NotebookCell =
  | { readonly id: string; readonly cell_type: 'markdown'; readonly metadata: Record<string, unknown>; readonly source: string[] }
  | { readonly id: string; readonly cell_type: 'code'; readonly metadata: Record<string, unknown>; readonly source: string[]; readonly execution_count: null; readonly outputs: NotebookOutput[] };

export interface Notebook {
  readonly nbformat: 4;
  readonly nbformat_minor: 5;
  readonly metadata: Record<string, unknown>;
  readonly cells: NotebookCell[];
}

/** The attention maps of the run's model for one sentence, or why there are none. */
export type RunAttention =
  | { readonly kind: 'maps'; readonly modelDir: string; readonly modelName: string; readonly text: string; readonly result: ModelAttention.Result }
  | { readonly kind: 'unavailable'; readonly reason: string };

export interface RunNotebookInput {
  readonly run: RunSummary;
  readonly events: readonly MetricEvent[];
  readonly attention: RunAttention;
  /** Folder the notebook is written to: the code cells name the run's files relative to it. */
  readonly notebookDir: string;
  /** ISO time of the export (notebook metadata). */
  readonly exportedAt: string;
}

/** `<runId>.ipynb` beside the run folder: the default place of the export. */
export function defaultNotebookPath(runDir: string): string {
  return path.join(path.dirname(runDir), `${path.basename(runDir)}.ipynb`);
}

/** nbformat stores multi-line text as lines, each but the last ending in "\n". */
export function sourceLines(text: string): string[] {
  const lines = text.split('\n');
  return lines.map((line, i) => (i < lines.length - 1 ? `${line}\n` : line)).filter((line) => line !== '');
}

/** A Python string literal of `text` (JSON string syntax is valid Python). */
const py = (text: string): string => JSON.stringify(text);

/** A path from the notebook's folder, POSIX-style, for the code cells. */
function relativePath(from: string, to: string): string {
  const rel = path.relative(from, to);
  return (rel === '' ? '.' : rel).split(path.sep).join('/');
}

const modelName = (model: string): string => (path.isAbsolute(model) ? path.basename(model) : model);

/** The step and eval events of a run, reduced to the fields the curves payload defines. */
export function curveEvents(events: readonly MetricEvent[]): CurveEventJson[] {
  const out: CurveEventJson[] = [];
  for (const e of events) {
    if (e.type === 'step') out.push({ type: 'step', step: e.step, loss: e.loss });
    else if (e.type === 'eval') out.push({ type: 'eval', step: e.step, valLoss: e.valLoss, valAccuracy: e.valAccuracy });
  }
  return out;
}

/** The same curves as a Vega-Lite v5 spec (losses on the left axis, accuracy 0–100% on the right). */
export function vegaLiteCurves(title: string, events: readonly CurveEventJson[]): Record<string, unknown> {
  const values = events.flatMap((e) => e.type === 'step'
    ? [{ step: e.step, value: e.loss, series: 'train loss' }]
    : [{ step: e.step, value: e.valLoss, series: 'val loss' }, { step: e.step, value: e.valAccuracy, series: 'val accuracy' }]);
  const x = { field: 'step', type: 'quantitative', title: 'step' };
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain: ['train loss', 'val loss', 'val accuracy'] } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 560,
    height: 240,
    data: { values },
    layer: [
      { transform: [{ filter: "datum.series !== 'val accuracy'" }], mark: { type: 'line', point: true }, encoding: { x, y: { field: 'value', type: 'quantitative', title: 'loss' }, color } },
      { transform: [{ filter: "datum.series === 'val accuracy'" }], mark: { type: 'line', point: true, strokeDash: [5, 3] }, encoding: { x, y: { field: 'value', type: 'quantitative', title: 'val accuracy', scale: { domain: [0, 1] }, axis: { format: '%' } }, color } },
    ],
    resolve: { scale: { y: 'independent' } },
  };
}

const num = (v: number): string => String(Number(v.toPrecision(4)));
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

/** One line of plain text saying what the curves show (the text/plain fallback). */
export function curvesText(title: string, events: readonly CurveEventJson[]): string {
  const steps = events.filter((e): e is Extract<CurveEventJson, { type: 'step' }> => e.type === 'step');
  const evals = events.filter((e): e is Extract<CurveEventJson, { type: 'eval' }> => e.type === 'eval');
  const details: string[] = [];
  if (steps.length > 0) details.push(`${steps.length} steps, train loss ${num(steps[0]!.loss)} → ${num(steps[steps.length - 1]!.loss)}`);
  const last = evals[evals.length - 1];
  if (last !== undefined) details.push(`${evals.length} evaluations, last val loss ${num(last.valLoss)}, val accuracy ${pct(last.valAccuracy)}`);
  return `Training curves · ${title}: ${details.length > 0 ? details.join('; ') : 'no step or eval events'}`;
}

/** The attention payload of a ModelAttention result (its self-attention maps; T5: the encoder's). */
export function attentionPayload(modelName: string, text: string, result: ModelAttention.Result): AttentionPayloadJson {
  const maps = result.attention;
  return { title: `Attention · ${modelName}`, model: modelName, text, layers: maps.layers, heads: maps.heads, queryTokens: maps.queryTokens, keyTokens: maps.keyTokens, data: maps.data };
}

export function attentionText(p: AttentionPayloadJson): string {
  return `Attention maps of ${p.model ?? 'the model'} for ${JSON.stringify(p.text ?? '')}: ${p.layers} layers × ${p.heads} heads over ${p.queryTokens.length} tokens (${p.queryTokens.join(' ')})`;
}

function summaryMarkdown(run: RunSummary, events: readonly MetricEvent[]): string {
  const lastEval = [...events].reverse().find((e): e is Extract<MetricEvent, { type: 'eval' }> => e.type === 'eval');
  const rows: [string, string][] = [
    ['dataset', path.basename(run.config.dataset)],
    ['base model', modelName(run.config.model)],
    ['task', run.config.task ?? 'sequence-classification'],
    ['strategy', run.config.strategy],
    ['epochs', String(run.config.epochs)],
    ['state', run.state],
    ['backend', run.backend ?? 'unknown'],
    ['started', run.createdAt],
    ['finished', run.finishedAt ?? '–'],
  ];
  if (lastEval !== undefined) {
    rows.push(['validation loss', num(lastEval.valLoss)], ['validation accuracy', pct(lastEval.valAccuracy)], ['validation macro-F1', num(lastEval.valMacroF1)]);
  }
  return [
    `# Run ${run.runId}`,
    '',
    'Exported by Transfer Lab (**Export Run to Notebook**). The outputs below are drawn by the Transfer Lab notebook renderer in VS Code; other Jupyter frontends show the Vega-Lite chart or the text. Each code cell recomputes its output in Python.',
    '',
    ...rows.map(([k, v]) => `- **${k}**: ${v.replace(/\s*\n\s*/g, ' ')}`),
    '',
  ].join('\n');
}

function curvesSource(run: RunSummary, notebookDir: string, title: string): string {
  return [
    '# Training curves of the run, from its metrics.jsonl (one event per line).',
    'import json',
    'from IPython.display import display',
    '',
    `metrics = ${py(relativePath(notebookDir, path.join(run.runDir, 'metrics.jsonl')))}`,
    'with open(metrics, encoding="utf-8") as f:',
    '    events = [json.loads(line) for line in f if line.strip()]',
    'events = [e for e in events if e.get("type") in ("step", "eval")]',
    `display({"${CURVES_MIME}": {"title": ${py(title)}, "events": events},`,
    `         "text/plain": f"{len(events)} step and eval events of ${run.runId}"}, raw=True)`,
  ].join('\n');
}

function attentionSource(a: Extract<RunAttention, { kind: 'maps' }>, notebookDir: string): string {
  return [
    '# Attention maps of the fine-tuned model for one sentence, recomputed with Hugging Face transformers.',
    'import base64',
    'import numpy as np',
    'from IPython.display import display',
    'from transformers import AutoModel, AutoTokenizer',
    '',
    `model_dir = ${py(relativePath(notebookDir, a.modelDir))}`,
    `text = ${py(a.text)}`,
    'tokenizer = AutoTokenizer.from_pretrained(model_dir)',
    'model = AutoModel.from_pretrained(model_dir, output_attentions=True, attn_implementation="eager")',
    'inputs = tokenizer(text, return_tensors="pt")',
    'out = model(**inputs, decoder_input_ids=inputs["input_ids"][:, :1]) if model.config.is_encoder_decoder else model(**inputs)',
    'maps = out.encoder_attentions if model.config.is_encoder_decoder else out.attentions',
    'att = np.stack([m[0].detach().numpy() for m in maps]).astype("<f4")  # [layers, heads, T, T]',
    'tokens = tokenizer.convert_ids_to_tokens(inputs["input_ids"][0])',
    'payload = {"model": ' + py(a.modelName) + ', "text": text, "layers": att.shape[0], "heads": att.shape[1],',
    '           "queryTokens": tokens, "keyTokens": tokens, "data": base64.b64encode(att.tobytes()).decode("ascii")}',
    `display({"${ATTENTION_MIME}": payload,`,
    '         "text/plain": f"attention of {len(tokens)} tokens: {att.shape[0]} layers x {att.shape[1]} heads"}, raw=True)',
  ].join('\n');
}

const display = (data: MimeBundle): NotebookOutput => ({ output_type: 'display_data', data, metadata: {} });

/** The notebook of a run: a summary, its curves, and (when its model answered) an attention map. */
export function buildRunNotebook(input: RunNotebookInput): Notebook {
  const { run, notebookDir } = input;
  const title = `${path.basename(run.config.dataset)} · ${modelName(run.config.model)} · ${run.runId}`;
  const events = curveEvents(input.events);
  const curves: CurvesPayloadJson = { title, events };
  const cells: NotebookCell[] = [
    { id: 'run-summary', cell_type: 'markdown', metadata: {}, source: sourceLines(summaryMarkdown(run, input.events)) },
    {
      id: 'training-curves',
      cell_type: 'code',
      metadata: {},
      source: sourceLines(curvesSource(run, notebookDir, title)),
      execution_count: null,
      outputs: [display({ [CURVES_MIME]: curves, [VEGA_LITE_MIME]: vegaLiteCurves(title, events), [TEXT_MIME]: curvesText(title, events) })],
    },
  ];
  const a = input.attention;
  if (a.kind === 'maps') {
    const payload = attentionPayload(a.modelName, a.text, a.result);
    cells.push(
      { id: 'attention-title', cell_type: 'markdown', metadata: {}, source: sourceLines(`## Attention of the fine-tuned model\n\nEvery layer and head for one sentence: click a thumbnail to show its map.${a.result.truncated ? ' The sentence was truncated to the model’s maximum length.' : ''}`) },
      { id: 'attention-maps', cell_type: 'code', metadata: {}, source: sourceLines(attentionSource(a, notebookDir)), execution_count: null, outputs: [display({ [ATTENTION_MIME]: payload, [TEXT_MIME]: attentionText(payload) })] },
    );
  } else {
    cells.push({ id: 'attention-title', cell_type: 'markdown', metadata: {}, source: sourceLines(`## Attention\n\nNo attention maps: ${a.reason}`) });
  }
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      language_info: { name: 'python' },
      transferLab: { runId: run.runId, runDir: run.runDir, exportedAt: input.exportedAt },
    },
    cells,
  };
}

/** The .ipynb text (Jupyter's own layout: one-space indent, trailing newline). */
export function serializeNotebook(notebook: Notebook): string {
  return `${JSON.stringify(notebook, null, 1)}\n`;
}
