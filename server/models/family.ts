/**
 * What each model family provides: its config.json mapping, presets, tensor specs per head,
 * and a forward pass assembled from the shared blocks. The registry (families/index.ts) maps
 * Hugging Face `model_type` values to these.
 */
import type { ForwardOptions } from './blocks';
import type { Family, HeadKind, SizePreset, TransformerConfig } from './config';
import type { ConfigReader } from './configKeys';
import type { ModelInputs, ModelOutput } from './modelIo';
import type { ParamSpec, ParameterStore } from './parameters';

/** Token ids a fresh model's config needs from its tokenizer. */
export interface SpecialTokenIds {
  readonly pad: number;
  readonly bos: number | null;
  readonly eos: number | null;
}

export interface FamilyDefinition {
  readonly family: Family;
  /** Hugging Face `model_type` values this family reads. */
  readonly modelTypes: readonly string[];
  /** HF's base_model_prefix: task models nest the base model's tensors under it ("" for T5). */
  readonly basePrefix: string;
  readonly heads: readonly HeadKind[];
  /** HF class name per head, written to config.json `architectures`. */
  readonly architectures: Readonly<Partial<Record<HeadKind, string>>>;
  parseConfig(r: ConfigReader, head: HeadKind, labels: readonly string[]): TransformerConfig;
  /** config.json of a fresh model of the given size (HF keys). */
  presetHfConfig(size: SizePreset, vocabSize: number, special: SpecialTokenIds): Record<string, unknown>;
  specs(c: TransformerConfig): ParamSpec[];
  /** Tensors that may be absent from a checkpoint and start fresh (heads, poolers). */
  isOptionalOnLoad(name: string, c: TransformerConfig): boolean;
  /** Longest input (tokens) the model accepts. */
  maxInputLength(c: TransformerConfig): number;
  forward(p: ParameterStore, c: TransformerConfig, inputs: ModelInputs, opts: ForwardOptions): ModelOutput;
}
