/**
 * What one benchmark measures: a workload kind and a model shape (random weights, no downloads),
 * with the named shapes of the issue "Fast on a laptop CPU" and a validator for CLI input.
 */
import type { Family } from '../models/config';
import { UserError } from '../errors';

export const WORKLOADS = ['train', 'mlm', 'features', 'generate', 'attention', 'load', 'matmul', 'soak'] as const;
export type WorkloadKind = (typeof WORKLOADS)[number];

export const BENCH_FAMILIES = ['bert', 'gpt2'] as const;
export type BenchFamily = Extract<Family, (typeof BENCH_FAMILIES)[number]>;

export interface BenchShape {
  readonly family: BenchFamily;
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly ffn: number;
  readonly vocab: number;
  /** Tokens per sequence (generate: the prompt length). */
  readonly seq: number;
  readonly batch: number;
  /** Position table size (BERT max_position_embeddings, GPT-2 n_positions). */
  readonly positions: number;
}

export interface BenchSpec {
  readonly workload: WorkloadKind;
  readonly shape: BenchShape;
  /** Timed repetitions (optimizer steps, forward passes, generations, loads). */
  readonly steps: number;
  /** Untimed repetitions first: kernel warm-up and wasm memory growth. */
  readonly warmup: number;
  /** generate: tokens to produce after the prompt. */
  readonly newTokens: number;
  /** matmul: square sizes to time. */
  readonly matmulSizes: readonly number[];
  /**
   * train/mlm: sequences per forward and backward; a step accumulates batch / microBatch of them
   * (gradient accumulation, as fine-tuning's gradAccumulation). null: the whole batch at once.
   */
  readonly microBatch: number | null;
  readonly seed: number;
}

/** The shapes the issue names; `seq`/`batch` are the defaults for them. */
export const NAMED_SHAPES = {
  'bert-tiny': { family: 'bert', layers: 2, hidden: 128, heads: 2, ffn: 512, vocab: 8192, seq: 64, batch: 32, positions: 512 },
  'bert-mini': { family: 'bert', layers: 4, hidden: 256, heads: 4, ffn: 1024, vocab: 8192, seq: 64, batch: 32, positions: 512 },
  'bert-base': { family: 'bert', layers: 12, hidden: 768, heads: 12, ffn: 3072, vocab: 30522, seq: 128, batch: 8, positions: 512 },
  'gpt2-small': { family: 'gpt2', layers: 12, hidden: 768, heads: 12, ffn: 3072, vocab: 50257, seq: 32, batch: 1, positions: 1024 },
  'gpt2-tiny': { family: 'gpt2', layers: 2, hidden: 128, heads: 2, ffn: 512, vocab: 8192, seq: 16, batch: 1, positions: 256 },
} as const satisfies Record<string, BenchShape>;
export type ShapeName = keyof typeof NAMED_SHAPES;

export const DEFAULT_BENCH_SPEC: BenchSpec = Object.freeze({
  workload: 'train',
  shape: NAMED_SHAPES['bert-tiny'],
  steps: 5,
  warmup: 1, // the first step grows wasm memory and compiles nothing else worth timing
  newTokens: 128,
  matmulSizes: [128, 256, 384, 512, 768, 1024],
  microBatch: null,
  seed: 1,
});

function check(ok: boolean, what: string): void {
  if (!ok) throw new UserError(`bench: ${what}.`);
}

/** Merges a partial spec into a copy of the defaults and checks every range. */
export function resolveBenchSpec(partial: Partial<Omit<BenchSpec, 'shape'>> & { shape?: Partial<BenchShape> }): BenchSpec {
  const familyDefault = partial.shape?.family === 'gpt2' ? NAMED_SHAPES['gpt2-small'] : DEFAULT_BENCH_SPEC.shape;
  const shape: BenchShape = { ...familyDefault, ...partial.shape };
  const spec: BenchSpec = { ...DEFAULT_BENCH_SPEC, ...partial, shape };
  const positive = (n: number): boolean => Number.isInteger(n) && n > 0;
  check((WORKLOADS as readonly string[]).includes(spec.workload), `--workload must be one of ${WORKLOADS.join(', ')}`);
  check((BENCH_FAMILIES as readonly string[]).includes(shape.family), `--family must be one of ${BENCH_FAMILIES.join(', ')}`);
  for (const key of ['layers', 'hidden', 'heads', 'ffn', 'vocab', 'seq', 'batch', 'positions'] as const) {
    check(positive(shape[key]), `--${key} must be a positive integer, got ${shape[key]}`);
  }
  check(shape.hidden % shape.heads === 0, `--hidden (${shape.hidden}) must be a multiple of --heads (${shape.heads})`);
  check(positive(spec.steps) && Number.isInteger(spec.warmup) && spec.warmup >= 0, '--steps must be ≥ 1 and --warmup ≥ 0');
  const span = spec.workload === 'generate' ? shape.seq + spec.newTokens : shape.seq;
  check(span <= shape.positions, `${span} tokens do not fit ${shape.positions} positions (raise --positions)`);
  check(spec.workload !== 'generate' || shape.family === 'gpt2', 'generate needs --family gpt2');
  check(!['train', 'mlm', 'features', 'attention', 'soak'].includes(spec.workload) || shape.family === 'bert', `${spec.workload} needs --family bert`);
  check(spec.workload !== 'soak' || spec.warmup < spec.steps, 'soak needs --warmup below --steps (the steps before it are not measured for flatness)');
  check(spec.matmulSizes.every(positive), 'matmul sizes must be positive integers');
  const micro = spec.microBatch;
  check(micro === null || (positive(micro) && shape.batch % micro === 0), `--micro-batch must divide --batch (${shape.batch}), got ${micro}`);
  check(micro === null || ['train', 'mlm'].includes(spec.workload), '--micro-batch applies to train and mlm only');
  return spec;
}

/** The Hugging Face config.json of a shape (dropout as in the originals). */
export function hfConfigFor(shape: BenchShape): Record<string, unknown> {
  if (shape.family === 'gpt2') {
    return {
      model_type: 'gpt2', vocab_size: shape.vocab, n_positions: shape.positions, n_embd: shape.hidden, n_layer: shape.layers,
      n_head: shape.heads, n_inner: shape.ffn, activation_function: 'gelu_new', layer_norm_epsilon: 1e-5, bos_token_id: 0, eos_token_id: 0,
    };
  }
  return {
    model_type: 'bert', vocab_size: shape.vocab, hidden_size: shape.hidden, num_hidden_layers: shape.layers,
    num_attention_heads: shape.heads, intermediate_size: shape.ffn, hidden_act: 'gelu', hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1, max_position_embeddings: shape.positions, type_vocab_size: 2, layer_norm_eps: 1e-12, pad_token_id: 0,
  };
}

/** "bert L2 H128 A2 F512 V8192 T64 B32" */
export function describeShape(s: BenchShape): string {
  return `${s.family} L${s.layers} H${s.hidden} A${s.heads} F${s.ffn} V${s.vocab} T${s.seq} B${s.batch}`;
}
