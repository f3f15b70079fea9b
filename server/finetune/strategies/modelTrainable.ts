/**
 * The model's own parameters as the trainable set (full, freeze:N, gradual, lp-ft): checkpoints,
 * best/ and final/ are all Hugging Face model folders.
 */
import type { Variable } from '../../backend/tf';
import type { TransformerModel } from '../../models/transformerModel';
import type { TextTokenizer } from '../../tokenizers/textTokenizer';
import { readWeights, saveModelFolder } from '../../checkpoints/modelFolder';
import { UserError } from '../../errors';
import type { TrainableModel } from '../loop/contracts';

/** Overwrites `names` with the tensors of a model folder written by saveModelFolder. */
export async function loadParameters(model: TransformerModel, dir: string, names: readonly string[]): Promise<void> {
  const weights = await readWeights(dir);
  for (const name of names) {
    const array = weights.get(name);
    const spec = model.params.spec(name);
    if (array === undefined || spec === undefined || array.shape.join() !== model.params.checkpointShape(spec).join()) {
      throw new UserError(`${dir}: tensor "${name}" is missing or has another shape; the checkpoint belongs to another model.`);
    }
    model.params.loadFromCheckpoint(name, array);
  }
}

export function modelTrainable(model: TransformerModel, tokenizer: TextTokenizer, maxLength: number): TrainableModel {
  const save = (dir: string): Promise<void> => saveModelFolder(dir, model, tokenizer, maxLength);
  return {
    names: model.params.names(),
    variable: (name: string): Variable => model.params.get(name),
    saveState: save,
    loadState: (dir) => loadParameters(model, dir, model.params.names()),
    export: save,
    dispose: () => undefined, // the model itself is disposed by the run
  };
}
