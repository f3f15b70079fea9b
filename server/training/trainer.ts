/**
 * One optimizer step, model-agnostic: loss → gradients of the trainable variables → global-norm
 * clipping → AdamW at the scheduled learning rate. It knows nothing about tasks, workers or LSP;
 * tensors created here are disposed before the step returns (the live count stays flat).
 */
import { tf, type Tensor, type Variable } from '../backend/tf';
import { AdamW, type AdamWConfig } from './adamw';
import { linearWarmupDecay } from './schedule';

export interface TrainerConfig {
  readonly learningRate: number;
  readonly warmupSteps: number;
  readonly totalSteps: number;
  /** Global gradient-norm clip; 1.0 as in HF's Trainer. */
  readonly maxGradNorm: number;
  readonly adamw: AdamWConfig;
}

export interface StepResult {
  readonly loss: number;
  readonly gradNorm: number;
  readonly learningRate: number;
}

export interface NamedVariable {
  readonly name: string;
  readonly variable: Variable;
}

export class Trainer {
  private readonly optimizer: AdamW;
  private stepIndex = 0;

  constructor(private readonly params: readonly NamedVariable[], private readonly config: TrainerConfig) {
    this.optimizer = new AdamW(params, config.adamw);
  }

  get step(): number {
    return this.stepIndex;
  }

  /** Runs `lossFn` (synchronous tensor code returning a scalar) and applies one update. */
  async trainStep(lossFn: () => Tensor): Promise<StepResult> {
    const lr = linearWarmupDecay(this.stepIndex, this.config.learningRate, this.config.warmupSteps, this.config.totalSteps);
    const vars = this.params.map((p) => p.variable);
    const { value, grads } = tf.variableGrads(lossFn as () => tf.Scalar, vars);
    const gradList = vars.map((v) => grads[v.name]);
    const { clipped, norm } = tf.tidy(() => {
      const present = gradList.filter((g): g is Tensor => g !== undefined);
      const sq = tf.addN(present.map((g) => tf.sum(tf.mul(g, g))));
      const n = tf.sqrt(sq);
      const scale = tf.minimum(1, tf.div(this.config.maxGradNorm, tf.add(n, 1e-6)));
      return { clipped: gradList.map((g) => (g === undefined ? tf.scalar(0) : tf.mul(g, scale))), norm: n };
    });
    for (const g of Object.values(grads)) g.dispose();
    this.optimizer.apply(clipped, lr);
    tf.dispose(clipped);
    const [lossData, normData] = await Promise.all([value.data(), norm.data()]);
    value.dispose();
    norm.dispose();
    this.stepIndex += 1;
    return { loss: lossData[0] ?? NaN, gradNorm: normData[0] ?? NaN, learningRate: lr };
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
