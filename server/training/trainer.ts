/**
 * One optimizer step, model-agnostic: loss → gradients of the trainable variables (summed over
 * micro-batches when accumulating) → global-norm clipping → AdamW at the scheduled learning
 * rate. It knows nothing about tasks, workers or LSP; every tensor it creates is disposed
 * before the step returns, so the live tensor count stays flat.
 */
import { tf, type Tensor } from '../backend/tf';
import { rawFloat32 } from '../backend/rawTensorAccess';
import { AdamW, type AdamWConfig, type AdamWState, type OptimizedParameter } from './adamw';
import { learningRateAt, type ScheduleKind } from './schedule';

export interface TrainerConfig {
  readonly learningRate: number;
  readonly warmupSteps: number;
  readonly totalSteps: number;
  /** Global gradient-norm clip; 1.0 as in HF's Trainer. */
  readonly maxGradNorm: number;
  readonly adamw: AdamWConfig;
  readonly schedule?: ScheduleKind;
}

export interface StepResult {
  /** Mean loss over the step's micro-batches. */
  readonly loss: number;
  readonly gradNorm: number;
  readonly learningRate: number;
}

export type NamedVariable = OptimizedParameter;

export class Trainer {
  private readonly optimizer: AdamW;
  private stepIndex = 0;

  constructor(private readonly params: readonly NamedVariable[], private readonly config: TrainerConfig) {
    this.optimizer = new AdamW(params, config.adamw);
  }

  get step(): number {
    return this.stepIndex;
  }

  /** The learning rate the next step will use. */
  get currentLearningRate(): number {
    return learningRateAt(this.config.schedule ?? 'linear', this.stepIndex, this.config.learningRate, this.config.warmupSteps, this.config.totalSteps);
  }

  /**
   * One optimizer step. `lossFns` are synchronous tensor functions returning a scalar, one per
   * micro-batch; their gradients are averaged (gradient accumulation).
   */
  async trainStep(lossFns: (() => Tensor) | readonly (() => Tensor)[]): Promise<StepResult> {
    const fns = typeof lossFns === 'function' ? [lossFns] : lossFns;
    const lr = this.currentLearningRate;
    const vars = this.params.map((p) => p.variable);
    const summed: (Tensor | null)[] = vars.map(() => null);
    const losses: Tensor[] = [];
    for (const fn of fns) {
      const { value, grads } = tf.variableGrads(fn as () => tf.Scalar, vars);
      losses.push(value);
      if (fns.length === 1) {
        vars.forEach((v, i) => (summed[i] = grads[v.name] ?? null)); // one micro-batch: use the gradients as they are
        break;
      }
      // Gradients are averaged into `summed` one parameter at a time, in place where the storage
      // allows: at most one parameter's extra copy lives at once (bert-base would not fit otherwise).
      vars.forEach((v, i) => {
        const g = grads[v.name];
        if (g === undefined) return;
        summed[i] = accumulate(summed[i] ?? null, g, 1 / fns.length);
      });
    }
    // Global-norm clipping as a scalar factor that AdamW applies per parameter (no clipped copy).
    const { scale, norm, meanLoss } = tf.tidy(() => {
      const present = summed.filter((g): g is Tensor => g !== null);
      // One tidy per tensor: only the scalar sums live at once, not a squared copy of every gradient.
      const n = present.length > 0 ? tf.sqrt(tf.addN(present.map((g) => tf.tidy(() => tf.sum(tf.mul(g, g)))))) : tf.scalar(0);
      return { scale: tf.minimum(1, tf.div(this.config.maxGradNorm, tf.add(n, 1e-6))), norm: n, meanLoss: tf.mean(tf.stack(losses)) };
    });
    this.optimizer.apply(summed, lr, scale);
    tf.dispose([...summed.filter((t): t is Tensor => t !== null), ...losses, scale]);
    const [lossData, normData] = await Promise.all([meanLoss.data(), norm.data()]);
    tf.dispose([meanLoss, norm]);
    this.stepIndex += 1;
    return { loss: lossData[0] ?? NaN, gradNorm: normData[0] ?? NaN, learningRate: lr };
  }

  exportState(): Promise<AdamWState> {
    return this.optimizer.exportState();
  }

  /** Resumes from a saved optimizer state: moments and the step (which drives the schedule). */
  importState(state: AdamWState): void {
    this.optimizer.importState(state);
    this.stepIndex = state.step;
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

/**
 * sum + g·scale (sum null: g·scale), consuming g. In place when both storages are in this process
 * and `sum`'s (or, first, `g`'s) is not shared; otherwise with tensor ops. Gradients are never
 * matmul weights, so writing them in place cannot leave a stale packed copy behind.
 */
function accumulate(sum: Tensor | null, g: Tensor, scale: number): Tensor {
  const target = sum ?? g;
  const t = rawFloat32(target);
  const src = sum === null ? t : rawFloat32(g);
  if (t !== null && t.exclusive && src !== null) {
    const [out, add] = [t.values, src.values];
    if (sum === null) for (let j = 0; j < out.length; j++) out[j] = (out[j] as number) * scale;
    else for (let j = 0; j < out.length; j++) out[j] = (out[j] as number) + (add[j] as number) * scale;
    if (sum !== null) g.dispose();
    return target;
  }
  const next = tf.tidy(() => (sum === null ? tf.mul(g, scale) : tf.add(sum, tf.mul(g, scale))));
  tf.dispose(sum === null ? [g] : [sum, g]);
  return next;
}
