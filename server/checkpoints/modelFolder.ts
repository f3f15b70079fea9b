/**
 * A model folder in Hugging Face layout: `config.json`, `model.safetensors`, `tokenizer.json`
 * (+ `tokenizer_config.json`). Saving is atomic; loading validates every tensor against the
 * shapes the config implies and refuses pickle checkpoints, which can execute code.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors';
import { bertConfigFromJson, bertConfigToJson, type BertConfig } from '../models/bertConfig';
import { SequenceClassifier, ENCODER_PREFIX } from '../models/sequenceClassifier';
import type { NamedArray } from '../models/parameters';
import { TextTokenizer } from '../tokenizers/textTokenizer';
import { readSafetensors, encodeSafetensors } from './safetensors';
import { writeFolderAtomic } from './atomicWrite';

export const SUPPORTED_MODEL_TYPES = ['bert'] as const;
const PICKLE_FILES = ['pytorch_model.bin', 'model.pt', 'model.ckpt', 'tf_model.h5'];

export interface LoadedModelFolder {
  readonly config: BertConfig;
  readonly weights: Map<string, NamedArray>;
  readonly tokenizer: TextTokenizer;
}

async function readConfigJson(dir: string): Promise<Record<string, unknown>> {
  const path = join(dir, 'config.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UserError(`${dir} is not a model folder: config.json is missing. Pick a folder saved with save_pretrained or by Transfer Lab.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserError(`${path} is not valid JSON. Restore it from the original model.`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UserError(`${path} must hold a JSON object.`);
  return json as Record<string, unknown>;
}

function refusePickle(dir: string): never {
  const found = PICKLE_FILES.filter((f) => existsSync(join(dir, f)));
  if (found.length > 0) {
    throw new UserError(
      `${join(dir, found[0] ?? '')} is a pickle checkpoint, which can run arbitrary code when opened, so Transfer Lab refuses it. ` +
        'Convert it once in Python: AutoModel.from_pretrained(dir).save_pretrained(dir, safe_serialization=True).',
    );
  }
  throw new UserError(`${dir} has no model.safetensors. Save the model with save_pretrained (safetensors is the default).`);
}

/** Reads config, weights (names normalised to the "bert." prefix) and tokenizer of a folder. */
export async function loadModelFolder(dir: string): Promise<LoadedModelFolder> {
  const json = await readConfigJson(dir);
  const modelType = json['model_type'];
  if (typeof modelType !== 'string' || !(SUPPORTED_MODEL_TYPES as readonly string[]).includes(modelType)) {
    throw new UserError(`${join(dir, 'config.json')}: model_type "${String(modelType)}" is not supported. Supported: ${SUPPORTED_MODEL_TYPES.join(', ')}.`);
  }
  const config = bertConfigFromJson(json, join(dir, 'config.json'));
  const weightsPath = join(dir, 'model.safetensors');
  if (!existsSync(weightsPath)) refusePickle(dir);
  const raw = await readSafetensors(weightsPath);
  const weights = new Map<string, NamedArray>();
  for (const [name, arr] of raw) {
    // BertModel checkpoints have bare names; task models prefix the encoder with "bert.".
    const normalised = name.startsWith(`${ENCODER_PREFIX}.`) || name.startsWith('classifier.') || name.startsWith('cls.') ? name : `${ENCODER_PREFIX}.${name}`;
    weights.set(normalised, arr);
  }
  const tokenizerPath = join(dir, 'tokenizer.json');
  if (!existsSync(tokenizerPath)) {
    throw new UserError(`${dir} has no tokenizer.json. Save the tokenizer next to the model (tokenizer.save_pretrained(dir)).`);
  }
  return { config, weights, tokenizer: await TextTokenizer.fromFile(tokenizerPath) };
}

/**
 * Copies checkpoint weights into a classifier. Encoder weights must all be present with the
 * shapes the config implies; the head is loaded only when its shape matches (new labels start
 * fresh, as HF does). Returns the names initialised fresh.
 */
export function loadWeightsInto(model: SequenceClassifier, weights: ReadonlyMap<string, NamedArray>, source: string): string[] {
  const fresh: string[] = [];
  for (const spec of model.params.specs) {
    const arr = weights.get(spec.name);
    const expected = model.params.checkpointShape(spec);
    const isHead = spec.name.startsWith('classifier.') || spec.name.startsWith(`${ENCODER_PREFIX}.pooler.`);
    if (arr === undefined) {
      if (isHead) {
        fresh.push(spec.name);
        continue;
      }
      throw new UserError(`${source} has no tensor "${spec.name}", which config.json implies. The checkpoint and config.json do not match.`);
    }
    if (arr.shape.length !== expected.length || arr.shape.some((d, i) => d !== expected[i])) {
      if (isHead && spec.name.startsWith('classifier.')) {
        fresh.push(spec.name);
        continue;
      }
      throw new UserError(`${source}: tensor "${spec.name}" has shape [${arr.shape.join(', ')}] but config.json implies [${expected.join(', ')}]. The checkpoint and config.json do not match.`);
    }
    model.params.loadFromCheckpoint(spec.name, arr);
  }
  return fresh;
}

/** Writes a classifier as a Hugging Face folder, atomically (an old folder survives a failure). */
export async function saveModelFolder(dir: string, model: SequenceClassifier, tokenizer: TextTokenizer, maxLength: number): Promise<void> {
  const weights = await model.params.toCheckpointArrays();
  await writeFolderAtomic(dir, async (tmp) => {
    await writeFile(join(tmp, 'config.json'), JSON.stringify(bertConfigToJson(model.config), null, 2) + '\n');
    await writeFile(join(tmp, 'model.safetensors'), encodeSafetensors(weights));
    await writeFile(join(tmp, 'tokenizer.json'), JSON.stringify(tokenizer.toJSON()));
    const tokenizerConfig = {
      tokenizer_class: 'BertTokenizerFast',
      do_lower_case: true,
      model_max_length: maxLength,
      cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]',
    };
    await writeFile(join(tmp, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig, null, 2) + '\n');
  });
}
