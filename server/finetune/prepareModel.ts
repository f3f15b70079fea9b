/**
 * The starting point of a fine-tuning run: a fresh preset (vocabulary trained on the training
 * texts, HF-style random init), a model folder in Hugging Face layout, or (fromScratch) a model
 * folder's architecture and tokenizer with random weights — with a head for the dataset's labels.
 */
import type { HeadKind } from '../models/config';
import { FAMILY_DEFINITIONS } from '../models/families';
import { parsePreset } from '../models/presets';
import { TransformerModel } from '../models/transformerModel';
import { TextTokenizer } from '../tokenizers/textTokenizer';
import { trainTokenizerForFamily } from '../tokenizers/trainTokenizers';
import { loadModelFolder } from '../checkpoints/modelFolder';

export interface PreparedModel {
  readonly model: TransformerModel;
  readonly tokenizer: TextTokenizer;
  /** 'preset' or the folder it came from. */
  readonly origin: string;
  /** Parameters that start from random values (the whole model for a preset). */
  readonly freshParameters: readonly string[];
}

export async function prepareModel(
  modelSpec: string, fromScratch: boolean, head: HeadKind, labels: readonly string[], trainTexts: readonly string[], vocabSize: number, seed: number,
): Promise<PreparedModel> {
  const preset = parsePreset(modelSpec);
  if (preset !== null) {
    const tokenizer = TextTokenizer.fromJson(trainTokenizerForFamily(preset.family, trainTexts, vocabSize), 'trained vocabulary');
    const special = { pad: tokenizer.padId, bos: tokenizer.specialTokens.bos, eos: tokenizer.specialTokens.eos };
    const model = TransformerModel.fresh(FAMILY_DEFINITIONS[preset.family], preset.size, tokenizer.vocabSize, special, head, labels, seed);
    return { model, tokenizer, origin: 'preset', freshParameters: model.params.names() };
  }
  const loaded = await loadModelFolder(modelSpec, { head, labels, seed });
  if (!fromScratch) return { model: loaded.model, tokenizer: loaded.tokenizer, origin: modelSpec, freshParameters: loaded.fresh };
  // The same architecture and tokenizer, every weight drawn afresh: what the model is without its pretraining.
  loaded.model.params.initialize(loaded.model.config.initializerRange, seed);
  return { model: loaded.model, tokenizer: loaded.tokenizer, origin: `${modelSpec} (architecture and tokenizer, random weights)`, freshParameters: loaded.model.params.names() };
}
