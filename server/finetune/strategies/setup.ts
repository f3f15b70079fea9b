/**
 * Turns a strategy into what the loop runs: the trainable set (model parameters, LoRA adapters
 * or a feature head), the data, the phases, per-parameter learning-rate scales (layer-wise
 * decay) and the pretrained parameters L2-SP anchors.
 */
import type { FineTuneConfig } from '../../protocol';
import type { TransformerModel } from '../../models/transformerModel';
import type { TextTokenizer } from '../../tokenizers/textTokenizer';
import type { TrainableModel, TrainingData } from '../loop/contracts';
import { layerwiseLrScale } from '../mitigations/layerwiseLr';
import type { Strategy } from '../strategy';
import type { TaskData } from '../../tasks/taskData';
import { UserError } from '../../errors';
import { featureSetup } from './featureStrategy';
import { HEAD_BIAS, HEAD_WEIGHT } from './featureHead';
import { layerMap } from './layerGroups';
import { loraTrainable } from './loraStrategy';
import { modelTrainable } from './modelTrainable';
import { modelPhases, singlePhase, type Phase } from './phases';
import { stepsPerEpoch } from '../loop/trainLoop';

export interface StrategySetup {
  readonly trainable: TrainableModel;
  readonly data: TrainingData;
  readonly phases: readonly Phase[];
  readonly lrScale: (name: string) => number;
  /** Pretrained parameters some phase trains: what L2-SP pulls back toward their start. */
  readonly pretrained: readonly string[];
}

export interface SetupInputs {
  readonly config: FineTuneConfig;
  /** The task's examples; they tokenize themselves for the model (setup calls trainingData once). */
  readonly task: TaskData;
  readonly model: TransformerModel;
  readonly tokenizer: TextTokenizer;
  /** The model starts from random weights (a preset, or fromScratch): its "pretrained" weights are its initialisation. */
  readonly fromScratch: boolean;
  /** Parameters the model folder lacked (a new head): never pretrained. */
  readonly fresh: readonly string[];
  /** Tokens per example, already capped at what the model accepts. */
  readonly maxLength: number;
  readonly runsDir: string;
  readonly log: (line: string) => void;
}

/** Model parameters that start from pretrained values: not the head, not fresh (from scratch: its init). */
function pretrainedOf(s: SetupInputs, phases: readonly Phase[]): string[] {
  const map = layerMap(s.model);
  const fresh = new Set(s.fromScratch ? [] : s.fresh);
  const trained = new Set(phases.flatMap((p) => p.trainable));
  return s.model.params.names().filter((n) => trained.has(n) && !fresh.has(n) && map.groupOf(n).kind !== 'head');
}

export async function setupStrategy(strategy: Strategy, s: SetupInputs): Promise<StrategySetup> {
  const { config, model, tokenizer } = s;
  if (strategy.kind === 'features') {
    if (s.task.runData === undefined) throw new UserError(`The features strategy applies to sequence-classification only, not ${s.task.task}.`);
    const f = await featureSetup(config, s.task.runData, model, tokenizer, s.fromScratch, s.maxLength, s.runsDir, s.log);
    const phases = singlePhase([HEAD_WEIGHT, HEAD_BIAS], config.learningRate, `a logistic-regression head on ${f.pooling} features`);
    return { trainable: f.trainable, data: f.data, phases, lrScale: () => 1, pretrained: [] };
  }
  const data = s.task.trainingData({ config, model, tokenizer, maxLength: s.maxLength, log: s.log });
  const lrScale = layerwiseLrScale(layerMap(model), config.mitigations.layerwiseLrDecay);
  if (strategy.kind === 'lora') {
    const trainable = loraTrainable(model, tokenizer, config.lora, config.model, s.maxLength, config.seed);
    const targets = [...trainable.lora.adapters.keys()].length;
    const phases = singlePhase(trainable.trainableNames, config.learningRate, `LoRA r=${config.lora.rank} on ${targets} modules (${trainable.lora.targets.join(', ')}) and the head`);
    return { trainable, data, phases, lrScale, pretrained: pretrainedOf(s, phases) };
  }
  const spe = stepsPerEpoch(data.size, config);
  const phases = modelPhases(strategy, model, { learningRate: config.learningRate, epochs: config.epochs, stepsPerEpoch: spe });
  return { trainable: modelTrainable(model, tokenizer, s.maxLength), data, phases, lrScale, pretrained: pretrainedOf(s, phases) };
}
