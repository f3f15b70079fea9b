/**
 * AdamW (Loshchilov & Hutter, 2019): Adam with decoupled weight decay, none on biases and norm
 * weights. Moments are owned by the optimizer (host arrays or tf.Variables, see Moments); call
 * dispose() when the run ends.
 * Each parameter may carry a learning-rate scale (layer-wise LR decay). The state exports and
 * imports as plain arrays so a checkpoint can resume a run exactly.
 */
import { tf, type Tensor, type Variable } from '../backend/tf';
import { rawFloat32, type RawFloat32 } from '../backend/rawTensorAccess';

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

/**
 * A parameter's moments: plain arrays outside the tensor heap when the backend keeps tensors in
 * this process (the update is then one JS loop, and bert-base's 880 MB of moments leave the
 * wasm backend's 4 GiB heap to activations), otherwise tf.Variables updated with tensor ops.
 */
type Moments = { readonly kind: 'host'; readonly m: Float32Array; readonly v: Float32Array } | { readonly kind: 'tensor'; readonly m: Variable; readonly v: Variable };

interface Slot {
  readonly name: string;
  readonly param: Variable;
  readonly moments: Moments;
  readonly lrScale: number;
}

/** 'auto': host moments where the backend allows; 'tensors': always tf.Variables and tensor ops (tests compare the two). */
export type MomentPlacement = 'auto' | 'tensors';

function freshMoments(param: Variable, placement: MomentPlacement): Moments {
  if (placement === 'auto' && rawFloat32(param) !== null) return { kind: 'host', m: new Float32Array(param.size), v: new Float32Array(param.size) };
  // tidy frees the zeros a variable is made from (a variable shares, not owns, its initial tensor)
  return { kind: 'tensor', m: tf.tidy(() => tf.variable(tf.zerosLike(param), false)), v: tf.tidy(() => tf.variable(tf.zerosLike(param), false)) };
}

export class AdamW {
  private readonly slots: Slot[];
  private t = 0;

  constructor(params: readonly OptimizedParameter[], private readonly config: AdamWConfig = DEFAULT_ADAMW_CONFIG, placement: MomentPlacement = 'auto') {
    this.slots = params.map(({ name, variable, lrScale }) => ({ name, param: variable, moments: freshMoments(variable, placement), lrScale: lrScale ?? 1 }));
  }

  get step(): number {
    return this.t;
  }

  /**
   * Applies one update with `grads` (same order as the params) at learning rate `lr`, each
   * gradient multiplied by `gradScale` (global-norm clipping) on the fly. One parameter at a
   * time keeps the transient memory to one parameter's worth (bert-base would not fit in the
   * wasm heap if every parameter's intermediates lived until the end of the step).
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
      const { moments } = s;
      if (moments.kind === 'host' && scale !== null && this.updateInPlace(s, moments, g, lrHere, scale, bc1, bc2)) return;
      this.updateWithOps(s, g, lrHere, gradScale, bc1, bc2);
    });
  }

  /**
   * The update as one fused loop (see rawTensorAccess.ts); false when impossible. The moments
   * are updated in place; the parameter is written into a fresh tensor and assigned, because the
   * wasm backend caches matmul weights (XNNPACK packs them) by tensor id — changing a weight's
   * values under the same id would leave matmuls using stale weights.
   */
  private updateInPlace(s: Slot, moments: Extract<Moments, { kind: 'host' }>, grad: Tensor, lr: number, scale: number, bc1: number, bc2: number): boolean {
    const next = tf.zerosLike(s.param);
    // Views last only until the next allocation (the heap may grow): take them all after it.
    const out = rawFloat32(next);
    const views = [rawFloat32(s.param), rawFloat32(grad), out];
    if (out === null || !out.exclusive || views.some((x) => x === null)) {
      next.dispose();
      return false;
    }
    const [pv, gv, nv] = views.map((x) => (x as RawFloat32).values) as [Float32Array, Float32Array, Float32Array];
    const { m: mv, v: vv } = moments;
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
      const [m0, v0] = this.momentTensors(s);
      const g = gradScale === null ? raw : tf.mul(raw, gradScale);
      const m = tf.add(tf.mul(m0, beta1), tf.mul(g, 1 - beta1));
      const v = tf.add(tf.mul(v0, beta2), tf.mul(tf.mul(g, g), 1 - beta2));
      const update = tf.div(tf.div(m, bc1), tf.add(tf.sqrt(tf.div(v, bc2)), epsilon));
      let next = tf.sub(s.param, tf.mul(update, lr));
      if (weightDecay > 0 && decays(s.name)) next = tf.sub(next, tf.mul(s.param, lr * weightDecay));
      this.storeMoments(s, m, v);
      s.param.assign(next);
    });
  }

  /** The moments as tensors (host ones copied in; inside a tidy). */
  private momentTensors(s: Slot): [Tensor, Tensor] {
    const { moments } = s;
    if (moments.kind === 'tensor') return [moments.m, moments.v];
    return [tf.tensor(moments.m, s.param.shape), tf.tensor(moments.v, s.param.shape)];
  }

  private storeMoments(s: Slot, m: Tensor, v: Tensor): void {
    const { moments } = s;
    if (moments.kind === 'tensor') {
      moments.m.assign(m);
      moments.v.assign(v);
    } else {
      moments.m.set(m.dataSync());
      moments.v.set(v.dataSync());
    }
  }

  async exportState(): Promise<AdamWState> {
    const m = new Map<string, Float32Array>();
    const v = new Map<string, Float32Array>();
    for (const s of this.slots) {
      const { moments } = s;
      m.set(s.name, new Float32Array(moments.kind === 'host' ? moments.m : await moments.m.data()));
      v.set(s.name, new Float32Array(moments.kind === 'host' ? moments.v : await moments.v.data()));
    }
    return { step: this.t, m, v };
  }

  /** Restores moments saved by exportState (parameters missing from the state keep zeros). */
  importState(state: AdamWState): void {
    this.t = state.step;
    for (const s of this.slots) {
      const m = state.m.get(s.name);
      const v = state.v.get(s.name);
      const { moments } = s;
      if (moments.kind === 'host') {
        if (m !== undefined && m.length === moments.m.length) moments.m.set(m);
        if (v !== undefined && v.length === moments.v.length) moments.v.set(v);
      } else {
        if (m !== undefined && m.length === moments.m.size) tf.tidy(() => moments.m.assign(tf.tensor(m, moments.m.shape)));
        if (v !== undefined && v.length === moments.v.size) tf.tidy(() => moments.v.assign(tf.tensor(v, moments.v.shape)));
      }
    }
  }

  dispose(): void {
    for (const { moments } of this.slots) if (moments.kind === 'tensor') tf.dispose([moments.m, moments.v]);
  }
}
