/**
 * AdamW (Loshchilov & Hutter, 2019): Adam with decoupled weight decay, none on biases and norm
 * weights. Moments are tf.Variables owned by the optimizer; call dispose() when the run ends.
 * Each parameter may carry a learning-rate scale (layer-wise LR decay). The state exports and
 * imports as plain arrays so a checkpoint can resume a run exactly.
 */
import { tf, type Tensor, type Variable } from '../backend/tf';
import { rawFloat32, type RawFloat32 } from './rawTensorAccess';

export interface AdamWConfig {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
}

export const DEFAULT_ADAMW_CONFIG: AdamWConfig = Object.freeze({
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8, // HF/PyTorch default
  weightDecay: 0.01,
});

/** HF convention: no decay on biases and LayerNorm weights. */
export function decays(name: string): boolean {
  return !(name.endsWith('.bias') || /layernorm|layer_norm|ln_|_norm\b|\.norm\./i.test(name));
}

export interface OptimizedParameter {
  readonly name: string;
  readonly variable: Variable;
  /** Multiplies the learning rate for this parameter (layer-wise decay); default 1. */
  readonly lrScale?: number;
}

/** Moments by parameter name, and the step count (bias correction). */
export interface AdamWState {
  readonly step: number;
  readonly m: ReadonlyMap<string, Float32Array>;
  readonly v: ReadonlyMap<string, Float32Array>;
}

interface Slot {
  readonly name: string;
  readonly param: Variable;
  readonly m: Variable;
  readonly v: Variable;
  readonly lrScale: number;
}

export class AdamW {
  private readonly slots: Slot[];
  private t = 0;

  constructor(params: readonly OptimizedParameter[], private readonly config: AdamWConfig = DEFAULT_ADAMW_CONFIG) {
    this.slots = params.map(({ name, variable, lrScale }) => ({
      name,
      param: variable,
      // tidy frees the zeros a variable is made from (a variable shares, not owns, its initial tensor)
      m: tf.tidy(() => tf.variable(tf.zerosLike(variable), false)),
      v: tf.tidy(() => tf.variable(tf.zerosLike(variable), false)),
      lrScale: lrScale ?? 1,
    }));
  }

  get step(): number {
    return this.t;
  }

  /**
   * Applies one update with `grads` (same order as the params) at learning rate `lr`, each
   * gradient multiplied by `gradScale` (global-norm clipping) on the fly. One tidy per parameter
   * keeps the transient memory to one parameter's worth (bert-base would not fit in the wasm
   * heap if every parameter's intermediates lived until the end of the step).
   */
  apply(grads: readonly (Tensor | null)[], lr: number, gradScale: Tensor | null = null): void {
    this.t += 1;
    const { beta1, beta2 } = this.config;
    const bc1 = 1 - beta1 ** this.t;
    const bc2 = 1 - beta2 ** this.t;
    const scale = gradScale === null ? 1 : (rawFloat32(gradScale)?.values[0] ?? null);
    this.slots.forEach((s, i) => {
      const g = grads[i];
      if (g === undefined || g === null) return;
      const lrHere = lr * s.lrScale;
      if (scale === null || !this.updateInPlace(s, g, lrHere, scale, bc1, bc2)) this.updateWithOps(s, g, lrHere, gradScale, bc1, bc2);
    });
  }

  /**
   * The update as one fused loop over the storage (see rawTensorAccess.ts); false when
   * impossible. Moments are updated in place; the parameter is written into a fresh tensor and
   * assigned, because the wasm backend caches matmul weights (XNNPACK packs them) by tensor id —
   * changing a weight's values under the same id would leave matmuls using stale weights.
   */
  private updateInPlace(s: Slot, grad: Tensor, lr: number, scale: number, bc1: number, bc2: number): boolean {
    const m = rawFloat32(s.m);
    const v = rawFloat32(s.v);
    if (m === null || v === null || !m.exclusive || !v.exclusive) return false;
    const next = tf.zerosLike(s.param);
    // Views last only until the next allocation (the heap may grow): take them all after it.
    const out = rawFloat32(next);
    const views = [rawFloat32(s.param), rawFloat32(s.m), rawFloat32(s.v), rawFloat32(grad), out];
    if (out === null || !out.exclusive || views.some((x) => x === null)) {
      next.dispose();
      return false;
    }
    const [pv, mv, vv, gv, nv] = views.map((x) => (x as RawFloat32).values) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    const { beta1, beta2, epsilon } = this.config;
    const decay = this.config.weightDecay > 0 && decays(s.name) ? lr * this.config.weightDecay : 0;
    for (let j = 0; j < pv.length; j++) {
      const gj = (gv[j] as number) * scale;
      const mj = beta1 * (mv[j] as number) + (1 - beta1) * gj;
      const vj = beta2 * (vv[j] as number) + (1 - beta2) * gj * gj;
      mv[j] = mj;
      vv[j] = vj;
      const pj = pv[j] as number;
      nv[j] = pj - lr * ((mj / bc1) / (Math.sqrt(vj / bc2) + epsilon)) - decay * pj;
    }
    s.param.assign(next);
    next.dispose();
    return true;
  }

  /** The same update with tensor ops, for backends whose storage is not in this process. */
  private updateWithOps(s: Slot, raw: Tensor, lr: number, gradScale: Tensor | null, bc1: number, bc2: number): void {
    const { beta1, beta2, epsilon, weightDecay } = this.config;
    tf.tidy(() => {
      const g = gradScale === null ? raw : tf.mul(raw, gradScale);
      const m = tf.add(tf.mul(s.m, beta1), tf.mul(g, 1 - beta1));
      const v = tf.add(tf.mul(s.v, beta2), tf.mul(tf.mul(g, g), 1 - beta2));
      const update = tf.div(tf.div(m, bc1), tf.add(tf.sqrt(tf.div(v, bc2)), epsilon));
      let next = tf.sub(s.param, tf.mul(update, lr));
      if (weightDecay > 0 && decays(s.name)) next = tf.sub(next, tf.mul(s.param, lr * weightDecay));
      s.m.assign(m);
      s.v.assign(v);
      s.param.assign(next);
    });
  }

  async exportState(): Promise<AdamWState> {
    const m = new Map<string, Float32Array>();
    const v = new Map<string, Float32Array>();
    for (const s of this.slots) {
      m.set(s.name, new Float32Array(await s.m.data()));
      v.set(s.name, new Float32Array(await s.v.data()));
    }
    return { step: this.t, m, v };
  }

  /** Restores moments saved by exportState (parameters missing from the state keep zeros). */
  importState(state: AdamWState): void {
    this.t = state.step;
    for (const s of this.slots) {
      const m = state.m.get(s.name);
      const v = state.v.get(s.name);
      if (m !== undefined && m.length === s.m.size) tf.tidy(() => s.m.assign(tf.tensor(m, s.m.shape)));
      if (v !== undefined && v.length === s.v.size) tf.tidy(() => s.v.assign(tf.tensor(v, s.v.shape)));
    }
  }

  dispose(): void {
    for (const s of this.slots) {
      s.m.dispose();
      s.v.dispose();
    }
  }
}
