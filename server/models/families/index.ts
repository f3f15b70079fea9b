/** The family registry: Hugging Face `model_type` → family definition. */
import { UserError } from '../../errors';
import type { Family } from '../config';
import type { FamilyDefinition } from '../family';
import { ALBERT } from './albert';
import { BERT, DISTILBERT, ROBERTA } from './bertLike';
import { GPT2 } from './gpt2';
import { T5 } from './t5';

export const FAMILY_DEFINITIONS: Readonly<Record<Family, FamilyDefinition>> = {
  bert: BERT, roberta: ROBERTA, distilbert: DISTILBERT, albert: ALBERT, gpt2: GPT2, t5: T5,
};

export const SUPPORTED_MODEL_TYPES: readonly string[] = Object.values(FAMILY_DEFINITIONS).flatMap((f) => [...f.modelTypes]);

export function familyForModelType(modelType: unknown, source: string): FamilyDefinition {
  if (modelType === undefined || modelType === null) {
    throw new UserError(`${source} has no "model_type". Add it (one of ${SUPPORTED_MODEL_TYPES.join(', ')}), or re-export the model with save_pretrained.`);
  }
  const found = Object.values(FAMILY_DEFINITIONS).find((f) => typeof modelType === 'string' && f.modelTypes.includes(modelType));
  if (found === undefined) {
    throw new UserError(`${source}: model_type "${String(modelType)}" is not supported. Supported: ${SUPPORTED_MODEL_TYPES.join(', ')}.`);
  }
  return found;
}
