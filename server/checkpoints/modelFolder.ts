/**
 * Model folders in Hugging Face layout: `config.json`, `model.safetensors` (or shards listed in
 * `model.safetensors.index.json`) and a tokenizer. Loading validates every tensor against the
 * shapes the config implies and refuses pickle checkpoints, which can execute code; saving
 * writes what `from_pretrained` accepts (same tensor names and config keys), atomically.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UserError } from '../errors';
import type { HeadKind } from '../models/config';
import type { NamedArray } from '../models/parameters';
import { TransformerModel } from '../models/transformerModel';
import { TextTokenizer } from '../tokenizers/textTokenizer';
import { loadTokenizerFromFolder } from '../tokenizers/loadTokenizer';
import { encodeSafetensors, readSafetensors } from './safetensors';
import { writeFolderAtomic } from './atomicWrite';
import { hfConfigForSave, tokenizerConfigFor } from './hfConfigJson';

const PICKLE_FILES = ['pytorch_model.bin', 'model.pt', 'model.ckpt', 'tf_model.h5', 'flax_model.msgpack'];

export interface LoadedModel {
  readonly model: TransformerModel;
  readonly tokenizer: TextTokenizer;
  /** Tensors the checkpoint lacked, initialised fresh (a new head, a pooler). */
  readonly fresh: readonly string[];
}

export interface LoadOptions {
  /** Override the head `architectures` names (e.g. a classifier on top of a masked LM). */
  readonly head?: HeadKind;
  readonly labels?: readonly string[];
  /** Seed for the fresh tensors. */
  readonly seed?: number;
}

export async function readConfigJson(dir: string): Promise<Record<string, unknown>> {
  const path = join(dir, 'config.json');
  if (!existsSync(dir)) throw new UserError(`Model folder ${dir} does not exist. Check the path (a model folder holds config.json and model.safetensors).`);
  if (!statSync(dir).isDirectory()) throw new UserError(`${dir} is a file, not a model folder. Give the folder that holds config.json and model.safetensors.`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UserError(`${dir} is not a model folder: config.json is missing. Pick a folder saved with save_pretrained or by Transfer Lab.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? ` (${err.message})` : '';
    throw new UserError(`${path} is not valid JSON${why}. Restore it from the original model.`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new UserError(`${path} must hold a JSON object of model settings. Restore it from the original model.`);
  }
  return json as Record<string, unknown>;
}

function refusePickle(dir: string): never {
  const found = PICKLE_FILES.find((f) => existsSync(join(dir, f)));
  if (found !== undefined) {
    throw new UserError(
      `${join(dir, found)} is a pickle checkpoint, which can run arbitrary code when opened, so Transfer Lab refuses it. ` +
        'Convert it once in Python: AutoModel.from_pretrained(dir).save_pretrained(dir, safe_serialization=True).',
    );
  }
  throw new UserError(`${dir} has no model.safetensors. Save the model with save_pretrained (safetensors is the default).`);
}

/** Every tensor of the folder's safetensors file(s). */
export async function readWeights(dir: string): Promise<Map<string, NamedArray>> {
  const single = join(dir, 'model.safetensors');
  if (existsSync(single)) return readSafetensors(single);
  const indexPath = join(dir, 'model.safetensors.index.json');
  if (!existsSync(indexPath)) refusePickle(dir);
  let index: unknown;
  try {
    index = JSON.parse(await readFile(indexPath, 'utf8'));
  } catch {
    throw new UserError(`${indexPath} is not valid JSON. Re-save the model with save_pretrained.`);
  }
  const map = typeof index === 'object' && index !== null ? (index as { weight_map?: unknown }).weight_map : undefined;
  if (typeof map !== 'object' || map === null) throw new UserError(`${indexPath} has no "weight_map". Re-save the model with save_pretrained.`);
  const out = new Map<string, NamedArray>();
  for (const shard of new Set(Object.values(map as Record<string, unknown>).map(String))) {
    // Shards live in the folder itself: a path would read files outside it.
    if (shard !== basename(shard) || shard === '..' || shard === '.') {
      throw new UserError(`${indexPath} names the shard "${shard}", which is not a file in the model folder. Re-save the model with save_pretrained.`);
    }
    for (const [name, t] of await readSafetensors(join(dir, shard))) out.set(name, t);
  }
  return out;
}

/** The checkpoint tensor for an engine name: exact, or without the base prefix (bare base models). */
function lookup(weights: ReadonlyMap<string, NamedArray>, name: string, prefix: string): NamedArray | undefined {
  const exact = weights.get(name);
  if (exact !== undefined || prefix === '' || !name.startsWith(`${prefix}.`)) return exact;
  return weights.get(name.slice(prefix.length + 1));
}

/** Builds the model a folder describes and fills it with the folder's weights. */
export async function loadModelFolder(dir: string, opts: LoadOptions = {}): Promise<LoadedModel> {
  const json = await readConfigJson(dir);
  const model = TransformerModel.fromHfConfig(json, join(dir, 'config.json'), opts.head, opts.labels);
  try {
    const weights = await readWeights(dir);
    const fresh = new Set<string>();
    for (const spec of model.params.specs) {
      const arr = lookup(weights, spec.name, model.definition.basePrefix);
      const expected = model.params.checkpointShape(spec);
      const matches = arr !== undefined && arr.shape.length === expected.length && arr.shape.every((d, i) => d === expected[i]);
      if (matches) {
        model.params.loadFromCheckpoint(spec.name, arr);
        continue;
      }
      const optional = model.definition.isOptionalOnLoad(spec.name, model.config);
      if (arr === undefined && optional) fresh.add(spec.name);
      else if (arr !== undefined && optional && opts.labels !== undefined) fresh.add(spec.name); // a head for other labels
      else if (arr === undefined) {
        throw new UserError(`${dir}: the checkpoint has no tensor "${spec.name}", which config.json implies. The weights and config.json do not match: use the config.json saved with these weights.`);
      } else {
        throw new UserError(`${dir}: tensor "${spec.name}" has shape [${arr.shape.join(', ')}] but config.json implies [${expected.join(', ')}]. The weights and config.json do not match: use the config.json saved with these weights.`);
      }
    }
    if (fresh.size > 0) model.params.initialize(model.config.initializerRange, opts.seed ?? 0, fresh);
    return { model, tokenizer: await loadTokenizerFromFolder(dir, model.family), fresh: [...fresh] };
  } catch (err) {
    model.dispose();
    throw err;
  }
}

/** Writes a model as a Hugging Face folder, atomically (an old folder survives a failure). */
export async function saveModelFolder(dir: string, model: TransformerModel, tokenizer: TextTokenizer, maxLength: number): Promise<void> {
  const arrays = await model.params.toCheckpointArrays();
  // A bare base model saves its tensors without the prefix, as HF's BertModel/GPT2Model do.
  const prefix = model.config.head === 'base' && model.definition.basePrefix !== '' ? `${model.definition.basePrefix}.` : null;
  const weights = new Map([...arrays].map(([name, a]) => [prefix !== null && name.startsWith(prefix) ? name.slice(prefix.length) : name, a]));
  await writeFolderAtomic(dir, async (tmp) => {
    await writeFile(join(tmp, 'config.json'), JSON.stringify(hfConfigForSave(model), null, 2) + '\n');
    await writeFile(join(tmp, 'model.safetensors'), encodeSafetensors(weights));
    await writeFile(join(tmp, 'tokenizer.json'), JSON.stringify(tokenizer.toJSON()));
    await writeFile(join(tmp, 'tokenizer_config.json'), JSON.stringify(tokenizerConfigFor(model, tokenizer, maxLength), null, 2) + '\n');
  });
}
