/**
 * What `npm run bench` runs: each item is one process of `transfer-lab bench` (and the same
 * arguments to bench/torch_bench.py). The full plan uses the shapes; --quick uses small
 * shapes only and stays under two minutes on two cores.
 */
import { NAMED_SHAPES, type BenchShape, type ShapeName, type WorkloadKind } from '../server/bench/benchSpec';

export interface PlanItem {
  readonly workload: WorkloadKind;
  readonly shapeName: ShapeName;
  readonly shape: BenchShape;
  readonly steps: number;
  readonly warmup: number;
  readonly newTokens?: number;
  readonly sizes?: readonly number[];
  /** train/mlm: our side accumulates batch / microBatch micro-batches per step (PyTorch takes the batch whole). */
  readonly microBatch?: number;
  /** Shown in the table's note column. */
  readonly note?: string;
  /** False where bench/torch_bench.py has no counterpart (soak). */
  readonly torch?: boolean;
}

function item(workload: WorkloadKind, shapeName: ShapeName, steps: number, warmup: number, extra: Partial<PlanItem> & { overrides?: Partial<BenchShape> } = {}): PlanItem {
  const { overrides, ...rest } = extra;
  return { workload, shapeName, shape: { ...NAMED_SHAPES[shapeName], ...overrides }, steps, warmup, ...rest };
}

const ATTENTION_NOTE = 'in-process forward with outputAttentions (the engine alone; see the request row for the server round trip)';
/** The soak's shape: bert-tiny's layers on short sequences, so 2,000 real fine-tuning steps take minutes (steps: whole epochs of 50). */
const SOAK_SHAPE = { seq: 32, batch: 8 } as const;

export const FULL_PLAN: readonly PlanItem[] = [
  item('matmul', 'bert-tiny', 5, 1, { sizes: [128, 256, 384, 512, 768, 1024] }),
  item('train', 'bert-tiny', 10, 2),
  item('train', 'bert-mini', 5, 1),
  // The whole batch's activations do not fit the wasm backend's 4 GiB heap next to the weights.
  item('train', 'bert-base', 2, 1, { microBatch: 2, note: 'ours: 4 micro-batches of 2 per step (gradient accumulation: the batch does not fit the 4 GiB WebAssembly heap); PyTorch: the batch of 8 at once' }),
  item('mlm', 'bert-tiny', 5, 1),
  item('mlm', 'bert-mini', 3, 1),
  item('features', 'bert-base', 3, 1),
  item('generate', 'gpt2-small', 1, 1, { newTokens: 128 }),
  item('attention', 'bert-base', 5, 1, { overrides: { seq: 64, batch: 1 }, note: ATTENTION_NOTE }),
  item('load', 'bert-base', 3, 1),
  item('soak', 'bert-tiny', 2000, 200, { overrides: SOAK_SHAPE, torch: false }),
];

export const QUICK_PLAN: readonly PlanItem[] = [
  item('matmul', 'bert-tiny', 3, 1, { sizes: [128, 256, 512] }),
  item('train', 'bert-tiny', 3, 1),
  item('mlm', 'bert-tiny', 2, 1, { overrides: { batch: 8 } }),
  item('features', 'bert-tiny', 3, 1),
  item('generate', 'gpt2-tiny', 2, 1, { newTokens: 16 }),
  item('attention', 'bert-tiny', 3, 1, { note: ATTENTION_NOTE, overrides: { batch: 1 } }),
  item('load', 'bert-mini', 2, 1),
  item('soak', 'bert-tiny', 150, 50, { overrides: SOAK_SHAPE, torch: false }),
];

/** `transfer-lab bench`'s arguments: the shared ones and ours alone. */
export function engineArgs(p: PlanItem): string[] {
  return [...workloadArgs(p), ...(p.microBatch === undefined ? [] : ['--micro-batch', `${p.microBatch}`])];
}

/** The command-line arguments shared by `transfer-lab bench` and torch_bench.py. */
export function workloadArgs(p: PlanItem): string[] {
  const s = p.shape;
  const args = [
    '--workload', p.workload, '--family', s.family, '--layers', `${s.layers}`, '--hidden', `${s.hidden}`, '--heads', `${s.heads}`,
    '--ffn', `${s.ffn}`, '--vocab', `${s.vocab}`, '--seq', `${s.seq}`, '--batch', `${s.batch}`, '--positions', `${s.positions}`,
    '--steps', `${p.steps}`, '--warmup', `${p.warmup}`,
  ];
  if (p.newTokens !== undefined) args.push('--new-tokens', `${p.newTokens}`);
  if (p.sizes !== undefined) args.push('--sizes', p.sizes.join(','));
  return args;
}
