/**
 * The starting point of a fine-tuning run: a fresh preset (WordPiece vocabulary trained on the
 * training texts, HF-style random init) or a model folder in Hugging Face layout.
 */
import { isBertPreset, presetConfig, type BertConfig } from '../models/bertConfig';
import { SequenceClassifier } from '../models/sequenceClassifier';
import { TextTokenizer } from '../tokenizers/textTokenizer';
import { trainWordPiece } from '../tokenizers/trainWordPiece';
import { loadModelFolder, loadWeightsInto } from '../checkpoints/modelFolder';

export interface PreparedModel {
  readonly model: SequenceClassifier;
  readonly tokenizer: TextTokenizer;
  /** 'preset' or the folder it came from. */
  readonly origin: string;
  /** Parameters that start from random values (the whole model for a preset). */
  readonly freshParameters: readonly string[];
}

export async function prepareModel(
  modelSpec: string, labels: readonly string[], trainTexts: readonly string[], vocabSize: number, seed: number,
): Promise<PreparedModel> {
  if (isBertPreset(modelSpec)) {
    const tokenizer = TextTokenizer.fromJson(trainWordPiece(trainTexts, { vocabSize }), 'trained vocabulary');
    const config = presetConfig(modelSpec, tokenizer.vocabSize, labels);
    const model = new SequenceClassifier(config);
    model.params.initialize(config.initializerRange, seed);
    return { model, tokenizer, origin: 'preset', freshParameters: model.params.names() };
  }
  const loaded = await loadModelFolder(modelSpec);
  const config: BertConfig = { ...loaded.config, labels };
  const model = new SequenceClassifier(config);
  model.params.initialize(config.initializerRange, seed); // the head keeps these when it is new
  try {
    const fresh = loadWeightsInto(model, loaded.weights, modelSpec);
    return { model, tokenizer: loaded.tokenizer, origin: modelSpec, freshParameters: fresh };
  } catch (err) {
    model.dispose();
    throw err;
  }
}
