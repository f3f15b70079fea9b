/**
 * The seeded train/validation split of a task's rows (sentences, target pairs, lines), as
 * sequence classification splits its rows: stratified when the rows have classes, else uniform;
 * nothing held out when a validation file is given; `limit` subsamples the training part only.
 */
import type { FineTuneConfig } from '../protocol';
import { stratifiedSplit, stratifiedSubsample } from '../datasets/split';

export interface RowSplit {
  /** Row indices, ascending. */
  readonly train: readonly number[];
  readonly val: readonly number[];
}

/**
 * Splits `count` rows. `classes[i]` (optional) stratifies the split and the subsample;
 * `separateVal` (a validation file) keeps every row for training.
 */
export function splitRows(count: number, config: Pick<FineTuneConfig, 'valFraction' | 'seed' | 'limit'>, separateVal: boolean, classes?: readonly number[]): RowSplit {
  const labels = classes ?? new Array<number>(count).fill(0);
  let train: number[];
  let val: number[] = [];
  if (separateVal) train = labels.map((_, i) => i);
  else ({ train, val } = stratifiedSplit(labels, config.valFraction, config.seed));
  if (config.limit > 0 && config.limit < train.length) {
    const picked = stratifiedSubsample(train.map((r) => labels[r] ?? 0), config.limit, config.seed);
    train = picked.map((i) => train[i] as number);
  }
  return { train, val };
}
