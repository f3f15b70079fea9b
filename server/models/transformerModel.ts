/**
 * A model of any family: its normalised config, its weights (by Hugging Face name) and a
 * forward pass. Built fresh from a preset or from a config; checkpoints/modelFolder.ts loads
 * and saves it.
 */
import type { ForwardOptions } from './blocks';
import type { HeadKind, SizePreset, TransformerConfig } from './config';
import { ConfigReader } from './configKeys';
import type { FamilyDefinition, SpecialTokenIds } from './family';
import { familyForModelType } from './families';
import type { ModelInputs, ModelOutput } from './modelIo';
import { ParameterStore } from './parameters';
import { UserError } from '../errors';

export class TransformerModel {
  readonly params: ParameterStore;

  constructor(readonly definition: FamilyDefinition, readonly config: TransformerConfig) {
    if (!definition.heads.includes(config.head)) {
      throw new UserError(`${definition.family} models have no ${config.head} head. Available: ${definition.heads.join(', ')}.`);
    }
    if ((config.head === 'sequence-classification' || config.head === 'token-classification') && config.labels.length < 2) {
      throw new UserError(`A ${config.head} head needs at least two labels, got ${config.labels.length}.`);
    }
    this.params = new ParameterStore(definition.specs(config));
  }

  /** Parses an HF config.json object; `head` overrides the one its `architectures` names. */
  static fromHfConfig(json: Readonly<Record<string, unknown>>, source: string, head?: HeadKind, labels?: readonly string[]): TransformerModel {
    const definition = familyForModelType(json['model_type'], source);
    const reader = new ConfigReader(json, source);
    const resolvedHead = head ?? headFromArchitectures(definition, json['architectures']);
    const config = definition.parseConfig(reader, resolvedHead, labels ?? reader.labels());
    if (!Number.isInteger(config.headDim) || config.headDim <= 0) {
      throw new UserError(`${source}: hidden_size (n_embd) ${config.hiddenSize} is not divisible by num_attention_heads (n_head) ${config.numHeads}. Fix config.json; transformers refuses such a model too.`);
    }
    return new TransformerModel(definition, config);
  }

  /** A fresh, randomly initialised model of a preset size. */
  static fresh(definition: FamilyDefinition, size: SizePreset, vocabSize: number, special: SpecialTokenIds, head: HeadKind, labels: readonly string[], seed: number): TransformerModel {
    const json = definition.presetHfConfig(size, vocabSize, special);
    const model = TransformerModel.fromHfConfig(json, `preset ${definition.family}/${size}`, head, labels);
    model.params.initialize(model.config.initializerRange, seed);
    return model;
  }

  get family(): string {
    return this.definition.family;
  }

  /** Longest input, in tokens, the model accepts. */
  get maxInputLength(): number {
    return this.definition.maxInputLength(this.config);
  }

  /** Synchronous tensor code: call inside tf.tidy or a gradient function. */
  forward(inputs: ModelInputs, opts: ForwardOptions): ModelOutput {
    return this.definition.forward(this.params, this.config, inputs, opts);
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** HF `architectures[0]` → head; a bare model (or none listed) → 'base'. */
export function headFromArchitectures(definition: FamilyDefinition, architectures: unknown): HeadKind {
  const first = Array.isArray(architectures) ? architectures[0] : undefined;
  const entry = Object.entries(definition.architectures).find(([, cls]) => cls === first);
  return (entry?.[0] as HeadKind | undefined) ?? 'base';
}
