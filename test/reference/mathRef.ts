/**
 * Float64 building blocks of the reference forward passes, with the semantics of torch.nn.Linear, transformers'
 * pytorch_utils.Conv1D, nn.LayerNorm, T5LayerNorm (models/t5/modeling_t5.py) and ACT2FN (transformers/activations.py).
 */

/** A float32 checkpoint tensor, row-major, in Hugging Face orientation. */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** One vector (a token's hidden state). */
export type Vec = Float64Array;
/** A [rows][cols] matrix, one Float64Array per row (a sequence of hidden states). */
export type Mat = Float64Array[];

function fail(why: string): never {
  throw new Error(`mathRef: ${why}`);
}

function at(v: ArrayLike<number>, i: number): number {
  const x = v[i];
  if (x === undefined) fail(`index ${i} out of range ${v.length}`);
  return x;
}

function rowOf(m: Mat, i: number): Vec {
  const r = m[i];
  if (r === undefined) fail(`row ${i} out of range ${m.length}`);
  return r;
}

export function width(m: Mat): number {
  return m[0]?.length ?? 0;
}

/** Row i of a 2-D tensor as float64 (an embedding lookup). */
export function tensorRow(t: Tensor, i: number): Vec {
  const [rows, cols] = t.shape;
  if (t.shape.length !== 2 || rows === undefined || cols === undefined) fail(`tensorRow needs a 2-D tensor, got [${t.shape.join(',')}]`);
  if (!Number.isInteger(i) || i < 0 || i >= rows) fail(`row ${i} out of range [0, ${rows})`);
  return Float64Array.from(t.data.subarray(i * cols, (i + 1) * cols));
}

/** nn.Embedding: one table row per id. */
export function embed(table: Tensor, ids: readonly number[]): Mat {
  return ids.map((id) => tensorRow(table, id));
}

/** torch.nn.Linear: y = x Wᵀ + b with W stored [out, in]. */
export function linear(x: Mat, weight: Tensor, bias?: Tensor): Mat {
  const [out, inp] = weight.shape;
  if (weight.shape.length !== 2 || out === undefined || inp === undefined) fail('linear weight must be 2-D [out, in]');
  if (width(x) !== inp) fail(`linear: input width ${width(x)} but weight is [${out}, ${inp}]`);
  if (bias !== undefined && (bias.shape.length !== 1 || bias.shape[0] !== out)) fail(`linear: bias shape [${bias.shape.join(',')}] for ${out} outputs`);
  return x.map((row) => {
    const y = new Float64Array(out);
    for (let o = 0; o < out; o++) {
      let s = bias === undefined ? 0 : at(bias.data, o);
      const base = o * inp;
      for (let i = 0; i < inp; i++) s += at(row, i) * at(weight.data, base + i);
      y[o] = s;
    }
    return y;
  });
}

/** transformers.pytorch_utils.Conv1D (GPT-2): y = x W + b with W stored [in, out] (the transpose of nn.Linear). */
export function conv1d(x: Mat, weight: Tensor, bias: Tensor): Mat {
  const [inp, out] = weight.shape;
  if (weight.shape.length !== 2 || inp === undefined || out === undefined) fail('Conv1D weight must be 2-D [in, out]');
  if (width(x) !== inp) fail(`Conv1D: input width ${width(x)} but weight is [${inp}, ${out}]`);
  if (bias.shape.length !== 1 || bias.shape[0] !== out) fail(`Conv1D: bias shape [${bias.shape.join(',')}] for ${out} outputs`);
  return x.map((row) => {
    const y = Float64Array.from(bias.data);
    for (let i = 0; i < inp; i++) {
      const xi = at(row, i);
      const base = i * out;
      for (let o = 0; o < out; o++) y[o] = at(y, o) + xi * at(weight.data, base + o);
    }
    return y;
  });
}

export function add(a: Mat, b: Mat): Mat {
  if (a.length !== b.length || width(a) !== width(b)) fail('add: shapes differ');
  return a.map((r, i) => r.map((v, j) => v + at(rowOf(b, i), j)));
}

export function scale(a: Mat, s: number): Mat {
  return a.map((r) => r.map((v) => v * s));
}

export function map(a: Mat, f: (v: number) => number): Mat {
  return a.map((r) => r.map(f));
}

export function multiply(a: Mat, b: Mat): Mat {
  if (a.length !== b.length || width(a) !== width(b)) fail('multiply: shapes differ');
  return a.map((r, i) => r.map((v, j) => v * at(rowOf(b, i), j)));
}

/** Columns [from, from + count) of every row (one attention head's slice). */
export function columns(a: Mat, from: number, count: number): Mat {
  return a.map((r) => r.slice(from, from + count));
}

/** a bᵀ: [n][d] × [m][d] → [n][m]. */
export function matmulTransposed(a: Mat, b: Mat): Mat {
  if (width(a) !== width(b)) fail('matmulTransposed: inner sizes differ');
  return a.map((ra) => Float64Array.from(b, (rb) => dot(ra, rb)));
}

/** a b: [n][k] × [k][m] → [n][m]. */
export function matmul(a: Mat, b: Mat): Mat {
  if (width(a) !== b.length) fail('matmul: inner sizes differ');
  const m = width(b);
  return a.map((ra) => {
    const y = new Float64Array(m);
    ra.forEach((v, k) => {
      const rb = rowOf(b, k);
      for (let j = 0; j < m; j++) y[j] = at(y, j) + v * at(rb, j);
    });
    return y;
  });
}

export function dot(a: Vec, b: Vec): number {
  if (a.length !== b.length) fail('dot: lengths differ');
  let s = 0;
  for (let i = 0; i < a.length; i++) s += at(a, i) * at(b, i);
  return s;
}

/** Softmax of one row; -Infinity entries (masked keys) get exactly 0. */
export function softmax(row: Vec): Vec {
  let max = -Infinity;
  for (const v of row) max = Math.max(max, v);
  if (max === -Infinity) fail('softmax: every entry is masked');
  const e = row.map((v) => Math.exp(v - max));
  const sum = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / sum);
}

function checkVector(t: Tensor, n: number, what: string): void {
  if (t.shape.length !== 1 || t.shape[0] !== n) fail(`${what}: expected [${n}], got [${t.shape.join(',')}]`);
}

/** nn.LayerNorm over the last axis: (x − mean) / sqrt(var + eps) · γ + β, biased variance. */
export function layerNorm(x: Mat, gamma: Tensor, beta: Tensor, eps: number): Mat {
  const n = width(x);
  checkVector(gamma, n, 'layerNorm weight');
  checkVector(beta, n, 'layerNorm bias');
  return x.map((r) => {
    const mean = r.reduce((s, v) => s + v, 0) / n;
    const variance = r.reduce((s, v) => s + (v - mean) * (v - mean), 0) / n;
    const inv = 1 / Math.sqrt(variance + eps);
    return r.map((v, i) => (v - mean) * inv * at(gamma.data, i) + at(beta.data, i));
  });
}

/** T5LayerNorm (RMS norm): x / sqrt(mean(x²) + eps) · w — no mean subtraction, no bias. */
export function rmsNorm(x: Mat, weight: Tensor, eps: number): Mat {
  const n = width(x);
  checkVector(weight, n, 'rmsNorm weight');
  return x.map((r) => {
    const meanSquare = r.reduce((s, v) => s + v * v, 0) / n;
    const inv = 1 / Math.sqrt(meanSquare + eps);
    return r.map((v, i) => at(weight.data, i) * (v * inv));
  });
}

/**
 * erf to double precision. For |x| < 6 it sums the series erf(x) = 2/√π · e^(−x²) · Σₙ 2ⁿ x^(2n+1) / (1·3·…·(2n+1))
 * (Abramowitz & Stegun 7.1.6): every term is positive, so there is no cancellation and the relative error stays
 * ~1e-16 (checked against literal values in reference.test.ts). For |x| ≥ 6, 1 − |erf(x)| < 2e-17, so ±1 is exact.
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax >= 6) return Math.sign(x);
  let term = ax;
  let sum = ax;
  for (let n = 1; term > sum * 1e-17; n++) {
    term *= (2 * ax * ax) / (2 * n + 1);
    sum += term;
  }
  return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * Math.exp(-ax * ax) * sum;
}

/** ACT2FN["gelu"] (GELUActivation = torch.nn.functional.gelu): x · Φ(x) = 0.5 x (1 + erf(x/√2)). */
export function geluErf(x: number): number {
  return 0.5 * x * (1 + erf(x / Math.SQRT2));
}

/** ACT2FN["gelu_new"] (NewGELUActivation) and ACT2FN["gelu_pytorch_tanh"]: 0.5 x (1 + tanh(√(2/π)(x + 0.044715 x³))). */
export function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
}

export function relu(x: number): number {
  return x > 0 ? x : 0;
}

/** The ACT2FN entries these six families use, by their config name. */
export function activation(name: string): (x: number) => number {
  switch (name) {
    case 'gelu':
      return geluErf;
    case 'gelu_new':
    case 'gelu_pytorch_tanh':
      return geluTanh;
    case 'relu':
      return relu;
    default:
      return fail(`activation "${name}" is not implemented by the reference`);
  }
}

/** Float64 rows → plain nested number arrays (the JSON shape of the CLI output). */
export function toArrays(m: Mat): number[][] {
  return m.map((r) => Array.from(r));
}
