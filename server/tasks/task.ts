/**
 * The fine-tuning tasks: which model head each trains, which strategies make sense for it, and
 * the hints a refusal gives. A run record written before tasks existed is sequence classification.
 */
import type { FineTuneConfig, FineTuneTask } from '../protocol';
import type { HeadKind } from '../models/config';
import { UserError } from '../errors';
import type { Strategy } from '../finetune/strategy';

export const TASKS: readonly FineTuneTask[] = ['sequence-classification', 'token-classification', 'causal-lm', 'text-to-text'];
export const DEFAULT_TASK: FineTuneTask = 'sequence-classification';

export function isTask(x: unknown): x is FineTuneTask {
  return typeof x === 'string' && (TASKS as readonly string[]).includes(x);
}

/** The task of a run; records from before tasks existed have none and classified sequences. */
export function taskOf(config: Pick<FineTuneConfig, 'task'>): FineTuneTask {
  const task: unknown = config.task;
  return isTask(task) ? task : DEFAULT_TASK;
}

/** The head each task trains (text-to-text: T5's LM head, teacher-forced on the targets). */
export const TASK_HEADS: Readonly<Record<FineTuneTask, HeadKind>> = Object.freeze({
  'sequence-classification': 'sequence-classification',
  'token-classification': 'token-classification',
  'causal-lm': 'causal-lm',
  'text-to-text': 'seq2seq-lm',
});

/** Which families have the head, for the refusal when a model lacks it. */
const TASK_MODELS: Readonly<Record<FineTuneTask, string>> = Object.freeze({
  'sequence-classification': 'BERT, RoBERTa, DistilBERT, ALBERT or GPT-2 (T5: use --task text-to-text with the labels as targets, or --strategy features)',
  'token-classification': 'BERT, RoBERTa, DistilBERT, ALBERT or GPT-2 (T5 has no token-classification head)',
  'causal-lm': 'a decoder-only model: GPT-2 (e.g. gpt2-tiny or a GPT-2 folder)',
  'text-to-text': 'an encoder–decoder model: T5 (e.g. t5-tiny or a T5 folder)',
});

/** The UserError for a model without the task's head, or `err` itself when it is about something else. */
export function missingHeadError(task: FineTuneTask, err: unknown): unknown {
  if (!(err instanceof UserError) || !err.message.includes(`no ${TASK_HEADS[task]} head`)) return err;
  return new UserError(`${err.message} The ${task} task needs ${TASK_MODELS[task]}.`);
}

/** Refuses strategies that mean nothing for a task (features pools one vector per text: classification only). */
export function checkTaskStrategy(task: FineTuneTask, strategy: Strategy): void {
  if (strategy.kind === 'features' && task !== 'sequence-classification') {
    throw new UserError(
      `Run configuration: the features strategy trains a classifier on one pooled vector per text, so it applies to sequence-classification only, not ${task}. ` +
        'Use full, freeze:N, lora, gradual or lp-ft.',
    );
  }
}

/** Checks the columns a task reads against the task (a pair or target column elsewhere is a mistake). */
export function checkTaskColumns(config: Pick<FineTuneConfig, 'task' | 'textPairColumn' | 'targetColumn'>): void {
  const task = taskOf(config);
  if (config.textPairColumn !== '' && task !== 'sequence-classification') {
    throw new UserError(`Run configuration: textPairColumn (--text-pair-col) applies to sequence-classification, not ${task}. Remove it or change the task.`);
  }
  if (config.targetColumn !== '' && task !== 'text-to-text') {
    throw new UserError(`Run configuration: targetColumn (--target-col) applies to text-to-text, not ${task}. Remove it or use --task text-to-text.`);
  }
}
