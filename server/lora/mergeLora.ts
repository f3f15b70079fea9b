/**
 * Merges LoRA adapters into their base weights for export (Hu et al., 2021, §4.1: no inference
 * latency): W' = W + A·B·(alpha/r) in the engine's [in, out] orientation, i.e. W'_hf = W_hf +
 * (B_peft·A_peft)·(alpha/r) for nn.Linear and its transpose for GPT-2's Conv1D. The live model is
 * not modified; the result is a plain Hugging Face model folder.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tf } from '../backend/tf';
import type { NamedArray } from '../models/parameters';
import type { TransformerModel } from '../models/transformerModel';
import type { TextTokenizer } from '../tokenizers/textTokenizer';
import { encodeSafetensors } from '../checkpoints/safetensors';
import { writeFolderAtomic } from '../checkpoints/atomicWrite';
import { hfConfigForSave, tokenizerConfigFor } from '../checkpoints/hfConfigJson';
import type { LoraModel } from './attachLora';

/** Every weight in checkpoint (HF) orientation, with the adapters' updates added. */
export async function mergedCheckpointArrays(model: TransformerModel, lora: LoraModel): Promise<Map<string, NamedArray>> {
  const arrays = await model.params.toCheckpointArrays();
  for (const [module, adapter] of lora.adapters) {
    const name = `${module}.weight`;
    const spec = model.params.spec(name);
    if (spec === undefined) continue;
    const merged = tf.tidy(() => {
      const w = tf.add(model.params.get(name), adapter.delta()); // [in, out]
      return spec.transposedInCheckpoint ? tf.transpose(w) : w;
    });
    const data = new Float32Array(await merged.data());
    merged.dispose();
    arrays.set(name, { shape: model.params.checkpointShape(spec), data });
  }
  return arrays;
}

/** Writes the merged model as a Hugging Face folder (config.json, model.safetensors, tokenizer), atomically. */
export async function mergeLora(dir: string, model: TransformerModel, tokenizer: TextTokenizer, lora: LoraModel, maxLength: number): Promise<void> {
  const arrays = await mergedCheckpointArrays(model, lora);
  const prefix = model.config.head === 'base' && model.definition.basePrefix !== '' ? `${model.definition.basePrefix}.` : null;
  const weights = new Map([...arrays].map(([name, a]) => [prefix !== null && name.startsWith(prefix) ? name.slice(prefix.length) : name, a]));
  await writeFolderAtomic(dir, async (tmp) => {
    await writeFile(join(tmp, 'config.json'), JSON.stringify(hfConfigForSave(model), null, 2) + '\n');
    await writeFile(join(tmp, 'model.safetensors'), encodeSafetensors(weights));
    await writeFile(join(tmp, 'tokenizer.json'), JSON.stringify(tokenizer.toJSON()));
    await writeFile(join(tmp, 'tokenizer_config.json'), JSON.stringify(tokenizerConfigFor(model, tokenizer, maxLength), null, 2) + '\n');
  });
}
