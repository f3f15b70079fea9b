/**
 * Attaches LoRA adapters (Hu et al., 2021) to a model's linear modules, matched by the last
 * segment of the module name as PEFT's `target_modules` list does ("query" matches
 * "bert.encoder.layer.0.attention.self.query"). The base weights are untouched; forward passes
 * add each adapter's output through the ParameterStore's adapter registry.
 */
import type { NamedVariable } from '../training/trainer';
import type { Family } from '../models/config';
import type { TransformerModel } from '../models/transformerModel';
import { UserError } from '../errors';
import { createRng } from '../random';
import { LoraAdapter, peftInit, type LoraInit, type LoraSettings } from './loraAdapter';

/** PEFT's default target modules per model type (TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING). */
export const PEFT_DEFAULT_TARGETS: Readonly<Record<Family, readonly string[]>> = {
  bert: ['query', 'value'],
  roberta: ['query', 'value'],
  distilbert: ['q_lin', 'v_lin'],
  albert: ['query', 'value'],
  gpt2: ['c_attn'],
  t5: ['q', 'v'],
};

/** Names of the task head's parameters (classifier, pooler…): trained in full, never adapted. */
export function headParameterNames(model: TransformerModel): string[] {
  return model.params.names().filter((n) => model.definition.isOptionalOnLoad(n, model.config));
}

/** The modules of the head parameters ("classifier", "bert.pooler.dense"): PEFT's modules_to_save. */
export function headModuleNames(model: TransformerModel): string[] {
  return [...new Set(headParameterNames(model).map((n) => n.replace(/\.(weight|bias)$/, '')))];
}

const lastSegment = (module: string): string => module.slice(module.lastIndexOf('.') + 1);

/**
 * The linear modules the targets select. The engine's default ["query", "value"] falls back to
 * PEFT's default for families whose modules are named otherwise (GPT-2: c_attn, T5: q, v).
 */
export function resolveTargets(model: TransformerModel, requested: readonly string[], isDefault: boolean): { targets: string[]; modules: string[] } {
  const head = new Set(headModuleNames(model));
  const linear = model.params.linearModules().filter((m) => !head.has(m));
  const select = (targets: readonly string[]): string[] => linear.filter((m) => targets.includes(lastSegment(m)));
  let targets = [...requested];
  let modules = select(targets);
  if (modules.length === 0 && isDefault) {
    targets = [...PEFT_DEFAULT_TARGETS[model.config.family]];
    modules = select(targets);
  }
  if (modules.length === 0) {
    const available = [...new Set(linear.map(lastSegment))].sort();
    throw new UserError(`LoRA: no linear module of this ${model.family} model is named ${requested.join(', ')}. Target modules available: ${available.join(', ')} (--lora-targets).`);
  }
  return { targets, modules };
}

/** The adapters attached to one model; dispose() detaches them and frees their variables. */
export class LoraModel {
  constructor(
    private readonly model: TransformerModel,
    readonly adapters: ReadonlyMap<string, LoraAdapter>,
    readonly settings: LoraSettings,
    /** The last-segment names the adapters were matched by (adapter_config.json target_modules). */
    readonly targets: readonly string[],
  ) {
    for (const [module, adapter] of adapters) model.params.setAdapter(module, adapter);
  }

  /** A and B of every adapter, under PEFT's key names (without "base_model.model."). */
  variables(): NamedVariable[] {
    return [...this.adapters.values()].flatMap((a) => [{ name: a.aName, variable: a.a }, { name: a.bName, variable: a.b }]);
  }

  /** True when some adapted module is a GPT-2 Conv1D (its checkpoint weight is [in, out]). */
  get fanInFanOut(): boolean {
    return [...this.adapters.keys()].some((m) => this.model.params.spec(`${m}.weight`)?.transposedInCheckpoint === false);
  }

  dispose(): void {
    for (const [module, adapter] of this.adapters) {
      this.model.params.setAdapter(module, null);
      adapter.dispose();
    }
  }
}

/**
 * Attaches adapters on `modules` with the given settings. `init` supplies saved A/B values per
 * module (loading); otherwise PEFT's initialisation is drawn from `seed`.
 */
export function attachAdapters(
  model: TransformerModel, modules: readonly string[], targets: readonly string[], settings: LoraSettings,
  seed: number, init?: ReadonlyMap<string, LoraInit>,
): LoraModel {
  const rng = createRng(seed ^ 0x10ba);
  const adapters = new Map<string, LoraAdapter>();
  try {
    for (const module of modules) {
      const spec = model.params.spec(`${module}.weight`);
      if (spec === undefined || spec.shape.length !== 2) throw new Error(`LoRA: ${module} is not a linear module`);
      const [inDim, outDim] = spec.shape as [number, number];
      const values = init?.get(module) ?? peftInit(inDim, outDim, settings.rank, rng);
      adapters.set(module, new LoraAdapter(module, inDim, outDim, settings, values));
    }
  } catch (err) {
    for (const a of adapters.values()) a.dispose();
    throw err;
  }
  return new LoraModel(model, adapters, settings, targets);
}

/** Resolves the targets and attaches freshly initialised adapters (the `lora` strategy). */
export function attachLora(model: TransformerModel, settings: LoraSettings & { readonly targetModules: readonly string[] }, seed: number, isDefaultTargets = false): LoraModel {
  const { targets, modules } = resolveTargets(model, settings.targetModules, isDefaultTargets);
  return attachAdapters(model, modules, targets, settings, seed);
}
