/**
 * L2-SP (Li, Grandvalet & Davoine, 2018, "Explicit Inductive Bias for Transfer Learning with
 * Convolutional Networks"): loss += α/2 · Σ‖θ − θ₀‖² over the pretrained weights being trained,
 * pulling them toward their starting point θ₀ instead of toward zero. θ₀ is a frozen copy taken
 * before training (and before a resumed run loads its checkpoint); dispose() frees it.
 */
import { tf, type Tensor, type Variable } from '../../backend/tf';

export class L2SpPenalty {
  private readonly anchors = new Map<string, Tensor>();

  /** `names`: the pretrained parameters some phase trains; `strength`: α. */
  constructor(variable: (name: string) => Variable, names: readonly string[], readonly strength: number) {
    for (const name of names) this.anchors.set(name, tf.clone(variable(name)));
  }

  get size(): number {
    return this.anchors.size;
  }

  /** α/2 · Σ‖θ − θ₀‖² over `trainable` ∩ anchored (synchronous tensor code); null when nothing applies. */
  penalty(variable: (name: string) => Variable, trainable: readonly string[]): Tensor | null {
    const terms: Tensor[] = [];
    for (const name of trainable) {
      const anchor = this.anchors.get(name);
      if (anchor === undefined) continue;
      const diff = tf.sub(variable(name), anchor);
      terms.push(tf.sum(tf.mul(diff, diff)));
    }
    return terms.length === 0 ? null : tf.mul(tf.addN(terms), this.strength / 2);
  }

  dispose(): void {
    for (const t of this.anchors.values()) t.dispose();
    this.anchors.clear();
  }
}
