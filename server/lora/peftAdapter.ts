/**
 * LoRA adapters in PEFT's on-disk format, so `PeftModel.from_pretrained(base, dir)` loads them:
 * `adapter_config.json` and `adapter_model.safetensors` with the keys get_peft_model_state_dict
 * writes (peft/utils/save_and_load.py): `base_model.model.<module>.lora_A.weight` [r, in],
 * `…lora_B.weight` [out, r] (adapter name removed), and each modules_to_save module's tensors
 * under its own name, `base_model.model.classifier.weight` (ModulesToSaveWrapper.adapter_state_dict).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tf } from '../backend/tf';
import type { HeadKind } from '../models/config';
import type { NamedArray } from '../models/parameters';
import type { TransformerModel } from '../models/transformerModel';
import { encodeSafetensors, readSafetensors } from '../checkpoints/safetensors';
import { writeFolderAtomic } from '../checkpoints/atomicWrite';
import { UserError } from '../errors';
import { attachAdapters, headModuleNames, headParameterNames, type LoraModel } from './attachLora';
import type { LoraInit } from './loraAdapter';

export const ADAPTER_CONFIG_FILE = 'adapter_config.json';
export const ADAPTER_WEIGHTS_FILE = 'adapter_model.safetensors';
export const PEFT_PREFIX = 'base_model.model.';

/** PEFT's TaskType for each head (it picks the PeftModelFor… wrapper that loads the adapter). */
export type PeftTaskType = 'SEQ_CLS' | 'TOKEN_CLS' | 'CAUSAL_LM' | 'SEQ_2_SEQ_LM' | 'FEATURE_EXTRACTION';
const PEFT_TASK_TYPES: Readonly<Record<HeadKind, PeftTaskType>> = {
  'sequence-classification': 'SEQ_CLS', 'token-classification': 'TOKEN_CLS', 'causal-lm': 'CAUSAL_LM', 'seq2seq-lm': 'SEQ_2_SEQ_LM',
  'masked-lm': 'FEATURE_EXTRACTION', base: 'FEATURE_EXTRACTION', // PEFT has no masked-LM task type
};

/** The fields of PEFT's LoraConfig that Transfer Lab writes (all of them known to PEFT). */
export interface AdapterConfigJson {
  readonly peft_type: 'LORA';
  readonly task_type: PeftTaskType;
  readonly r: number;
  readonly lora_alpha: number;
  readonly lora_dropout: number;
  readonly target_modules: readonly string[];
  readonly modules_to_save: readonly string[];
  readonly base_model_name_or_path: string;
  readonly bias: 'none';
  readonly fan_in_fan_out: boolean;
  readonly inference_mode: boolean;
  readonly init_lora_weights: boolean;
  readonly use_rslora: boolean;
  readonly use_dora: boolean;
  readonly revision: null;
}

/** `names` in checkpoint (HF) orientation, read asynchronously. */
async function checkpointArrays(model: TransformerModel, names: readonly string[]): Promise<Map<string, NamedArray>> {
  const out = new Map<string, NamedArray>();
  for (const name of names) {
    const spec = model.params.spec(name);
    if (spec === undefined) throw new Error(`model has no parameter "${name}"`);
    const v = model.params.get(name);
    const t = spec.transposedInCheckpoint ? tf.transpose(v) : v;
    const data = new Float32Array(await t.data());
    if (t !== v) t.dispose();
    out.set(name, { shape: model.params.checkpointShape(spec), data });
  }
  return out;
}

/** Adapter and head tensors under PEFT's key names. */
export async function peftStateDict(model: TransformerModel, lora: LoraModel): Promise<Map<string, NamedArray>> {
  const out = new Map<string, NamedArray>();
  for (const adapter of lora.adapters.values()) {
    const [aT, bT] = tf.tidy(() => [tf.transpose(adapter.a), tf.transpose(adapter.b)]) as [tf.Tensor, tf.Tensor];
    const [a, b] = await Promise.all([aT.data(), bT.data()]);
    tf.dispose([aT, bT]);
    out.set(`${PEFT_PREFIX}${adapter.aName}`, { shape: [lora.settings.rank, adapter.inDim], data: new Float32Array(a) });
    out.set(`${PEFT_PREFIX}${adapter.bName}`, { shape: [adapter.outDim, lora.settings.rank], data: new Float32Array(b) });
  }
  for (const [name, array] of await checkpointArrays(model, headParameterNames(model))) out.set(`${PEFT_PREFIX}${name}`, array);
  return out;
}

export function adapterConfig(model: TransformerModel, lora: LoraModel, baseModel: string): AdapterConfigJson {
  return {
    peft_type: 'LORA', task_type: PEFT_TASK_TYPES[model.config.head], r: lora.settings.rank, lora_alpha: lora.settings.alpha, lora_dropout: lora.settings.dropout,
    target_modules: [...lora.targets], modules_to_save: headModuleNames(model), base_model_name_or_path: baseModel, bias: 'none',
    fan_in_fan_out: lora.fanInFanOut, inference_mode: true, init_lora_weights: true, use_rslora: false, use_dora: false, revision: null,
  };
}

/** Writes `dir` (atomically) as a PEFT adapter folder. `baseModel`: the base model folder or preset. */
export async function saveLoraAdapter(dir: string, model: TransformerModel, lora: LoraModel, baseModel: string): Promise<void> {
  const weights = await peftStateDict(model, lora);
  const config = adapterConfig(model, lora, baseModel);
  await writeFolderAtomic(dir, async (tmp) => {
    await writeFile(join(tmp, ADAPTER_CONFIG_FILE), JSON.stringify(config, null, 2) + '\n');
    await writeFile(join(tmp, ADAPTER_WEIGHTS_FILE), encodeSafetensors(weights));
  });
}

async function readAdapterConfig(dir: string): Promise<AdapterConfigJson> {
  const path = join(dir, ADAPTER_CONFIG_FILE);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new UserError(`${path} is missing or not JSON. Point at a folder written by save_pretrained of a PEFT LoRA model.`);
  }
  const c = json as Partial<Record<keyof AdapterConfigJson, unknown>>;
  const ok = typeof json === 'object' && json !== null && c.peft_type === 'LORA' && Number.isInteger(c.r) && typeof c.lora_alpha === 'number';
  if (!ok) throw new UserError(`${path} is not a LoRA adapter config (needs peft_type "LORA", r and lora_alpha).`);
  return json as AdapterConfigJson;
}

const LORA_KEY = /^base_model\.model\.(.+)\.lora_([AB])(?:\.default)?\.weight$/;

/** Splits PEFT keys into adapter A/B values (engine orientation) per module and head tensors. */
function splitStateDict(weights: ReadonlyMap<string, NamedArray>, rank: number, path: string): { lora: Map<string, LoraInit>; head: Map<string, NamedArray> } {
  const parts = new Map<string, { a?: NamedArray; b?: NamedArray }>();
  const head = new Map<string, NamedArray>();
  for (const [key, array] of weights) {
    const m = LORA_KEY.exec(key);
    if (m !== null) {
      const entry = parts.get(m[1] as string) ?? {};
      if (m[2] === 'A') entry.a = array;
      else entry.b = array;
      parts.set(m[1] as string, entry);
    } else if (key.startsWith(PEFT_PREFIX)) {
      head.set(key.slice(PEFT_PREFIX.length).replace('.modules_to_save.default.', '.'), array);
    }
  }
  const lora = new Map<string, LoraInit>();
  for (const [module, { a, b }] of parts) {
    if (a === undefined || b === undefined || a.shape[0] !== rank || b.shape[1] !== rank) {
      throw new UserError(`${path}: the LoRA tensors of ${module} are incomplete or not of rank ${rank}.`);
    }
    lora.set(module, { a: transposed(a), b: transposed(b) });
  }
  return { lora, head };
}

function transposed(x: NamedArray): Float32Array {
  const [rows, cols] = x.shape as [number, number];
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = x.data[i * cols + j] as number;
  return out;
}

interface AdapterFiles {
  readonly config: AdapterConfigJson;
  readonly path: string;
  readonly lora: Map<string, LoraInit>;
  readonly head: Map<string, NamedArray>;
}

async function readAdapterFiles(dir: string): Promise<AdapterFiles> {
  const config = await readAdapterConfig(dir);
  const path = join(dir, ADAPTER_WEIGHTS_FILE);
  return { config, path, ...splitStateDict(await readSafetensors(path), config.r, path) };
}

function loadHead(model: TransformerModel, { head, path }: AdapterFiles): void {
  for (const [name, array] of head) {
    const spec = model.params.spec(name);
    const expected = spec === undefined ? [] : model.params.checkpointShape(spec);
    if (spec === undefined || array.shape.join() !== expected.join()) {
      throw new UserError(`${path}: "${name}" does not fit this model (shape [${array.shape.join(', ')}], expected [${expected.join(', ')}]). Was the adapter trained on another base model or label set?`);
    }
    model.params.loadFromCheckpoint(name, array);
  }
}

/** Loads a PEFT LoRA adapter folder onto `model` (its base weights already loaded): adapters and head. */
export async function loadLoraAdapter(model: TransformerModel, dir: string): Promise<LoraModel> {
  const files = await readAdapterFiles(dir);
  const { config, lora, path } = files;
  loadHead(model, files);
  for (const module of lora.keys()) {
    if (model.params.spec(`${module}.weight`) === undefined) throw new UserError(`${path}: this model has no module ${module}. Was the adapter trained on another base model?`);
  }
  const settings = { rank: config.r, alpha: config.lora_alpha, dropout: typeof config.lora_dropout === 'number' ? config.lora_dropout : 0 };
  const targets = Array.isArray(config.target_modules) ? config.target_modules.map(String) : [];
  return attachAdapters(model, [...lora.keys()], targets, settings, 0, lora);
}

/** Overwrites attached adapters and the head with a saved adapter folder (resuming a run). */
export async function restoreLoraState(model: TransformerModel, lora: LoraModel, dir: string): Promise<void> {
  const files = await readAdapterFiles(dir);
  for (const [module, adapter] of lora.adapters) {
    const values = files.lora.get(module);
    if (values === undefined) throw new UserError(`${files.path} has no LoRA tensors for ${module}; it belongs to another run.`);
    adapter.assign(values);
  }
  loadHead(model, files);
}
