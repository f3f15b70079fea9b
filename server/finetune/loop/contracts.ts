/**
 * What the training loop needs from a strategy, whatever it trains: data that yields micro-batch
 * losses and a validation pass, and a set of named variables that can be checkpointed, restored
 * and exported. Every task (classification, tagging, LM, text-to-text) and every strategy (LoRA,
 * cached-feature heads, …) implements these, so one loop trains them all.
 */
import type { Tensor, Variable } from '../../backend/tf';
import type { ForwardOptions } from '../../models/blocks';
import type { EvalResult } from '../evaluate';

/** One micro-batch's tensors; `loss` is synchronous tensor code (run inside a gradient function). */
export interface MicroBatch {
  loss(opts: ForwardOptions): Tensor;
  /** Examples in the micro-batch. */
  readonly size: number;
  /** Token positions computed (padding included), for tokens/s. */
  readonly tokens: number;
  dispose(): void;
}

export interface TrainingData {
  /** Training examples. */
  readonly size: number;
  /** Index groups of one epoch, `batchSize` each (the last may be smaller): a pure function of `seed`. */
  batchOrder(batchSize: number, seed: number): number[][];
  microBatch(indices: readonly number[]): MicroBatch;
  /** A validation pass without dropout. */
  evaluate(): Promise<EvalResult>;
  /**
   * Validation labels, for the majority-class rate: class ids, or per task the word tags, the
   * next-token ids or the target strings' class ids.
   */
  readonly valLabels: readonly number[];
  /** Validation examples (texts, sentences, sequences); default valLabels.length. */
  readonly valSize?: number;
}

export interface TrainableModel {
  /** Every variable some phase may train (model parameters, adapters or a feature head). */
  readonly names: readonly string[];
  /** The variable now holding `name` (loading a checkpoint may replace model variables). */
  variable(name: string): Variable;
  /** Writes what a resumed run needs of the weights into `dir` (the checkpoint folder). */
  saveState(dir: string): Promise<void>;
  /** Restores weights written by saveState. */
  loadState(dir: string): Promise<void>;
  /** Writes the deliverable to `dir`: best/ at each better evaluation, final/ at the end. */
  export(dir: string, which: 'best' | 'final'): Promise<void>;
  /** Runs once after final/ is written (e.g. the LoRA adapter to <runDir>/adapter/). */
  finish?(runDir: string): Promise<void>;
  dispose(): void;
}
