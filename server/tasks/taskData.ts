/**
 * What every task hands the shared fine-tuning loop: its examples, loaded before the model exists
 * (a fresh preset's vocabulary is trained on them), and a factory that tokenizes them for the
 * model into the loop's TrainingData (micro-batch losses and a validation pass).
 */
import type { FineTuneConfig, FineTuneTask } from '../protocol';
import type { TransformerModel } from '../models/transformerModel';
import type { TextTokenizer } from '../tokenizers/textTokenizer';
import type { TrainingData } from '../finetune/loop/contracts';
import type { RunData } from '../finetune/runData';

export interface TaskBuildContext {
  readonly config: FineTuneConfig;
  readonly model: TransformerModel;
  readonly tokenizer: TextTokenizer;
  /** Tokens per sequence, already capped at what the model accepts. */
  readonly maxLength: number;
  readonly log: (line: string) => void;
}

export interface TaskData {
  readonly task: FineTuneTask;
  /**
   * The classes: labels, word tags, or (text-to-text) the distinct targets when they look like
   * labels; [] for causal-lm and free-form targets. Classification heads get one output per name.
   */
  readonly labelNames: readonly string[];
  /** Texts a fresh preset's vocabulary is trained on (training inputs, pairs and targets). */
  readonly vocabularyTexts: readonly string[];
  /** Validation texts: forgetting-probe sentences when the model has no general-text probe. */
  readonly probeTexts: readonly string[];
  /** One log line on what was read: sizes, columns, labels. */
  readonly summary: string;
  /** Sequence classification: the examples by reference into their files (the features strategy caches per file). */
  readonly runData?: RunData;
  /** Tokenizes the examples for the model. */
  trainingData(ctx: TaskBuildContext): TrainingData;
}
