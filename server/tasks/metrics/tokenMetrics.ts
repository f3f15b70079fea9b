/**
 * Metrics of a token classifier over labelled words (one tag per word, the first sub-word's
 * prediction): word accuracy, macro-F1 over the tags, the confusion matrix and, for BIO/IOBES
 * tag sets, entity-level F1 (entitySpans.ts).
 */
import { accuracy, macroF1 } from '../../training/classificationMetrics';
import { labelledConfusion } from '../../finetune/evaluate';
import { entityScores, isEntityTagSet } from './entitySpans';

export interface TokenMetrics {
  readonly accuracy: number;
  readonly macroF1: number;
  readonly confusion: number[][];
  readonly confusionLabels: string[];
  /** Present only when the tag set is BIO/IOBES. */
  readonly entityF1?: number;
}

/** `truth[s][w]` and `predicted[s][w]`: tag ids of word w of sentence s. */
export function tokenMetrics(truth: readonly (readonly number[])[], predicted: readonly (readonly number[])[], labelNames: readonly string[]): TokenMetrics {
  const t = truth.flat();
  const p = predicted.flat();
  if (t.length !== p.length) throw new Error(`tokenMetrics: ${t.length} true tags but ${p.length} predicted`);
  const metrics = { accuracy: accuracy(p, t), macroF1: macroF1(p, t, labelNames.length), ...labelledConfusion(p, t, labelNames) };
  if (!isEntityTagSet(labelNames)) return metrics;
  const names = (ids: readonly number[]): string[] => ids.map((id) => labelNames[id] ?? 'O');
  return { ...metrics, entityF1: entityScores(truth.map(names), predicted.map(names)).f1 };
}
