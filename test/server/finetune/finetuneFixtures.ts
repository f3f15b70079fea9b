/**
 * Fixtures for fine-tuning tests: tiny pretrained-looking model folders (hidden 16, 2 layers,
 * an LM head, a vocabulary trained on the fixture CSV, a probe.txt) and a helper that runs a
 * whole fine-tuning run on the fixture CSV, recording events, logs and live tensor counts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../../server/backend/tf';
import { initBackend } from '../../../server/backend/selectBackend';
import type { BackendInfo, FineTuneConfig, MetricEvent } from '../../../server/protocol';
import type { Family, HeadKind } from '../../../server/models/config';
import { TransformerModel } from '../../../server/models/transformerModel';
import { TextTokenizer } from '../../../server/tokenizers/textTokenizer';
import { trainTokenizerForFamily } from '../../../server/tokenizers/trainTokenizers';
import { saveModelFolder } from '../../../server/checkpoints/modelFolder';
import { readSafetensors } from '../../../server/checkpoints/safetensors';
import { loadLabelledDataset } from '../../../server/datasets/labelledDataset';
import { resolveFineTuneConfig } from '../../../server/finetune/fineTuneConfig';
import { executeRun } from '../../../server/runs/executeRun';
import { resumeRun } from '../../../server/finetune/resume';
import { readMetrics, RunWriter, type RunRecord } from '../../../server/runs/runStore';
import type { NamedArray } from '../../../server/models/parameters';
import { tinyHfConfig } from '../../helpers/tinyModel';

export const ROOT = join(__dirname, '..', '..', '..');
export const FIXTURE_CSV = join(ROOT, 'test', 'fixtures', 'datasets', 'tiny-sentiment.csv');

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

let backend: BackendInfo | null = null;
export async function testBackend(): Promise<BackendInfo> {
  backend ??= await initBackend('wasm');
  return backend;
}

const NO_DROPOUT: Readonly<Record<Family, Record<string, number>>> = {
  bert: { hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 },
  roberta: { hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 },
  albert: { hidden_dropout_prob: 0, attention_probs_dropout_prob: 0, classifier_dropout_prob: 0 },
  distilbert: { dropout: 0, attention_dropout: 0, seq_classif_dropout: 0 },
  gpt2: { resid_pdrop: 0, attn_pdrop: 0, embd_pdrop: 0, summary_first_dropout: 0 },
  t5: { dropout_rate: 0 },
};

const LM_HEAD: Readonly<Record<Family, HeadKind>> = {
  bert: 'masked-lm', roberta: 'masked-lm', albert: 'masked-lm', distilbert: 'masked-lm', gpt2: 'causal-lm', t5: 'seq2seq-lm',
};

export const PROBE_LINES = [
  'The weather was calm and the river ran slowly past the old mill.',
  'A book about the history of trains was on the table.',
  'The service at the station started early in the morning.',
  'Every trip to the coast takes about three hours by car.',
];

export interface FolderOptions {
  readonly dropout?: boolean;
  readonly seed?: number;
  /** Write probe.txt (default true). */
  readonly probe?: boolean;
}

/** A tiny "pretrained" model folder with an LM head (random weights, std 0.02), like save_pretrained's. */
export async function tinyModelFolder(family: Family, opts: FolderOptions = {}): Promise<string> {
  const dir = tempDir(`tl-${family}-`);
  const texts = (await loadLabelledDataset(FIXTURE_CSV)).examples.map((e) => e.text);
  const tokenizer = TextTokenizer.fromJson(trainTokenizerForFamily(family, [...texts, ...PROBE_LINES], 200), 'fixture vocabulary');
  const special = family === 'gpt2' ? { bos_token_id: tokenizer.eosId, eos_token_id: tokenizer.eosId } : {};
  const json = {
    ...tinyHfConfig(family), vocab_size: tokenizer.vocabSize, pad_token_id: tokenizer.padId, ...special,
    ...(opts.dropout === false ? NO_DROPOUT[family] : {}),
  };
  const model = TransformerModel.fromHfConfig(json, `tiny ${family}`, LM_HEAD[family], []);
  model.params.initialize(0.02, opts.seed ?? 3);
  await saveModelFolder(dir, model, tokenizer, 32);
  model.dispose();
  if (opts.probe !== false) writeFileSync(join(dir, 'probe.txt'), PROBE_LINES.join('\n') + '\n');
  return dir;
}

export interface RunOutcome {
  readonly record: RunRecord;
  readonly events: MetricEvent[];
  readonly logs: string[];
  /** Live tensors when each step event arrived. */
  readonly stepTensors: { step: number; count: number }[];
  readonly runDir: string;
}

export interface RunOptions {
  /** isCancelled turns true once this many step events have arrived. */
  readonly cancelAfter?: number;
  /** Called synchronously with every event (e.g. to snapshot a checkpoint before it is pruned). */
  readonly onEvent?: (e: MetricEvent, runDir: string) => void;
}

export function testHooks(runDir: string, out: { events: MetricEvent[]; logs: string[]; stepTensors: { step: number; count: number }[] }, opts: RunOptions = {}) {
  return {
    onEvents: (events: readonly MetricEvent[]) => {
      for (const e of events) {
        out.events.push(e);
        if (e.type === 'step') out.stepTensors.push({ step: e.step, count: tf.memory().numTensors });
        opts.onEvent?.(e, runDir);
      }
    },
    onRecord: () => undefined,
    onLog: (line: string) => void out.logs.push(line),
    isCancelled: () => opts.cancelAfter !== undefined && out.events.filter((e) => e.type === 'step').length >= opts.cancelAfter,
  };
}

/** A whole run on the fixture CSV (batch 8, maxLength 32 unless overridden) to a terminal state. */
export async function runOnFixture(runsDir: string, partial: Partial<FineTuneConfig>, opts: RunOptions = {}): Promise<RunOutcome> {
  const config = resolveFineTuneConfig({ dataset: FIXTURE_CSV, batchSize: 8, maxLength: 32, ...partial });
  const writer = await RunWriter.create(runsDir, config);
  const out = { events: [] as MetricEvent[], logs: [] as string[], stepTensors: [] as { step: number; count: number }[] };
  const record = await executeRun(writer, await testBackend(), testHooks(writer.runDir, out, opts));
  return { record, ...out, runDir: writer.runDir };
}

export async function weightsOf(dir: string, file = 'model.safetensors'): Promise<Map<string, NamedArray>> {
  return readSafetensors(join(dir, file));
}

/** True when both arrays hold exactly the same bits. */
export function bitIdentical(a: NamedArray | undefined, b: NamedArray | undefined): boolean {
  if (a === undefined || b === undefined || a.data.length !== b.data.length) return false;
  const x = new Uint32Array(a.data.buffer, a.data.byteOffset, a.data.length);
  const y = new Uint32Array(b.data.buffer, b.data.byteOffset, b.data.length);
  return x.every((v, i) => v === y[i]);
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return m;
}

/** What must match between an uninterrupted and a resumed run: everything but timings. */
export const comparableEvents = (events: readonly MetricEvent[]) =>
  events.map((e) => (e.type === 'step' ? { type: e.type, step: e.step, epoch: e.epoch, loss: e.loss, lr: e.learningRate, gradNorm: e.gradNorm }
    : e.type === 'eval' ? { type: e.type, step: e.step, valLoss: e.valLoss, valAccuracy: e.valAccuracy, confusion: e.confusion, entityF1: e.entityF1, perplexity: e.perplexity }
      : { type: e.type, step: e.step, probeLoss: e.probeLoss, weightDrift: e.weightDrift }));

/**
 * Runs `config` whole, and again cancelled after `cancelAfter` steps, marked interrupted (as a
 * killed worker leaves it) and resumed: the resumed run must start after step `resumesFrom` and
 * end with the same final weights, result and metrics as the whole one.
 */
export async function assertResumeEquivalent(config: Partial<FineTuneConfig>, cancelAfter: number, resumesFrom: number): Promise<void> {
  const whole = await runOnFixture(tempDir('tl-whole-'), config);
  assert.equal(whole.record.state, 'completed', whole.record.message ?? '');
  const cut = await runOnFixture(tempDir('tl-cut-'), config, { cancelAfter });
  assert.equal(cut.record.state, 'cancelled');
  await (await RunWriter.open(cut.runDir)).setState('interrupted', 'The training worker stopped unexpectedly.');

  const out = { events: [] as MetricEvent[], logs: [] as string[], stepTensors: [] };
  const resumed = await resumeRun(cut.runDir, await testBackend(), testHooks(cut.runDir, out));
  assert.equal(resumed.state, 'completed', resumed.message ?? '');
  assert.ok(out.logs.some((l) => l.includes(`from step ${resumesFrom}`)), out.logs.join('\n'));
  assert.equal(out.events.filter((e) => e.type === 'step')[0]?.step, resumesFrom + 1);

  const a = readFileSync(join(whole.runDir, 'final', 'model.safetensors'));
  const b = readFileSync(join(cut.runDir, 'final', 'model.safetensors'));
  assert.ok(a.equals(b), 'final weights differ from the uninterrupted run');
  assert.deepEqual(resumed.result, whole.record.result);
  assert.deepEqual(comparableEvents(await readMetrics(cut.runDir)), comparableEvents(whole.events));
}
