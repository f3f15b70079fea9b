/**
 * Zero-shot classification: label scores from the model's LM head (inference/labelScoring.ts),
 * turned into probabilities over the labels, raw and contextually calibrated against
 * content-free inputs.
 */
import type { TransformerModel } from '../models/transformerModel';
import type { TextTokenizer } from '../tokenizers/textTokenizer';
import { UserError } from '../errors';
import { calibrate, combineContentFree, softmax } from './calibration';
import { scoreLabels } from './labelScoring';

/** Content-free inputs of Zhao et al. (2021). */
export const CONTENT_FREE_INPUTS = ['N/A', '', '[MASK]'] as const;

export function defaultTemplate(model: TransformerModel): string {
  return model.config.head === 'causal-lm' ? '{text}\nThis text is about {label}' : '{text} This text is about {label}.';
}

export interface ZeroShotResult {
  readonly labels: readonly string[];
  /** Calibrated probabilities (equal to raw with calibration off). */
  readonly probabilities: readonly number[];
  readonly raw: readonly number[];
  readonly template: string;
  readonly calibrated: boolean;
}

export async function zeroShotClassify(
  model: TransformerModel, tok: TextTokenizer, text: string, labels: readonly string[], template: string | null, calibrated: boolean,
): Promise<ZeroShotResult> {
  const unique = [...new Set(labels.map((l) => l.trim()).filter((l) => l !== ''))];
  if (unique.length < 2) throw new UserError('Give at least two distinct labels, e.g. --labels positive,negative.');
  const t = template ?? defaultTemplate(model);
  const raw = softmax(await scoreLabels(model, tok, t, text, unique));
  if (!calibrated) return { labels: unique, probabilities: raw, raw, template: t, calibrated };
  const contentFree: number[][] = [];
  for (const cf of CONTENT_FREE_INPUTS) contentFree.push(softmax(await scoreLabels(model, tok, t, cf, unique)));
  return { labels: unique, probabilities: calibrate(raw, combineContentFree(contentFree)), raw, template: t, calibrated };
}
