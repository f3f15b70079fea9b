/**
 * The training workloads: one optimizer step (forward, backward, global-norm clipping, AdamW)
 * of a BERT sequence classifier (`train`) or a BERT masked LM (`mlm`), through the same Trainer
 * and loss code fine-tuning uses.
 */
import type { Tensor } from '../backend/tf';
import type { ForwardOptions } from '../models/blocks';
import { createRng } from '../random';
import { DEFAULT_ADAMW_CONFIG } from '../training/adamw';
import { crossEntropy } from '../training/losses';
import { Trainer } from '../training/trainer';
import { disposeBatch } from '../finetune/classificationBatches';
import { disposeLmBatch, lmLoss } from '../pretrain/objectives';
import type { TransformerModel } from '../models/transformerModel';
import type { BenchSpec } from './benchSpec';
import { classificationBatch, MASK_RATE, maskedLmBatch } from './benchBatches';
import { classifierForwardFlops, maskedLmForwardFlops, trainStepFlops } from './flops';
import { liveTensors, repeat } from './measure';
import { median } from './stats';
import { BENCH_LABELS, randomModel } from './randomModel';
import { timedResult, type WorkloadResult } from './workloadResult';

/** A model's trainable variables, its dropout options and the step's loss closures, ready to step. */
export interface TrainSetup {
  readonly model: TransformerModel;
  readonly trainer: Trainer;
  /** One loss per micro-batch (one for the whole batch without --micro-batch). */
  readonly losses: readonly (() => Tensor)[];
  /** The first micro-batch's loss (the profiler times one forward and backward). */
  readonly loss: () => Tensor;
  /** Matmul FLOPs of one step. */
  readonly flops: number;
  dispose(): void;
}

/** Builds the model, batches and trainer of a `train` or `mlm` spec (the profiler reuses it). */
export function trainSetup(spec: BenchSpec): TrainSetup {
  const s = spec.shape;
  const mlm = spec.workload === 'mlm';
  const model = randomModel(s, mlm ? 'masked-lm' : 'sequence-classification', spec.seed);
  const trainer = new Trainer(
    model.params.names().map((name) => ({ name, variable: model.params.get(name) })),
    { learningRate: 5e-5, warmupSteps: 0, totalSteps: spec.warmup + spec.steps + 1, maxGradNorm: 1, adamw: DEFAULT_ADAMW_CONFIG },
  );
  const dropoutRng = createRng(spec.seed ^ 0x5eed);
  const opts: ForwardOptions = { training: true, nextSeed: () => dropoutRng.int(2 ** 31) };
  const micro = spec.microBatch ?? s.batch;
  const microShape = { ...s, batch: micro };
  const seeds = Array.from({ length: s.batch / micro }, (_, i) => spec.seed + i);
  const disposers: (() => void)[] = [];
  const losses = seeds.map((seed): (() => Tensor) => {
    if (mlm) {
      const batch = maskedLmBatch(microShape, seed);
      disposers.push(() => disposeLmBatch(batch));
      return () => lmLoss(model, batch, opts); // the pretraining step's loss: LM head at the masked positions
    }
    const batch = classificationBatch(microShape, seed);
    disposers.push(() => disposeBatch(batch));
    return () => crossEntropy(model.forward(batch.inputs, opts).logits as Tensor, batch.labels);
  });
  return {
    model, trainer, losses, loss: losses[0] as () => Tensor,
    flops: trainStepFlops(mlm ? maskedLmForwardFlops(s, MASK_RATE) : classifierForwardFlops(s, BENCH_LABELS.length)),
    dispose: () => {
      disposers.forEach((d) => d());
      trainer.dispose();
      model.dispose();
    },
  };
}

export async function trainWorkload(spec: BenchSpec): Promise<WorkloadResult> {
  const setup = trainSetup(spec);
  try {
    const tensorsBefore = liveTensors();
    const losses: number[] = [];
    const timesMs = await repeat(spec.warmup, spec.steps, async () => losses.push((await setup.trainer.trainStep(setup.losses)).loss));
    const tensorsAfter = liveTensors();
    const lastLoss = losses[losses.length - 1] ?? NaN;
    if (!Number.isFinite(lastLoss)) throw new Error(`the ${spec.workload} step produced a non-finite loss (${lastLoss})`);
    return timedResult(
      { workload: spec.workload, shape: spec.shape, timesMs, tensorsBefore, tensorsAfter },
      { tokensPerRun: spec.shape.batch * spec.shape.seq, matmulFlops: setup.flops, unit: 'tokens/s', medianMs: median(timesMs), details: { lastLoss, ...(spec.microBatch === null ? {} : { microBatch: spec.microBatch }) } },
    );
  } finally {
    setup.dispose();
  }
}
