/**
 * `soak`: a long fine-tuning run through the real run path (data batches, the training loop,
 * evaluations, checkpoints, forgetting diagnostics, metrics.jsonl) on a random-weight model and a
 * generated dataset, sampling live tensors and RSS at every step. After `warmup` steps (wasm heap
 * growth, first checkpoint) both must stay flat: a growing tensor count is a leak, and the RSS
 * slope per 1,000 steps says whether memory creeps. The headline is the run's tokens/s.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendInfo, MetricEvent } from '../protocol';
import { resolveFineTuneConfig } from '../finetune/fineTuneConfig';
import { executeRun } from '../runs/executeRun';
import { RunWriter } from '../runs/runStore';
import { initBackend } from '../backend/selectBackend';
import type { BenchSpec } from './benchSpec';
import { BENCH_TEXT, saveRandomModelFolder } from './benchModelFolder';
import { liveTensors } from './measure';
import { median } from './stats';
import { timedResult, type WorkloadResult } from './workloadResult';

/** Optimizer steps per epoch of the generated dataset (train rows = batch × this). */
export const SOAK_STEPS_PER_EPOCH = 50;
/**
 * Evaluations (each with a checkpoint and forgetting diagnostics) over the whole soak: each one
 * lifts RSS for a moment (file buffers), so several spread the bumps instead of ending on one.
 */
const SOAK_EVALUATIONS = 10;
/** Share of the measured steps whose median RSS stands for "start" and for "end". */
const RSS_WINDOW = 0.1;

export interface SoakSample {
  readonly step: number;
  readonly tensors: number;
  readonly rssMb: number;
}

/** Least-squares slope of y over x, per 1,000 x (0 with fewer than two points). */
export function slopePer1000(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? 0 : (1000 * num) / den;
}

/** Rows "text,label" from BENCH_TEXT's words; the label is a rule of the words, so it is learnable. */
function soakCsv(rows: number, seed: number): string {
  const words = BENCH_TEXT.split(/\s+/);
  let s = seed >>> 0 || 1;
  const next = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const lines = ['text,label'];
  for (let i = 0; i < rows; i++) {
    const picked = Array.from({ length: 6 + Math.floor(next() * 20) }, () => words[Math.floor(next() * words.length)] ?? 'cpu');
    lines.push(`${picked.join(' ')},${picked.includes('laptop') || picked.includes('download') ? 'spam' : 'ham'}`);
  }
  return lines.join('\n') + '\n';
}

/** Figures of the samples after warm-up (the table's note and the JSON details). */
export function soakFigures(samples: readonly SoakSample[], warmup: number): Record<string, number> {
  const after = samples.filter((p) => p.step > warmup);
  const first = after[0];
  const last = after[after.length - 1];
  if (first === undefined || last === undefined) throw new Error(`the soak recorded no step after warm-up (${samples.length} steps)`);
  const window = Math.max(1, Math.round(after.length * RSS_WINDOW));
  const rss = after.map((p) => p.rssMb);
  return {
    steps: last.step,
    fromStep: first.step,
    tensorsMin: Math.min(...after.map((p) => p.tensors)),
    tensorsMax: Math.max(...after.map((p) => p.tensors)),
    tensorsSlopePer1kSteps: slopePer1000(after.map((p) => ({ x: p.step, y: p.tensors }))),
    // Medians of the first and last windows: one evaluation's passing bump does not decide them.
    rssStartMb: median(rss.slice(0, window)),
    rssEndMb: median(rss.slice(-window)),
    rssMaxMb: Math.max(...rss),
    rssSlopeMbPer1kSteps: slopePer1000(after.map((p) => ({ x: p.step, y: p.rssMb }))),
  };
}

export async function soakWorkload(spec: BenchSpec): Promise<WorkloadResult> {
  const s = spec.shape;
  const dir = await mkdtemp(join(tmpdir(), 'transfer-lab-soak-'));
  try {
    const model = join(dir, 'model');
    await saveRandomModelFolder(model, s, 'base', spec.seed);
    await writeFile(join(dir, 'train.csv'), soakCsv(s.batch * SOAK_STEPS_PER_EPOCH, spec.seed));
    await writeFile(join(dir, 'val.csv'), soakCsv(4 * s.batch, spec.seed + 1));
    const epochs = Math.ceil(spec.steps / SOAK_STEPS_PER_EPOCH);
    const config = resolveFineTuneConfig({
      dataset: join(dir, 'train.csv'), valDataset: join(dir, 'val.csv'), model, epochs, batchSize: s.batch, maxLength: s.seq,
      learningRate: 5e-5, evalEvery: Math.max(1, Math.floor((epochs * SOAK_STEPS_PER_EPOCH) / SOAK_EVALUATIONS)), seed: spec.seed,
    });
    const samples: SoakSample[] = [];
    const stepMs: number[] = [];
    const tokensPerSec: number[] = [];
    const onEvents = (events: readonly MetricEvent[]): void => {
      for (const e of events) {
        if (e.type !== 'step') continue;
        samples.push({ step: e.step, tensors: liveTensors(), rssMb: process.memoryUsage().rss / 2 ** 20 });
        if (e.step > spec.warmup) tokensPerSec.push(e.tokensPerSec);
        stepMs.push(e.elapsedMs);
      }
    };
    const writer = await RunWriter.create(join(dir, 'runs'), config);
    const backend: BackendInfo = await initBackend(); // the one the bench command started
    const record = await executeRun(writer, backend, { onEvents, onRecord: () => undefined, onLog: () => undefined, isCancelled: () => false });
    if (record.state !== 'completed') throw new Error(`the soak run ${record.state}: ${record.message ?? ''}`);
    const details = soakFigures(samples, spec.warmup);
    // Step times come from the events' clock (evaluations included); kept as one figure, not 2,000.
    const stepTimes = stepMs.slice(1).map((t, i) => t - (stepMs[i] ?? 0));
    const tokens = median(tokensPerSec);
    return {
      ...timedResult(
        // "Before → after" is the count at the first measured step → the most at any later step: any growth is a leak.
        { workload: 'soak', shape: s, timesMs: [], tensorsBefore: samples.find((p) => p.step > spec.warmup)?.tensors ?? NaN, tensorsAfter: details['tensorsMax'] ?? NaN },
        { tokensPerRun: null, matmulFlops: null, unit: 'tokens/s', medianMs: median(stepTimes), details: { ...details, medianStepMs: median(stepTimes) } },
      ),
      value: tokens,
      tokensPerSec: tokens,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
