/**
 * The fine-tuning loop, whatever the strategy: epochs of optimizer steps (each the mean gradient
 * of `gradAccumulation` micro-batches), evaluation every `evalEvery` steps or per epoch, a
 * checkpoint and best/ at each evaluation, early stopping on validation loss, and exact resume
 * from a checkpoint (batch order and dropout depend only on seed, epoch and step).
 */
import { join } from 'node:path';
import { tf, type Tensor } from '../../backend/tf';
import type { FineTuneConfig, MetricEvent } from '../../protocol';
import type { StepResult } from '../../training/trainer';
import type { EvalResult } from '../evaluate';
import type { TrainableModel, TrainingData } from './contracts';
import { BEST_DIR, TRAINER_STATE_VERSION, pruneCheckpoints, readOptimizerState, saveCheckpoint, type Checkpoint, type LoopState } from './checkpoints';
import type { PhasedTrainer } from './phasedTrainer';
import { epochSeed, trainingOptions } from './seeds';
import { DivergenceGuard, type Divergence } from './divergence';
import { UserError } from '../../errors';

export interface LoopContext {
  readonly config: FineTuneConfig;
  readonly runDir: string;
  readonly data: TrainingData;
  readonly model: TrainableModel;
  readonly trainer: PhasedTrainer;
  /** Extra loss terms (L2-SP, rehearsal) for the trainable set; synchronous tensor code or null. */
  readonly penalty: (trainable: readonly string[]) => Tensor | null;
  readonly emit: (events: MetricEvent[]) => Promise<void>;
  readonly log: (line: string) => void;
  /** Polled before each step; true stops the loop by throwing `cancelled()`. */
  readonly isCancelled: () => boolean;
  readonly cancelled: () => Error;
  /** performance.now() when this process started the run. */
  readonly started: number;
  /** Called before each optimizer step with its (0-based) index: e.g. rehearsal draws its batch. */
  readonly beforeStep?: (step: number) => void;
  /** Called after each evaluation; its events (forgetting diagnostics) are emitted after the eval event. */
  readonly afterEval?: (step: number, epoch: number, elapsedMs: number) => Promise<MetricEvent[]>;
}

/** Optimizer steps per epoch: one per group of batchSize × gradAccumulation examples. */
export function stepsPerEpoch(examples: number, config: Pick<FineTuneConfig, 'batchSize' | 'gradAccumulation'>): number {
  return Math.max(1, Math.ceil(examples / (config.batchSize * config.gradAccumulation)));
}

export function initialLoopState(): LoopState {
  return {
    formatVersion: TRAINER_STATE_VERSION, step: 0, epoch: 1, stepInEpoch: 0, phase: 0, best: null, evalsWithoutImprovement: 0,
    stopped: false, lastEval: null, lastEvalStep: -1, trainMs: 0, evalMs: 0, elapsedMs: 0,
  };
}

/** Runs (or resumes) the loop to its end; returns the state after the last evaluation. */
export async function trainLoop(ctx: LoopContext, resume: Checkpoint | null): Promise<LoopState> {
  const { config, data } = ctx;
  let st = initialLoopState();
  if (resume !== null) {
    await ctx.model.loadState(resume.dir);
    ctx.trainer.restore(resume.state.phase, await readOptimizerState(resume));
    st = resume.state;
    ctx.log(`resumed from ${resume.dir} at step ${st.step}`);
  }
  const baseElapsed = st.elapsedMs;
  const elapsed = (): number => baseElapsed + performance.now() - ctx.started;
  const spe = stepsPerEpoch(data.size, config);
  const totalSteps = spe * config.epochs;
  const guard = new DivergenceGuard();
  for (let epoch = st.epoch; epoch <= config.epochs && !st.stopped; epoch++) {
    const order = data.batchOrder(config.batchSize * config.gradAccumulation, epochSeed(config.seed, epoch));
    for (let s = epoch === st.epoch ? st.stepInEpoch : 0; s < order.length; s++) {
      if (ctx.isCancelled()) throw ctx.cancelled();
      const t0 = performance.now();
      const { result, tokens } = await optimizerStep(ctx, order[s] ?? [], st.step);
      const dt = performance.now() - t0;
      st = { ...st, step: st.step + 1, epoch, stepInEpoch: s + 1, trainMs: st.trainMs + dt, elapsedMs: elapsed() };
      // A non-finite loss is no point on a curve: stop before emitting it.
      const diverged = guard.afterStep(st.step, result.loss, result.gradNorm);
      if (diverged !== null && !Number.isFinite(result.loss)) throw divergedError(ctx, st, diverged);
      await ctx.emit([{
        type: 'step', step: st.step, epoch, loss: result.loss, learningRate: result.learningRate,
        tokensPerSec: tokens / (dt / 1000), elapsedMs: st.elapsedMs, gradNorm: result.gradNorm,
      }]);
      if (diverged !== null) throw divergedError(ctx, st, diverged);
      const due = config.evalEvery > 0 ? st.step % config.evalEvery === 0 || st.step === totalSteps : s === order.length - 1;
      if (due) st = await evaluateAndCheckpoint(ctx, st, totalSteps, elapsed, guard);
      if (st.stopped) break;
    }
  }
  if (st.lastEvalStep !== st.step) st = await evaluateAndCheckpoint(ctx, st, totalSteps, elapsed, guard);
  return st;
}

/**
 * The run's failure: where and how it diverged, the fix, and what is kept. `st` is the state
 * after the last good evaluation's checkpoint, which this error leaves on disk untouched.
 */
function divergedError(ctx: LoopContext, st: LoopState, d: Divergence): UserError {
  const c = ctx.config;
  const kept = st.best !== null
    ? ` The model of step ${st.best.step} (val loss ${st.best.valLoss.toFixed(4)}) is kept in ${join(ctx.runDir, BEST_DIR)}, and the checkpoints written so far in ${join(ctx.runDir, 'checkpoints')}.`
    : ' No checkpoint had been written yet.';
  return new UserError(
    `Training diverged at step ${d.step} (epoch ${st.epoch}): ${d.reason}. Lower the learning rate (learningRate / --lr, this run used ${c.learningRate}; ` +
    `5e-5 is usual for a pretrained model) and keep gradient clipping on (maxGradNorm, this run used ${c.maxGradNorm}), then start a new run.${kept}`,
  );
}

/** Splits one step's examples into micro-batches, weighting each by its share of the examples. */
async function optimizerStep(ctx: LoopContext, indices: readonly number[], step: number): Promise<{ result: StepResult; tokens: number }> {
  const trainer = await ctx.trainer.trainerFor(step);
  ctx.beforeStep?.(step);
  const trainable = ctx.trainer.trainableNames();
  const micro = [];
  for (let i = 0; i < indices.length; i += ctx.config.batchSize) micro.push(ctx.data.microBatch(indices.slice(i, i + ctx.config.batchSize)));
  try {
    const lossFns = micro.map((mb, j) => (): Tensor => {
      // Trainer averages micro-batch gradients; this weight makes that the gradient of the whole group's mean.
      const weight = (mb.size * micro.length) / indices.length;
      const loss = mb.loss(trainingOptions(ctx.config.seed, step, j));
      const weighted = weight === 1 ? loss : tf.mul(loss, weight);
      const penalty = ctx.penalty(trainable);
      return penalty === null ? weighted : tf.add(weighted, penalty);
    });
    const result = await trainer.trainStep(lossFns);
    return { result, tokens: micro.reduce((n, mb) => n + mb.tokens, 0) };
  } finally {
    for (const mb of micro) mb.dispose();
  }
}

async function evaluateAndCheckpoint(ctx: LoopContext, before: LoopState, totalSteps: number, elapsed: () => number, guard: DivergenceGuard): Promise<LoopState> {
  const e0 = performance.now();
  const ev = await ctx.data.evaluate();
  const diverged = guard.afterEval(before.step, ev.loss);
  if (diverged !== null) throw divergedError(ctx, before, diverged); // before best/ or a checkpoint could take the broken weights
  const improved = before.best === null || ev.loss < before.best.valLoss;
  if (improved) await ctx.model.export(join(ctx.runDir, BEST_DIR), 'best');
  const evalsWithoutImprovement = improved ? 0 : before.evalsWithoutImprovement + 1;
  const patience = ctx.config.earlyStoppingPatience;
  const st: LoopState = {
    ...before,
    phase: ctx.trainer.phaseIndex,
    best: improved ? { valLoss: ev.loss, step: before.step } : before.best,
    evalsWithoutImprovement,
    stopped: patience > 0 && evalsWithoutImprovement >= patience && before.step < totalSteps,
    lastEval: { loss: ev.loss, accuracy: ev.accuracy, macroF1: ev.macroF1, ...extraMetrics(ev) },
    lastEvalStep: before.step,
    evalMs: before.evalMs + performance.now() - e0,
    elapsedMs: elapsed(),
  };
  await saveCheckpoint(ctx.runDir, ctx.model, await ctx.trainer.exportState(), st, ctx.config.seed);
  await pruneCheckpoints(ctx.runDir, st.best?.step ?? null);
  await ctx.emit([{
    type: 'eval', step: st.step, epoch: st.epoch, valLoss: ev.loss, valAccuracy: ev.accuracy, valMacroF1: ev.macroF1,
    elapsedMs: st.elapsedMs, ...confusionOf(ev), ...extraMetrics(ev),
  }]);
  if (ctx.afterEval !== undefined) await ctx.emit(await ctx.afterEval(st.step, st.epoch, st.elapsedMs));
  ctx.log(`step ${st.step}/${totalSteps} (epoch ${st.epoch}): ${describeEval(ev)}${improved ? ' (best)' : ''}`);
  if (st.stopped) ctx.log(`early stopping: no better validation loss in ${patience} evaluations (best ${st.best?.valLoss.toFixed(4)} at step ${st.best?.step})`);
  return st;
}

/** The confusion matrix and its class names, when the task has them. */
function confusionOf(ev: EvalResult): { confusion?: number[][]; confusionLabels?: readonly string[] } {
  if (ev.confusion === undefined) return {};
  return { confusion: ev.confusion, ...(ev.confusionLabels !== undefined ? { confusionLabels: ev.confusionLabels } : {}) };
}

/** The optional metrics a task reports, only those it has (events and checkpoints stay minimal). */
function extraMetrics(ev: EvalResult): Pick<EvalResult, 'entityF1' | 'perplexity' | 'tokenF1'> {
  return {
    ...(ev.entityF1 !== undefined ? { entityF1: ev.entityF1 } : {}),
    ...(ev.perplexity !== undefined ? { perplexity: ev.perplexity } : {}),
    ...(ev.tokenF1 !== undefined ? { tokenF1: ev.tokenF1 } : {}),
  };
}

/** "val loss 0.4123, accuracy 91.2%, macro-F1 0.903" plus the task's extra metrics. */
function describeEval(ev: EvalResult): string {
  const parts = [`val loss ${ev.loss.toFixed(4)}`];
  if (ev.perplexity !== undefined) parts.push(`perplexity ${ev.perplexity.toFixed(2)}`);
  parts.push(`accuracy ${(ev.accuracy * 100).toFixed(1)}%`, `macro-F1 ${ev.macroF1.toFixed(3)}`);
  if (ev.entityF1 !== undefined) parts.push(`entity F1 ${ev.entityF1.toFixed(3)}`);
  if (ev.tokenF1 !== undefined) parts.push(`token F1 ${ev.tokenF1.toFixed(3)}`);
  return parts.join(', ');
}
