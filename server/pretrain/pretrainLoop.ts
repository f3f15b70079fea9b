/**
 * The optimisation loop of a pretraining run: AdamW steps over shuffled batches of packed
 * blocks, each corrupted afresh (dynamic masking, RoBERTa §4.1), with the held-out loss at
 * step 0, every N steps and at the end. Emits events; honours cancellation between steps.
 */
import { createRng, shuffleInPlace, type Rng } from '../random';
import type { TransformerModel } from '../models/transformerModel';
import { DEFAULT_ADAMW_CONFIG } from '../training/adamw';
import { Trainer, type StepResult } from '../training/trainer';
import type { ExampleMaker } from './lmExamples';
import { disposeLmBatch, evaluateLmLoss, lmLoss, makeLmBatch, type LmExample, type Objective } from './objectives';

export type PretrainEvent =
  | {
      readonly type: 'step';
      readonly step: number;
      readonly totalSteps: number;
      /** Passes over the training blocks begun, from 1. */
      readonly epoch: number;
      readonly loss: number;
      readonly learningRate: number;
      readonly tokensPerSec: number;
      readonly elapsedMs: number;
    }
  | { readonly type: 'eval'; readonly step: number; readonly heldOutLoss: number; readonly elapsedMs: number };

export interface PretrainHooks {
  /** Every step and evaluation, in order. */
  onEvent(event: PretrainEvent): void;
  /** Human-readable progress lines. */
  onLog(line: string): void;
  /** Polled between steps; true stops the run with PretrainCancelled. */
  isCancelled(): boolean;
}

export class PretrainCancelled extends Error {
  constructor() {
    super('pretraining cancelled');
    this.name = 'PretrainCancelled';
  }
}

export interface LoopSettings {
  readonly objective: Objective;
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly warmupSteps: number;
  readonly weightDecay: number;
  readonly evalEvery: number;
  readonly seed: number;
  /** Wall-clock origin of elapsedMs. */
  readonly startedAt: number;
}

export interface LoopResult {
  readonly evals: readonly { readonly step: number; readonly heldOutLoss: number }[];
  readonly lastTrainLoss: number;
  /** Input tokens computed per second of training steps (padding included). */
  readonly tokensPerSec: number;
  readonly trainMs: number;
  readonly evalMs: number;
}

/** Batches of block indices: a shuffled pass, reshuffled when used up; a batch may span two passes. */
export class BlockOrder {
  private order: number[] = [];
  private consumed = 0;
  private readonly rng: Rng;

  constructor(private readonly count: number, seed: number) {
    if (count < 1) throw new Error('BlockOrder needs at least one block');
    this.rng = createRng(seed);
  }

  /** The next batch (all blocks, shuffled, when there are fewer than `size`) and its pass number. */
  next(size: number): { indices: number[]; epoch: number } {
    const epoch = Math.floor(this.consumed / this.count) + 1;
    const indices: number[] = [];
    while (indices.length < Math.min(size, this.count)) {
      if (this.order.length === 0) this.order = shuffleInPlace([...Array(this.count).keys()], this.rng);
      indices.push(this.order.pop() as number);
      this.consumed++;
    }
    return { indices, epoch };
  }
}

/** Runs the steps; disposes the optimizer state on every exit. */
export async function pretrainLoop(
  model: TransformerModel, blocks: readonly (readonly number[])[], heldOut: readonly LmExample[], maker: ExampleMaker, s: LoopSettings, hooks: PretrainHooks,
): Promise<LoopResult> {
  const trainer = new Trainer(model.params.names().map((name) => ({ name, variable: model.params.get(name) })), {
    learningRate: s.learningRate, warmupSteps: s.warmupSteps, totalSteps: s.steps, maxGradNorm: 1, adamw: { ...DEFAULT_ADAMW_CONFIG, weightDecay: s.weightDecay },
  });
  const order = new BlockOrder(blocks.length, s.seed);
  const corruptionRng = createRng(s.seed ^ 0x6d61736b);
  const dropoutRng = createRng(s.seed ^ 0x5eed);
  const opts = { training: true, nextSeed: () => dropoutRng.int(2 ** 31) };
  const ids = { pad: model.config.padTokenId, decoderStart: model.config.decoderStartTokenId };
  const evals: { step: number; heldOutLoss: number }[] = [];
  let trainMs = 0;
  let evalMs = 0;
  let tokens = 0;
  let lastTrainLoss = NaN;
  const evaluate = async (step: number): Promise<void> => {
    const t0 = performance.now();
    const heldOutLoss = await evaluateLmLoss(model, heldOut);
    evalMs += performance.now() - t0;
    evals.push({ step, heldOutLoss });
    hooks.onEvent({ type: 'eval', step, heldOutLoss, elapsedMs: performance.now() - s.startedAt });
  };
  try {
    await evaluate(0);
    for (let step = 1; step <= s.steps; step++) {
      if (hooks.isCancelled()) throw new PretrainCancelled();
      const { indices, epoch } = order.next(s.batchSize);
      const batch = makeLmBatch(s.objective, indices.map((i) => maker(blocks[i] as number[], corruptionRng)), ids);
      const t0 = performance.now();
      let r: StepResult;
      try {
        r = await trainer.trainStep(() => lmLoss(model, batch, opts));
      } finally {
        disposeLmBatch(batch);
      }
      const dt = performance.now() - t0;
      trainMs += dt;
      tokens += batch.tokens;
      lastTrainLoss = r.loss;
      hooks.onEvent({
        type: 'step', step, totalSteps: s.steps, epoch, loss: r.loss, learningRate: r.learningRate,
        tokensPerSec: batch.tokens / (dt / 1000), elapsedMs: performance.now() - s.startedAt,
      });
      if (step % s.evalEvery === 0 || step === s.steps) await evaluate(step);
    }
  } finally {
    trainer.dispose();
  }
  return { evals, lastTrainLoss, tokensPerSec: trainMs > 0 ? tokens / (trainMs / 1000) : 0, trainMs, evalMs };
}
