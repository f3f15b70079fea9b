/**
 * The independent reference of `transfer-lab forward --json`: dispatches on config.model_type to the float64
 * re-implementations of transformers' bert, roberta, distilbert, albert, gpt2 and t5 modeling files.
 */
import { albertForward } from './albertReference';
import { bertForward } from './bertReference';
import type { Config, ReferenceOutput, Weights } from './common';
import { distilbertForward } from './distilbertReference';
import { gpt2Forward } from './gpt2Reference';
import { robertaForward } from './robertaReference';
import { t5Forward } from './t5Reference';

export type { ReferenceOutput } from './common';

/**
 * Forward pass of one unpadded sequence (every id real, attention mask all ones, token types all 0). The head is
 * config.architectures[0]; `decoderIds` are T5's decoder_input_ids (ignored by the encoder-only families).
 */
export function referenceForward(config: Config, weights: Weights, ids: number[], decoderIds?: number[]): ReferenceOutput {
  if (ids.length === 0) throw new Error('reference: empty input');
  const modelType = config['model_type'];
  switch (modelType) {
    case 'bert':
      return bertForward(config, weights, ids);
    case 'roberta':
      return robertaForward(config, weights, ids);
    case 'distilbert':
      return distilbertForward(config, weights, ids);
    case 'albert':
      return albertForward(config, weights, ids);
    case 'gpt2':
      return gpt2Forward(config, weights, ids);
    case 't5':
      return t5Forward(config, weights, ids, decoderIds);
    default:
      throw new Error(`reference: model_type ${String(modelType)} is not implemented`);
  }
}
