/**
 * A LoRA adapter on one linear layer (Hu et al., 2021, "LoRA: Low-Rank Adaptation of Large
 * Language Models"): y = x·W + b + dropout(x)·A·B·(alpha/r), W frozen. As in PEFT, A starts
 * kaiming-uniform (a = √5, i.e. U(±1/√in)) and B at zero, so training starts from the base model.
 */
import { tf, type Tensor, type Variable } from '../backend/tf';
import type { LinearAdapter } from '../models/parameters';
import { matMul } from '../models/ops/matMul';
import type { Rng } from '../random';

export interface LoraSettings {
  /** r: the rank of the update A·B. */
  readonly rank: number;
  /** The update is scaled by alpha / r (PEFT's `scaling`). */
  readonly alpha: number;
  /** Dropout on the adapter's input only, while training. */
  readonly dropout: number;
}

/** Initial values of A [in, r] and B [r, out], engine orientation (PEFT stores their transposes). */
export interface LoraInit {
  readonly a: Float32Array;
  readonly b: Float32Array;
}

let adapterCounter = 0;

/** PEFT's init: A ~ kaiming_uniform(a=√5) on its [r, in] weight, i.e. U(−1/√in, 1/√in); B = 0. */
export function peftInit(inDim: number, outDim: number, rank: number, rng: Rng): LoraInit {
  const bound = 1 / Math.sqrt(inDim); // gain √(2/(1+5)) · √3 / √fan_in
  const a = new Float32Array(inDim * rank);
  for (let i = 0; i < a.length; i++) a[i] = (2 * rng.next() - 1) * bound;
  return { a, b: new Float32Array(rank * outDim) };
}

export class LoraAdapter implements LinearAdapter {
  /** [in, r] */
  readonly a: Variable;
  /** [r, out] */
  readonly b: Variable;
  /** alpha / r */
  readonly scale: number;

  constructor(readonly module: string, readonly inDim: number, readonly outDim: number, readonly settings: LoraSettings, init: LoraInit) {
    if (init.a.length !== inDim * settings.rank || init.b.length !== settings.rank * outDim) {
      throw new Error(`LoRA ${module}: A must hold ${inDim}×${settings.rank} and B ${settings.rank}×${outDim} values`);
    }
    const id = ++adapterCounter;
    // tidy frees the initial tensors (a variable shares their data, it does not own them)
    this.a = tf.tidy(() => tf.variable(tf.tensor2d(init.a, [inDim, settings.rank]), true, `lora${id}/${module}.lora_A`));
    this.b = tf.tidy(() => tf.variable(tf.tensor2d(init.b, [settings.rank, outDim]), true, `lora${id}/${module}.lora_B`));
    this.scale = settings.alpha / settings.rank;
  }

  /** Names of A and B as trainable parameters (PEFT's key names without the base_model.model. prefix). */
  get aName(): string {
    return `${this.module}.lora_A.weight`;
  }
  get bName(): string {
    return `${this.module}.lora_B.weight`;
  }

  /** dropout(x)·A·B·scale for x [..., in] → [..., out]. */
  apply(x: Tensor, training: boolean, nextSeed: () => number): Tensor {
    const lead = x.shape.slice(0, -1);
    const input = training && this.settings.dropout > 0 ? tf.dropout(x, this.settings.dropout, undefined, nextSeed()) : x;
    const down = matMul(tf.reshape(input, [-1, this.inDim]), this.a); // [N, in] -> [N, r]
    const up = tf.mul(matMul(down, this.b), this.scale); // [N, r] -> [N, out]
    return tf.reshape(up, [...lead, this.outDim]);
  }

  /** The weight update A·B·scale [in, out] (engine orientation); the caller disposes it. */
  delta(): Tensor {
    return tf.tidy(() => tf.mul(matMul(this.a, this.b), this.scale));
  }

  /** Overwrites A and B in place (restoring a checkpoint keeps the variables the optimizer holds). */
  assign(values: LoraInit): void {
    tf.tidy(() => {
      this.a.assign(tf.tensor2d(values.a, this.a.shape as [number, number]));
      this.b.assign(tf.tensor2d(values.b, this.b.shape as [number, number]));
    });
  }

  dispose(): void {
    this.a.dispose();
    this.b.dispose();
  }
}
