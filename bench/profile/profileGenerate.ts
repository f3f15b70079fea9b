/**
 * Where one greedy decoding step of GPT-2 goes on the current backend (report only):
 * `node --import tsx bench/profile/profileGenerate.ts [--shape gpt2-small] [--past 64]`.
 * Profiles one single-token forward over a KV cache of `past` positions by kernel, as generate()
 * runs it (the tied head's transposed table kept), and times the tied LM head transposing the
 * [V, H] table every token against the kept table (the wasm matmul then also keeps its packed
 * weights).
 */
import { parseArgs } from 'node:util';
import { tf, tidyKeep, type Tensor } from '../../server/backend/tf';
import { initBackend } from '../../server/backend/selectBackend';
import { NAMED_SHAPES, type ShapeName } from '../../server/bench/benchSpec';
import { randomModel } from '../../server/bench/randomModel';
import { median } from '../../server/bench/stats';
import { INFERENCE, type KeyValue } from '../../server/models/blocks';
import { matMul } from '../../server/models/ops/matMul';

const { values: o } = parseArgs({ options: { shape: { type: 'string', default: 'gpt2-small' }, past: { type: 'string', default: '64' } } });
const f = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 2 : 0 });

async function medianMs(fn: () => Tensor): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    const t = tf.tidy(fn);
    await t.data();
    t.dispose();
    if (i > 0) times.push(performance.now() - t0);
  }
  return median(times);
}

async function main(): Promise<void> {
  const shape = NAMED_SHAPES[o.shape as ShapeName];
  const past = Number(o.past);
  await initBackend('wasm');
  const model = randomModel({ ...shape, batch: 1 }, 'causal-lm', 1);
  const prompt = tf.tensor2d([Array.from({ length: past }, (_, i) => (i * 7919) % shape.vocab)], [1, past], 'int32');
  const cache: KeyValue[] = tidyKeep(() => model.forward({ inputIds: prompt, attentionMask: tf.ones([1, past], 'int32') }, INFERENCE).present as KeyValue[]);
  const step = (): Tensor => model.forward({ inputIds: tf.tensor2d([[1]], [1, 1], 'int32'), attentionMask: tf.ones([1, past + 1], 'int32'), past: cache }, { ...INFERENCE, lastPositionLogits: true }).logits as Tensor;
  // As generate() runs it: the tied head's transposed table is kept for the whole generation.
  const release = model.params.holdTransposes();
  const stepMs = await medianMs(step);
  const info = await tf.profile(() => tf.tidy(step));
  tf.dispose(info.result as Tensor);
  const backend = tf.getBackend();
  const kernels = info.kernels.filter((k) => tf.getKernel(k.name, backend) !== undefined);
  const byName = new Map<string, { ms: number; calls: number }>();
  for (const k of kernels) {
    const key = `${k.name} ${k.inputShapes.map((s) => `[${s.join('×')}]`).join(' ')}`;
    const e = byName.get(key) ?? { ms: 0, calls: 0 };
    e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    e.calls += 1;
    byName.set(key, e);
  }
  release();
  const table = model.params.get('transformer.wte.weight');
  const h = tf.randomUniform([1, shape.hidden]);
  const asWritten = await medianMs(() => matMul(h, tf.transpose(table)));
  const kept = tf.transpose(table);
  const keptMs = await medianMs(() => matMul(h, kept));
  const lines = [
    `# one decoding step: ${o.shape}, ${past} cached positions, ${backend}`, '',
    `step ${f(stepMs)} ms (median of 5) = ${f(1000 / stepMs)} tokens/s; ${kernels.length} kernels.`, '',
    '| kernel and input shapes | ms | calls |', '|---|---|---|',
    ...[...byName.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15).map(([k, v]) => `| ${k} | ${f(v.ms)} | ${v.calls} |`), '',
    `LM head [1×${shape.hidden}]·tableᵀ: as written (transpose every token) ${f(asWritten)} ms; with the transposed table kept ${f(keptMs)} ms.`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  tf.dispose([prompt, h, kept, ...cache.flatMap((kv) => [kv.k, kv.v])]);
  model.dispose();
}

main().catch((err: unknown) => {
  process.stderr.write(`profile: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});
