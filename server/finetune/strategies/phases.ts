/**
 * Which parameters train when. A strategy is a list of phases, each starting at an optimizer
 * step with its own trainable set: full fine-tuning and freeze:N have one; ULMFiT's gradual
 * unfreezing (Howard & Ruder, 2018) adds one layer per epoch, top-down, embeddings last; LP-FT
 * (Kumar et al., 2022) trains a linear probe first, then everything. Parameters outside the
 * current phase are never handed to the optimizer, so they stay bit-identical.
 */
import type { TransformerModel } from '../../models/transformerModel';
import { UserError } from '../../errors';
import type { Strategy } from '../strategy';
import { layerMap, namesWhere, type LayerGroup } from './layerGroups';

export interface Phase {
  /** Optimizer steps completed before this phase starts. */
  readonly startStep: number;
  readonly trainable: readonly string[];
  /** Peak learning rate of the phase. */
  readonly learningRate: number;
  /**
   * 'fresh': a new AdamW and a warmup/decay schedule over the phases up to the next fresh one.
   * 'continue': keeps the moments of parameters already training and the running schedule.
   */
  readonly optimizer: 'fresh' | 'continue';
  /** What trains, for the log. */
  readonly label: string;
}

/** The linear probe of LP-FT takes larger steps: a fresh head moves far, pretrained weights should not. */
export const LP_LEARNING_RATE_FACTOR = 10;

export interface PhaseSchedule {
  readonly learningRate: number;
  readonly epochs: number;
  readonly stepsPerEpoch: number;
}

export function singlePhase(trainable: readonly string[], learningRate: number, label: string): Phase[] {
  return [{ startStep: 0, trainable, learningRate, optimizer: 'fresh', label }];
}

const isHead = (g: LayerGroup): boolean => g.kind === 'head';

/** Phases of the strategies that train the model's own parameters (full, freeze:N, gradual, lp-ft). */
export function modelPhases(strategy: Strategy, model: TransformerModel, s: PhaseSchedule): Phase[] {
  const map = layerMap(model);
  const L = map.numLayers;
  switch (strategy.kind) {
    case 'full':
      return singlePhase(model.params.names(), s.learningRate, 'every parameter');
    case 'freeze': {
      if (strategy.layers > L) throw new UserError(`Strategy freeze:${strategy.layers}: the model has only ${L} layers. Use freeze:0 … freeze:${L}.`);
      const trainable = namesWhere(model, map, (g) => g.kind !== 'embeddings' && !(g.kind === 'layer' && g.index < strategy.layers));
      return singlePhase(trainable, s.learningRate, `layers ${strategy.layers}–${L - 1} and the head (embeddings and layers below ${strategy.layers} frozen)`);
    }
    case 'gradual':
      return gradualPhases(model, s);
    case 'lp-ft': {
      const head = namesWhere(model, map, isHead);
      if (head.length === 0) {
        throw new UserError(`Strategy lp-ft trains a task head first, but this ${model.family} ${model.config.head} model predicts with its LM head tied to the embeddings, which has no parameters of its own. Use full, freeze:N, lora or gradual.`);
      }
      const probeSteps = s.epochs >= 2 ? Math.floor(s.epochs / 2) * s.stepsPerEpoch : Math.floor(s.stepsPerEpoch / 2);
      const phases: Phase[] = [
        { startStep: 0, trainable: head, learningRate: s.learningRate * LP_LEARNING_RATE_FACTOR, optimizer: 'fresh', label: 'linear probe: the head only' },
        { startStep: probeSteps, trainable: model.params.names(), learningRate: s.learningRate, optimizer: 'fresh', label: 'fine-tuning: every parameter' },
      ];
      return phases.filter((p, i, all) => p.startStep < (all[i + 1]?.startStep ?? Infinity));
    }
    default:
      throw new Error(`${strategy.kind} does not train the model's own parameters in phases`);
  }
}

/** Epoch e (1-based) trains the head, the final norm and the top e layers; embeddings from epoch L+1. */
function gradualPhases(model: TransformerModel, s: PhaseSchedule): Phase[] {
  const map = layerMap(model);
  const L = map.numLayers;
  const phases: Phase[] = [];
  for (let e = 1; e <= Math.min(s.epochs, L + 1); e++) {
    const lowest = L - e;
    const trainable = namesWhere(model, map, (g) => g.kind === 'head' || g.kind === 'final' || (g.kind === 'layer' && g.index >= lowest) || (g.kind === 'embeddings' && e > L));
    const label = e > L ? 'every parameter (embeddings unfrozen)' : `the head and layers ${Math.max(lowest, 0)}–${L - 1}`;
    phases.push({ startStep: (e - 1) * s.stepsPerEpoch, trainable, learningRate: s.learningRate, optimizer: e === 1 ? 'fresh' : 'continue', label });
  }
  return phases;
}

/** The phase index that step `step` (0-based: the step about to run) belongs to. */
export function phaseAt(phases: readonly Phase[], step: number): number {
  let index = 0;
  phases.forEach((p, i) => {
    if (p.startStep <= step) index = i;
  });
  return index;
}
