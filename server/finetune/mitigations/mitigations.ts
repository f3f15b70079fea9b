/**
 * The forgetting mitigations a run combines with its strategy, as extra loss terms: L2-SP toward
 * the pretrained weights and rehearsal on general text (layer-wise LR decay acts through the
 * optimizer's per-parameter scales instead). Also holds the LM-head view the probe reuses.
 */
import { tf, type Tensor } from '../../backend/tf';
import type { FineTuneConfig } from '../../protocol';
import type { TransformerModel } from '../../models/transformerModel';
import type { TextTokenizer } from '../../tokenizers/textTokenizer';
import type { LmHeadView } from '../lmHead';
import { lmHeadViewFor, probePath } from '../probeLoss';
import type { StrategySetup } from '../strategies/setup';
import { L2SpPenalty } from './l2sp';
import { prepareRehearsal, type Rehearsal } from './rehearsal';

export interface Mitigations {
  /** The extra loss for the parameters now training (synchronous tensor code), or null. */
  penalty(trainable: readonly string[]): Tensor | null;
  /** Before each optimizer step: rehearsal draws its batch. */
  beforeStep(step: number): void;
  /** The base model's LM head over the tuned encoder, when the model folder has one and it is needed. */
  readonly view: LmHeadView | null;
  dispose(): void;
}

/**
 * Call before the loop loads a checkpoint: L2-SP's θ₀ must be the pretrained values. Disposes
 * what it made if a later part fails.
 */
export async function prepareMitigations(
  config: FineTuneConfig, model: TransformerModel, tokenizer: TextTokenizer, setup: StrategySetup, maxLength: number, log: (line: string) => void,
): Promise<Mitigations> {
  const variable = (n: string) => setup.trainable.variable(n);
  const strength = config.mitigations.l2sp;
  const l2sp = strength > 0 && setup.pretrained.length > 0 ? new L2SpPenalty(variable, setup.pretrained, strength) : null;
  let view: LmHeadView | null = null;
  let rehearsal: Rehearsal | null = null;
  const dispose = (): void => {
    l2sp?.dispose();
    rehearsal?.dispose();
    view?.dispose();
  };
  try {
    if (config.mitigations.rehearsal > 0 || probePath(config) !== null) view = await lmHeadViewFor(config, model, log);
    rehearsal = await prepareRehearsal(config, view, tokenizer, maxLength, log);
  } catch (err) {
    dispose();
    throw err;
  }
  if (l2sp !== null) log(`L2-SP: α = ${strength} on ${l2sp.size} pretrained tensors`);
  return {
    view,
    penalty: (trainable) => {
      const terms = [l2sp?.penalty(variable, trainable) ?? null, rehearsal?.loss() ?? null].filter((t): t is Tensor => t !== null);
      return terms.length === 0 ? null : terms.length === 1 ? (terms[0] as Tensor) : tf.addN(terms);
    },
    beforeStep: (step) => rehearsal?.prepareStep(step),
    dispose,
  };
}
