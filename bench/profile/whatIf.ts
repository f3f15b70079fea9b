/**
 * What each candidate engine change would buy per training step, measured on the step's own
 * shapes: today's cost of a piece (forward + backward where it has one, × how often a step runs
 * it) against an estimate of the changed version. Fused-kernel estimates count memory passes,
 * a "pass" being one measured `tf.add(a, b)` of the same size (read two arrays, write one).
 */
import { tf, type Tensor } from '../../server/backend/tf';
import { layerNorm } from '../../server/models/ops/layerNorm';
import { linear, matMul } from '../../server/models/ops/matMul';
import { activation } from '../../server/models/ops/activations';
import { AdamW, DEFAULT_ADAMW_CONFIG } from '../../server/training/adamw';
import type { BenchShape } from '../../server/bench/benchSpec';
import { median } from '../../server/bench/stats';

export interface WhatIf {
  readonly change: string;
  /** Today's cost per training step, ms. */
  readonly currentMs: number;
  /** Estimated cost per step after the change, ms. */
  readonly afterMs: number;
  readonly how: string;
}

const REPS = 5;

/** Median wall time of `fn` (tidy-wrapped; outputs read back, then disposed). */
async function ms(fn: () => Tensor[]): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i <= REPS; i++) {
    const t0 = performance.now();
    const outs = tf.tidy(fn);
    await Promise.all(outs.map((t) => t.data()));
    if (i > 0) times.push(performance.now() - t0);
    tf.dispose(outs);
  }
  return median(times);
}

const rand = (shape: number[], seed: number): Tensor => tf.randomUniform(shape, -1, 1, 'float32', seed);

/** One memory pass over `size` floats: the fused-kernel yardstick. */
async function passMs(size: number): Promise<number> {
  const a = rand([size], 1);
  const b = rand([size], 2);
  try {
    return await ms(() => [tf.add(a, b)]);
  } finally {
    tf.dispose([a, b]);
  }
}

/** Forward + backward of `f` at inputs `xs` with a random upstream gradient; inputs disposed after. */
async function fwdBwdMs(xs: Tensor[], f: (...xs: Tensor[]) => Tensor): Promise<number> {
  const out = tf.tidy(() => f(...xs));
  const dy = rand(out.shape, 9);
  out.dispose();
  try {
    return await ms(() => tf.grads((...ins: Tensor[]) => tf.sum(tf.mul(f(...ins), dy)))(xs));
  } finally {
    tf.dispose([dy, ...xs]);
  }
}

function dropoutSites(s: BenchShape): number[][] {
  const tokens = [s.batch, s.seq, s.hidden];
  const perLayer = [[s.batch, s.heads, s.seq, s.seq], tokens, tokens];
  return [tokens, ...Array.from({ length: s.layers }, () => perLayer).flat(), [s.batch, s.hidden]];
}

/** Dropout today (alea random numbers in JS + Add, Floor, RealDiv, Multiply kernels) vs a JS xorshift keep-mask and one Multiply. */
async function dropoutWhatIf(s: BenchShape): Promise<WhatIf> {
  let current = 0;
  let after = 0;
  for (const [i, shape] of dropoutSites(s).entries()) {
    const x = rand(shape, i);
    current += await ms(() => [tf.dropout(x, 0.1, undefined, i)]);
    after += await ms(() => {
      const size = x.size;
      const mask = new Float32Array(size);
      let state = (i + 1) * 0x9e3779b1;
      for (let j = 0; j < size; j++) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        mask[j] = (state >>> 0) / 4294967296 >= 0.1 ? 1 / 0.9 : 0;
      }
      return [tf.mul(x, tf.tensor(mask, x.shape))];
    });
    x.dispose();
  }
  return { change: 'dropout: seeded xorshift keep-mask made in one JS loop, one Multiply (forward only; backward unchanged)', currentMs: current, afterMs: after, how: `${dropoutSites(s).length} sites measured as written vs rewritten` };
}

/** Three Q/K/V linears vs one [H, 3H] linear and a split, forward + backward, × layers. */
async function fusedQkvWhatIf(s: BenchShape): Promise<WhatIf> {
  const N = s.batch * s.seq;
  const H = s.hidden;
  const separate = await fwdBwdMs([rand([N, H], 1), rand([H, H], 2), rand([H, H], 3), rand([H, H], 4), rand([H], 5), rand([H], 6), rand([H], 7)],
    (x, wq, wk, wv, bq, bk, bv) => tf.concat([linear(x as Tensor, wq as Tensor, bq as Tensor), linear(x as Tensor, wk as Tensor, bk as Tensor), linear(x as Tensor, wv as Tensor, bv as Tensor)], 1));
  const fused = await fwdBwdMs([rand([N, H], 1), rand([H, 3 * H], 2), rand([3 * H], 3)], (x, w, b) => {
    const [q, k, v] = tf.split(linear(x as Tensor, w as Tensor, b as Tensor), 3, 1);
    return tf.concat([q as Tensor, k as Tensor, v as Tensor], 1);
  });
  return { change: 'fused QKV projection ([H, 3H] weight, one matmul + split)', currentMs: separate * s.layers, afterMs: fused * s.layers, how: `measured fwd+bwd on [${N}×${H}], × ${s.layers} layers (both include one concat)` };
}

/** softmax(q·kᵀ)·v as the engine runs it ([B, h, T, D] batched matmuls) vs a loop of 2-D matmuls per (batch, head). */
async function attentionLoopWhatIfs(s: BenchShape): Promise<WhatIf[]> {
  const shape = [s.batch, s.heads, s.seq, s.hidden / s.heads];
  const [B, h, T, D] = shape as [number, number, number, number];
  const inputs = (): Tensor[] => [rand(shape, 1), rand(shape, 2), rand(shape, 3)];
  const scale = 1 / Math.sqrt(D);
  const batched = (q: Tensor, k: Tensor, v: Tensor): Tensor => matMul(tf.softmax(tf.mul(matMul(q, tf.transpose(k, [0, 1, 3, 2])), scale)), v);
  const looped = (q: Tensor, k: Tensor, v: Tensor): Tensor => {
    const flat = (x: Tensor): Tensor[] => tf.unstack(tf.reshape(x, [B * h, T, D])); // [B·h] × [T, D]
    const ks = flat(k);
    const vs = flat(v);
    const heads = flat(q).map((qi, i) => matMul(tf.softmax(tf.mul(matMul(qi, tf.transpose(ks[i] as Tensor)), scale)), vs[i] as Tensor));
    return tf.reshape(tf.stack(heads), shape);
  };
  const fwd = async (f: typeof batched): Promise<number> => {
    const xs = inputs();
    try {
      return await ms(() => [f(xs[0] as Tensor, xs[1] as Tensor, xs[2] as Tensor)]);
    } finally {
      tf.dispose(xs);
    }
  };
  const change = 'attention: one 2-D matmul per (batch, head) instead of batched [B, h, T, D] products (tfjs-wasm runs batch > 1 in a scalar loop)';
  const how = `q·kᵀ, softmax, p·v on [${shape.join('×')}] × ${s.layers} layers`;
  return [
    { change: `${change}, training`, currentMs: (await fwdBwdMs(inputs(), (q, k, v) => batched(q as Tensor, k as Tensor, v as Tensor))) * s.layers,
      afterMs: (await fwdBwdMs(inputs(), (q, k, v) => looped(q as Tensor, k as Tensor, v as Tensor))) * s.layers, how: `measured fwd+bwd, ${how}` },
    { change: `${change}, inference (forward only; not part of the training step)`, currentMs: (await fwd(batched)) * s.layers, afterMs: (await fwd(looped)) * s.layers, how: `measured forward, ${how}` },
  ];
}

/**
 * A composed op (fwd + bwd) vs a fused kernel estimated at `passes` memory passes plus the
 * transcendental kernels it cannot avoid (`unavoidable`, e.g. erf forward and exp backward), × `count`.
 */
async function fusedWhatIf(
  change: string, shape: number[], count: number, passes: number, inputs: () => Tensor[], f: (...xs: Tensor[]) => Tensor,
  unavoidable: readonly ((x: Tensor) => Tensor)[] = [],
): Promise<WhatIf> {
  const size = shape.reduce((a, b) => a * b, 1);
  const current = (await fwdBwdMs(inputs(), f)) * count;
  const x = rand(shape, 4);
  let kept = 0;
  for (const op of unavoidable) kept += await ms(() => [op(x)]);
  x.dispose();
  const after = ((await passMs(size)) * passes + kept) * count;
  const extra = unavoidable.length > 0 ? ` + the ${unavoidable.length} transcendental kernels it keeps` : '';
  return { change, currentMs: current, afterMs: after, how: `measured fwd+bwd on [${shape.join('×')}] × ${count}; fused ≈ ${passes} passes${extra}` };
}

/** AdamW as written (about 16 kernels per tensor) vs one fused pass (read p, g, m, v; write p, m, v). */
async function adamWWhatIf(vars: readonly tf.Variable[]): Promise<WhatIf> {
  const copies = vars.map((v, i) => ({ name: `p${i}${v.shape.length === 1 ? '.bias' : '.weight'}`, variable: tf.variable(v.clone(), false) }));
  const grads = vars.map((v, i) => rand([...v.shape], 100 + i));
  const opt = new AdamW(copies, DEFAULT_ADAMW_CONFIG);
  const times: number[] = [];
  for (let i = 0; i <= REPS; i++) {
    const t0 = performance.now();
    opt.apply(grads, 1e-4);
    await copies[0]?.variable.data();
    if (i > 0) times.push(performance.now() - t0);
  }
  opt.dispose();
  tf.dispose([...grads, ...copies.map((c) => c.variable)]);
  const total = vars.reduce((n, v) => n + v.size, 0);
  const pass = await passMs(total);
  return { change: 'AdamW: one fused update kernel per tensor (or one over a flat buffer of all tensors)', currentMs: median(times), afterMs: pass * (7 / 3), how: `${vars.length} tensors, ${total.toLocaleString('en-US')} floats; fused ≈ 7 arrays touched = 7/3 passes` };
}

export async function whatIfs(s: BenchShape, vars: readonly tf.Variable[]): Promise<WhatIf[]> {
  const N = s.batch * s.seq;
  const out: WhatIf[] = [...(await attentionLoopWhatIfs(s)), await dropoutWhatIf(s), await fusedQkvWhatIf(s)];
  out.push(await fusedWhatIf('LayerNorm: one fused kernel forward, one backward', [N, s.hidden], 2 * s.layers + 1, 3,
    () => [rand([N, s.hidden], 1), rand([s.hidden], 2), rand([s.hidden], 3)], (x, g, b) => layerNorm(x as Tensor, g as Tensor, b as Tensor, 1e-12)));
  out.push(await fusedWhatIf('softmax: fused backward (y·(dy − Σ dy·y)) in one kernel', [s.batch, s.heads, s.seq, s.seq], s.layers, 1,
    () => [rand([s.batch, s.heads, s.seq, s.seq], 1)], (x) => tf.softmax(x as Tensor), [(x) => tf.softmax(x)]));
  out.push(await fusedWhatIf('GELU (erf): one fused kernel forward, one backward', [N, s.ffn], s.layers, 2,
    () => [rand([N, s.ffn], 1)], (x) => activation('gelu')(x as Tensor), [(x) => tf.erf(x), (x) => tf.exp(x)]));
  out.push(await adamWWhatIf(vars));
  return out;
}
