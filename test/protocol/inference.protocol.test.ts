/**
 * Inference over the real server: model discovery, attention maps (shape and tokens), streamed
 * and cancellable generation, zero-shot and fill-mask — and 20 concurrent attention/prompt
 * requests all answered while a run trains (none waiting for it to finish).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import {
  GeneratedTextNotification, ModelAttention, ModelClassify, ModelFillMask, ModelGenerate, ModelList, RunCancel, RunList, RunMetricsNotification, RunStart,
} from '../../server/protocol';
import { writeHfCheckpoint } from '../helpers/hfCheckpoints';
import { initBackend } from '../../server/backend/selectBackend';
import { saveModelFolder } from '../../server/checkpoints/modelFolder';
import { FAMILY_DEFINITIONS } from '../../server/models/families';
import { TransformerModel } from '../../server/models/transformerModel';
import { TextTokenizer } from '../../server/tokenizers/textTokenizer';
import { trainTokenizerForFamily } from '../../server/tokenizers/trainTokenizers';
import { startServer, waitFor, type ServerHandle } from '../helpers/serverProcess';

const ROOT = join(__dirname, '..', '..');
const SMS = join(ROOT, 'data', 'sms-spam', 'sms_spam.csv');
const RUN_TIMEOUT_MS = 120_000;
const sampling = { maxTokens: 8, temperature: 0, topK: 0, topP: 1, stop: [], seed: 1 };

let server: ServerHandle;
let workspace: string;
let bert: string;
let gpt2: string;
let gpt2Long: string;

before(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'tl-inference-'));
  bert = join(workspace, 'models', 'bert-mlm');
  gpt2 = join(workspace, 'models', 'gpt2-lm');
  mkdirSync(bert, { recursive: true });
  mkdirSync(gpt2, { recursive: true });
  await initBackend('wasm');
  writeHfCheckpoint(bert, { family: 'bert', head: 'masked-lm', seed: 2 });
  writeHfCheckpoint(gpt2, { family: 'gpt2', head: 'causal-lm', seed: 3 });
  gpt2Long = join(workspace, 'models', 'gpt2-tiny-preset');
  const tokenizer = TextTokenizer.fromJson(trainTokenizerForFamily('gpt2', ['hello world', 'a longer text to learn from'], 300), 'test');
  const model = TransformerModel.fresh(FAMILY_DEFINITIONS.gpt2, 'tiny', tokenizer.vocabSize, { pad: tokenizer.padId, bos: tokenizer.bosId, eos: null }, 'causal-lm', [], 1);
  await saveModelFolder(gpt2Long, model, tokenizer, 512);
  model.dispose();
  server = await startServer();
});
after(async () => server.stop());

test('model list finds workspace folders with family, head and tokenizer', async () => {
  const { models, presets } = await server.connection.sendRequest(ModelList.type, { workspaceRoots: [workspace], modelPaths: [], runsDir: join(workspace, '.transfer-lab', 'runs') });
  const names = models.map((m) => `${m.name}:${m.family}:${m.head}`).sort();
  assert.deepEqual(names, ['models/bert-mlm:bert:masked-lm', 'models/gpt2-lm:gpt2:causal-lm', 'models/gpt2-tiny-preset:gpt2:causal-lm']);
  assert.ok(presets.includes('tiny') && presets.includes('gpt2-tiny'));
});

test('attention maps: [layers, heads, T, T] float32 rows summing to 1, with the tokenizer\'s tokens', async () => {
  const r = await server.connection.sendRequest(ModelAttention.type, { model: bert, text: 'hello world' });
  const a = r.attention;
  const T = a.queryTokens.length;
  assert.equal(a.keyTokens.length, T);
  const data = new Float32Array(new Uint8Array(Buffer.from(a.data, 'base64')).buffer); // copy: small Buffers share a pool
  assert.equal(data.length, a.layers * a.heads * T * T);
  for (let row = 0; row < a.layers * a.heads * T; row++) {
    const sum = data.slice(row * T, row * T + T).reduce((x, y) => x + y, 0);
    assert.ok(Math.abs(sum - 1) < 1e-4);
  }
  assert.equal(r.decoderAttention, null);
});

test('generation streams pieces that add up to the text, and stops when cancelled', async () => {
  const pieces: string[] = [];
  const sub = server.connection.onNotification(GeneratedTextNotification.type, (p) => {
    if (p.requestId === 'g1') pieces.push(p.piece);
  });
  const r = await server.connection.sendRequest(ModelGenerate.type, { ...sampling, model: gpt2, prompt: 'hello', requestId: 'g1' });
  sub.dispose();
  assert.equal(pieces.join(''), r.text);
  assert.equal(r.cancelled, false);
  // A preset-sized GPT-2 (512 positions) generates long enough to be cancelled mid-stream.
  const source = new CancellationTokenSource();
  let streamed = 0;
  const counting = server.connection.onNotification(GeneratedTextNotification.type, (p) => {
    if (p.requestId !== 'g2') return;
    streamed += 1;
    if (streamed === 3) source.cancel();
  });
  const long = server.connection.sendRequest(ModelGenerate.type, { ...sampling, maxTokens: 400, model: gpt2Long, prompt: 'hello', requestId: 'g2' }, source.token);
  const cancelled = await long.catch((e: unknown) => e);
  counting.dispose();
  // Either the handler saw the cancellation (cancelled: true) or the client rejected the request.
  assert.ok(cancelled instanceof Error || (cancelled as { cancelled: boolean; tokens: number }).cancelled === true, JSON.stringify(cancelled));
  if (!(cancelled instanceof Error)) assert.ok((cancelled as { tokens: number }).tokens < 400, 'stopped early');
});

test('zero-shot and fill-mask answer with probabilities', async () => {
  const c = await server.connection.sendRequest(ModelClassify.type, { model: bert, text: 'a fine day', labels: ['good', 'bad'], template: null, calibrate: true });
  assert.ok(Math.abs(c.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-6);
  const f = await server.connection.sendRequest(ModelFillMask.type, { model: bert, text: 'a [MASK] day', topK: 3 });
  assert.equal(f.predictions[0]?.length, 3);
});

test('20 concurrent attention and prompt requests are all answered while a run trains', async () => {
  const runsDir = join(workspace, '.transfer-lab', 'runs');
  const { run } = await server.connection.sendRequest(RunStart.type, { config: { dataset: SMS, epochs: 3 }, runsDir });
  await waitFor<void>((cb) => server.connection.onNotification(RunMetricsNotification.type, (p) => {
    if (p.runId === run.runId) cb();
  }), RUN_TIMEOUT_MS, 'the run to start training');
  const requests = Array.from({ length: 20 }, (_, i) => i % 2 === 0
    ? server.connection.sendRequest(ModelAttention.type, { model: bert, text: `request number ${i}` }).then(() => 'attention')
    : server.connection.sendRequest(ModelGenerate.type, { ...sampling, model: gpt2, prompt: `request ${i}`, requestId: `c${i}` }).then(() => 'generate'));
  const answers = await Promise.all(requests);
  assert.equal(answers.length, 20);
  const { runs } = await server.connection.sendRequest(RunList.type, { runsDir });
  assert.equal(runs.find((r) => r.runId === run.runId)?.state, 'running', 'the requests were answered before the run finished');
  await server.connection.sendRequest(RunCancel.type, { runId: run.runId });
});
