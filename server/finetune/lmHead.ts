/**
 * The classifier's (fine-tuned) encoder under the base model's language-model head, for the
 * forgetting probe and rehearsal: a model loaded from the same folder with its LM head provides
 * the head's own tensors (e.g. BERT's cls.predictions.*), and every other tensor — and every
 * LoRA adapter — is read from the model being fine-tuned, so the view follows training live.
 */
import { readConfigJson, loadModelFolder } from '../checkpoints/modelFolder';
import type { ForwardOptions } from '../models/blocks';
import { familyForModelType } from '../models/families';
import type { ModelInputs, ModelOutput } from '../models/modelIo';
import { ParameterStore, type LinearAdapter } from '../models/parameters';
import type { TransformerModel } from '../models/transformerModel';
import type { Variable } from '../backend/tf';
import { PRETRAIN_HEADS, type Objective } from '../pretrain/objectives';
import { join } from 'node:path';

/** Reads from `primary` what it has, else from `secondary` (whose specs it describes). */
class OverlayStore extends ParameterStore {
  constructor(private readonly primary: ParameterStore, private readonly secondary: ParameterStore) {
    super(secondary.specs);
  }
  override get(name: string): Variable {
    return this.primary.has(name) ? this.primary.get(name) : this.secondary.get(name);
  }
  override has(name: string): boolean {
    return this.primary.has(name) || this.secondary.has(name);
  }
  override adapter(name: string): LinearAdapter | undefined {
    return this.primary.adapter(name);
  }
  override dispose(): void {
    // owns nothing
  }
}

export interface LmHeadView {
  /** The base model with its LM head, unchanged by fine-tuning. */
  readonly base: TransformerModel;
  /** The fine-tuned encoder under the base model's LM head. */
  readonly current: TransformerModel;
  readonly objective: Objective;
  dispose(): void;
}

/**
 * Loads the LM head of the model folder `dir`, or returns null when the folder's checkpoint has
 * none (a classifier or bare encoder: the head would be random, its loss meaningless).
 */
export async function loadLmHeadView(dir: string, tuned: TransformerModel): Promise<LmHeadView | null> {
  const json = await readConfigJson(dir);
  const objective = PRETRAIN_HEADS[familyForModelType(json['model_type'], join(dir, 'config.json')).family];
  const loaded = await loadModelFolder(dir, { head: objective });
  if (loaded.fresh.length > 0) {
    loaded.model.dispose();
    return null;
  }
  const base = loaded.model;
  const store = new OverlayStore(tuned.params, base.params);
  const current: TransformerModel = {
    params: store, definition: base.definition, config: base.config, family: base.family, maxInputLength: base.maxInputLength,
    forward: (inputs: ModelInputs, opts: ForwardOptions): ModelOutput => base.definition.forward(store, base.config, inputs, opts),
    dispose: () => undefined,
  };
  return { base, current, objective, dispose: () => base.dispose() };
}
