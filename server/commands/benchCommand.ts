/**
 * `transfer-lab bench`: one benchmark workload (random weights, no downloads) in this process,
 * printing per-repetition times and a summary — with --json one object per line, the last
 * `{"type":"summary","tokensPerSec":…,"backend":"…","peakRssMb":…}`. `npm run bench` drives it.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { initBackend } from '../backend/selectBackend';
import { describeShape, resolveBenchSpec, WORKLOADS, type BenchFamily, type WorkloadKind } from '../bench/benchSpec';
import { runWorkload, type BenchSummary } from '../bench/runWorkload';
import type { BackendPreference } from '../protocol';
import { BACKEND_HELP, backendOption, int, intList } from './options';

interface BenchOptions {
  workload: WorkloadKind; family: BenchFamily; backend: BackendPreference; json?: boolean; seed: number;
  layers?: number; hidden?: number; heads?: number; ffn?: number; vocab?: number; seq?: number; batch?: number; positions?: number;
  steps?: number; warmup?: number; newTokens?: number; sizes?: number[]; microBatch?: number;
}

function choice<T extends string>(name: string, values: readonly T[]) {
  return (v: string): T => {
    if ((values as readonly string[]).includes(v)) return v as T;
    throw new InvalidArgumentError(`${name} must be one of ${values.join(', ')}.`);
  };
}

const fmt = (n: number | null, digits = 1): string =>
  n === null ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: Math.abs(n) < 10 ? Math.max(digits, 3) : digits });

function describe(s: BenchSummary): string[] {
  return [
    `${s.workload} · ${describeShape(s.shape)} · ${s.backend} (${s.device})`,
    `  ${fmt(s.value)} ${s.unit} (median of ${s.timesMs.length}: ${s.timesMs.map((t) => fmt(t, 0)).join(', ')} ms)`,
    ...(s.gflops !== null && s.workload !== 'matmul' ? [`  ${fmt(s.gflops)} GFLOP/s of matmul`] : []),
    ...(s.timeToFirstTokenMs !== null ? [`  time to first token ${fmt(s.timeToFirstTokenMs, 0)} ms`] : []),
    ...Object.entries(s.details).map(([k, v]) => `  ${k} ${fmt(v, 3)}`),
    `  peak RSS ${fmt(s.peakRssMb, 0)} MiB · live tensors ${s.tensorsBefore} → ${s.tensorsAfter}${s.leaked ? ' · LEAK' : ''}`,
  ];
}

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('Time one workload on random weights: tokens/s, GFLOP/s, peak memory and live tensors.')
    .option('--workload <kind>', WORKLOADS.join(' | '), choice('--workload', WORKLOADS), 'train')
    .option('--family <name>', 'bert | gpt2', choice('--family', ['bert', 'gpt2'] as const), 'bert')
    .option('--layers <n>', 'layers (default: bert-tiny, or GPT-2 small with --family gpt2)', int('--layers'))
    .option('--hidden <n>', 'hidden size', int('--hidden'))
    .option('--heads <n>', 'attention heads', int('--heads'))
    .option('--ffn <n>', 'feed-forward width', int('--ffn'))
    .option('--vocab <n>', 'vocabulary size', int('--vocab'))
    .option('--seq <n>', 'tokens per sequence (generate: prompt length)', int('--seq'))
    .option('--batch <n>', 'sequences per batch', int('--batch'))
    .option('--positions <n>', 'position table size', int('--positions'))
    .option('--steps <n>', 'timed repetitions (default 5)', int('--steps'))
    .option('--warmup <n>', 'untimed repetitions first (default 1)', int('--warmup'))
    .option('--new-tokens <n>', 'generate: tokens after the prompt (default 128)', int('--new-tokens'))
    .option('--sizes <list>', 'matmul: square sizes, e.g. 128,256,512', intList('--sizes'))
    .option('--micro-batch <n>', 'train/mlm: sequences per forward/backward; a step accumulates --batch / n of them', int('--micro-batch'))
    .option('--seed <n>', 'random seed', int('--seed'), 1)
    .option('--backend <name>', BACKEND_HELP, backendOption, 'auto')
    .option('--json', 'one JSON object per line; the last is the summary')
    .action(async (o: BenchOptions) => {
      const shape = Object.fromEntries(
        (['layers', 'hidden', 'heads', 'ffn', 'vocab', 'seq', 'batch', 'positions'] as const).flatMap((k) => (o[k] === undefined ? [] : [[k, o[k]]])),
      );
      const spec = resolveBenchSpec({
        workload: o.workload, seed: o.seed, shape: { family: o.family, ...shape },
        ...(o.steps === undefined ? {} : { steps: o.steps }), ...(o.warmup === undefined ? {} : { warmup: o.warmup }),
        ...(o.newTokens === undefined ? {} : { newTokens: o.newTokens }), ...(o.sizes === undefined ? {} : { matmulSizes: o.sizes }),
        ...(o.microBatch === undefined ? {} : { microBatch: o.microBatch }),
      });
      const backend = await initBackend(o.backend);
      const summary = await runWorkload(spec, backend);
      const out = (line: string): void => void process.stdout.write(line + '\n');
      if (o.json === true) {
        summary.timesMs.forEach((ms, index) => out(JSON.stringify({ type: 'repetition', index, ms })));
        out(JSON.stringify(summary));
      } else {
        describe(summary).forEach(out);
      }
      if (summary.leaked) process.exitCode = 1;
    });
}
