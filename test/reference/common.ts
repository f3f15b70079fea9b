/**
 * Shared parts of the reference forward passes: the output contract, checked weight and config look-ups, and
 * eager multi-head attention as in BertSelfAttention / GPT2Attention._attn / T5Attention (transformers, PyTorch).
 */
import { columns, matmul, matmulTransposed, softmax, type Mat, type Tensor } from './mathRef';

/** What `transfer-lab forward --json` prints for one unpadded sequence (see referenceForward). */
export interface ReferenceOutput {
  /** [T][H] last hidden state (GPT-2: after ln_f; T5: decoder after final_layer_norm). */
  hidden: number[][];
  /** [T][V] for LM heads, [num_labels] for sequence classification, [T][num_labels] for token classification, null for base models. */
  logits: number[][] | number[] | null;
  /** [layer][head][query][key] attention probabilities (T5: the decoder self-attentions). */
  attentions: number[][][][];
  encoder_hidden?: number[][];
  encoder_attentions?: number[][][][];
  decoder_attentions?: number[][][][];
  cross_attentions?: number[][][][];
}

export type Weights = ReadonlyMap<string, Tensor>;
export type Config = Record<string, unknown>;

/** The tensor `name`, checked against `shape` when given; throws naming what is missing. */
export function param(weights: Weights, name: string, shape?: readonly number[]): Tensor {
  const t = weights.get(name);
  if (t === undefined) throw new Error(`reference: checkpoint has no tensor "${name}"`);
  if (shape !== undefined && (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))) {
    throw new Error(`reference: "${name}" has shape [${t.shape.join(',')}], expected [${shape.join(',')}]`);
  }
  return t;
}

/** The prefix under which a head model stores its base model ("bert."), or "" when the file holds the bare model. */
export function basePrefix(weights: Weights, prefix: string, probe: string): string {
  return weights.has(`${prefix}.${probe}`) ? `${prefix}.` : '';
}

export function num(config: Config, key: string, fallback?: number): number {
  const v = config[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`reference: config.${key} is not a number`);
  return v;
}

export function str(config: Config, key: string, fallback?: string): string {
  const v = config[key] ?? fallback;
  if (typeof v !== 'string') throw new Error(`reference: config.${key} is not a string`);
  return v;
}

export function bool(config: Config, key: string, fallback: boolean): boolean {
  const v = config[key] ?? fallback;
  if (typeof v !== 'boolean') throw new Error(`reference: config.${key} is not a boolean`);
  return v;
}

/** config.architectures[0], the class whose head the checkpoint holds. */
export function architecture(config: Config): string {
  const a = config['architectures'];
  const first: unknown = Array.isArray(a) ? a[0] : undefined;
  if (typeof first !== 'string') throw new Error('reference: config.architectures[0] is missing');
  return first;
}

/** PretrainedConfig.num_labels is len(id2label) (default 2). */
export function numLabels(config: Config): number {
  const m = config['id2label'];
  return typeof m === 'object' && m !== null ? Object.keys(m).length : 2;
}

export interface AttentionInput {
  /** [Tq][heads·d], [Tk][heads·d], [Tk][heads·d]: already projected. */
  q: Mat;
  k: Mat;
  v: Mat;
  numHeads: number;
  headDim: number;
  /** Multiplies q·k (1/√d for BERT-likes and GPT-2, 1 for T5). */
  scale: number;
  /** Additive [head][query][key] bias (T5's relative position bias), added after scaling. */
  bias?: readonly (readonly (readonly number[])[])[];
  /** Decoder self-attention: key j is masked for query i when j > i. */
  causal: boolean;
}

export interface AttentionOutput {
  /** [Tq][heads·d], heads concatenated as in `context.transpose(1, 2).reshape(T, heads·d)`. */
  context: Mat;
  /** [head][query][key] softmax probabilities. */
  probs: number[][][];
}

/**
 * softmax(scale · q_h k_hᵀ + bias_h + mask) v_h for each head h, where head h owns columns [h·d, (h+1)·d) (the
 * `view(B, T, heads, d)` split). Masked scores are −∞ here; HF adds finfo(float32).min, which also yields exactly 0.
 */
export function multiHeadAttention(a: AttentionInput): AttentionOutput {
  const heads = Array.from({ length: a.numHeads }, (_, h) => attendOneHead(a, h));
  const context = a.q.map((_, i) => {
    const row = new Float64Array(a.numHeads * a.headDim);
    heads.forEach((head, h) => row.set(head.context[i] ?? [], h * a.headDim));
    return row;
  });
  return { context, probs: heads.map((head) => head.probs) };
}

function attendOneHead(a: AttentionInput, h: number): { context: Mat; probs: number[][] } {
  const q = columns(a.q, h * a.headDim, a.headDim);
  const k = columns(a.k, h * a.headDim, a.headDim);
  const v = columns(a.v, h * a.headDim, a.headDim);
  const scores = matmulTransposed(q, k).map((row, i) =>
    row.map((s, j) => (a.causal && j > i ? -Infinity : s * a.scale + (a.bias?.[h]?.[i]?.[j] ?? 0))),
  );
  const probs = scores.map(softmax);
  return { context: matmul(probs, v), probs: probs.map((r) => Array.from(r)) };
}
