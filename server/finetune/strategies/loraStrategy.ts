/**
 * The `lora` strategy (Hu et al., 2021): adapters on the target modules and the task head
 * (PEFT's modules_to_save) train; every base weight stays frozen. Checkpoints are PEFT adapter
 * folders (kilobytes, not the model); best/ and final/ are merged Hugging Face folders with the
 * adapter beside them, and the run's adapter goes to `<runDir>/adapter/`.
 */
import { join } from 'node:path';
import type { Variable } from '../../backend/tf';
import type { LoraConfig } from '../../protocol';
import type { TransformerModel } from '../../models/transformerModel';
import type { TextTokenizer } from '../../tokenizers/textTokenizer';
import { attachLora, headParameterNames, type LoraModel } from '../../lora/attachLora';
import { mergeLora } from '../../lora/mergeLora';
import { restoreLoraState, saveLoraAdapter } from '../../lora/peftAdapter';
import { DEFAULT_LORA_CONFIG } from '../fineTuneConfig';
import type { TrainableModel } from '../loop/contracts';

export const ADAPTER_DIR = 'adapter';

export interface LoraTrainable extends TrainableModel {
  readonly lora: LoraModel;
  /** Adapter parameters and the head, as PEFT counts "trainable params". */
  readonly trainableNames: readonly string[];
}

const sameTargets = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((t, i) => t === b[i]);

export function loraTrainable(model: TransformerModel, tokenizer: TextTokenizer, config: LoraConfig, baseModel: string, maxLength: number, seed: number): LoraTrainable {
  const lora = attachLora(model, config, seed, sameTargets(config.targetModules, DEFAULT_LORA_CONFIG.targetModules));
  const adapterVars = new Map(lora.variables().map((v) => [v.name, v.variable] as const));
  const head = headParameterNames(model);
  const names = [...adapterVars.keys(), ...head];
  const exportTo = async (dir: string): Promise<void> => {
    await mergeLora(dir, model, tokenizer, lora, maxLength);
    await saveLoraAdapter(join(dir, ADAPTER_DIR), model, lora, baseModel);
  };
  return {
    lora,
    names,
    trainableNames: names,
    variable: (name: string): Variable => adapterVars.get(name) ?? model.params.get(name),
    saveState: (dir) => saveLoraAdapter(dir, model, lora, baseModel),
    loadState: (dir) => restoreLoraState(model, lora, dir),
    export: exportTo,
    finish: (runDir) => saveLoraAdapter(join(runDir, ADAPTER_DIR), model, lora, baseModel),
    dispose: () => lora.dispose(),
  };
}
