/**
 * AdamW (Loshchilov & Hutter, 2019): Adam with decoupled weight decay, none on biases and norm
 * weights. Moments are tf.Variables owned by the optimizer; call dispose() when the run ends.
 */
import { tf, type Tensor, type Variable } from '../backend/tf';

export interface AdamWConfig {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
}

export const DEFAULT_ADAMW_CONFIG: AdamWConfig = Object.freeze({
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8, // HF/PyTorch default; larger values damp updates of rarely seen embeddings
  weightDecay: 0.01,
});

/** HF convention: no decay on biases and LayerNorm weights. */
export function decays(name: string): boolean {
  return !(name.endsWith('.bias') || /layernorm|layer_norm|ln_/i.test(name));
}

interface Slot {
  readonly name: string;
  readonly param: Variable;
  readonly m: Variable;
  readonly v: Variable;
}

export class AdamW {
  private readonly slots: Slot[];
  private t = 0;

  constructor(params: readonly { name: string; variable: Variable }[], private readonly config: AdamWConfig = DEFAULT_ADAMW_CONFIG) {
    this.slots = params.map(({ name, variable }) => ({
      name,
      param: variable,
      m: tf.variable(tf.zerosLike(variable), false),
      v: tf.variable(tf.zerosLike(variable), false),
    }));
  }

  get step(): number {
    return this.t;
  }

  /** Applies one update with `grads` (same order as the params) at learning rate `lr`. */
  apply(grads: readonly Tensor[], lr: number): void {
    this.t += 1;
    const { beta1, beta2, epsilon, weightDecay } = this.config;
    const bc1 = 1 - beta1 ** this.t;
    const bc2 = 1 - beta2 ** this.t;
    tf.tidy(() => {
      this.slots.forEach((s, i) => {
        const g = grads[i];
        if (g === undefined) return;
        const m = tf.add(tf.mul(s.m, beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(s.v, beta2), tf.mul(tf.mul(g, g), 1 - beta2));
        const update = tf.div(tf.div(m, bc1), tf.add(tf.sqrt(tf.div(v, bc2)), epsilon));
        let next = tf.sub(s.param, tf.mul(update, lr));
        if (weightDecay > 0 && decays(s.name)) next = tf.sub(next, tf.mul(s.param, lr * weightDecay));
        s.m.assign(m);
        s.v.assign(v);
        s.param.assign(next);
      });
    });
  }

  dispose(): void {
    for (const s of this.slots) {
      s.m.dispose();
      s.v.dispose();
    }
  }
}
