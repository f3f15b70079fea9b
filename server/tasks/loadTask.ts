/** Reads a run's examples for its task (before the model exists): the one entry point the run uses. */
import type { FineTuneConfig } from '../protocol';
import { loadCausalLm } from './causalLm/causalLmTask';
import { loadSequenceClassification } from './sequenceClassification';
import { taskOf } from './task';
import type { TaskData } from './taskData';
import { loadTextToText } from './textToText/textToTextTask';
import { loadTokenClassification } from './tokenClassification/tokenTask';

export function loadTaskData(config: FineTuneConfig): Promise<TaskData> {
  const task = taskOf(config);
  switch (task) {
    case 'sequence-classification':
      return loadSequenceClassification(config);
    case 'token-classification':
      return loadTokenClassification(config);
    case 'causal-lm':
      return loadCausalLm(config);
    case 'text-to-text':
      return loadTextToText(config);
  }
}
