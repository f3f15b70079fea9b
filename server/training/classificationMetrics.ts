/** Classification metrics as pure functions over predicted and true class ids. */

export function accuracy(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  if (truth.length === 0) return 0;
  let correct = 0;
  for (let i = 0; i < truth.length; i++) if (predicted[i] === truth[i]) correct++;
  return correct / truth.length;
}

/** Unweighted mean of per-class F1 over the classes present in truth or predictions. */
export function macroF1(predicted: ArrayLike<number>, truth: ArrayLike<number>, numClasses: number): number {
  const tp = new Array<number>(numClasses).fill(0);
  const fp = new Array<number>(numClasses).fill(0);
  const fn = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < truth.length; i++) {
    const p = predicted[i] ?? -1;
    const t = truth[i] ?? -1;
    if (p === t) tp[t] = (tp[t] ?? 0) + 1;
    else {
      fp[p] = (fp[p] ?? 0) + 1;
      fn[t] = (fn[t] ?? 0) + 1;
    }
  }
  let sum = 0;
  let classes = 0;
  for (let c = 0; c < numClasses; c++) {
    const tpc = tp[c] ?? 0;
    const denom = 2 * tpc + (fp[c] ?? 0) + (fn[c] ?? 0);
    if (denom === 0) continue; // class absent from both: not counted
    sum += (2 * tpc) / denom;
    classes++;
  }
  return classes === 0 ? 0 : sum / classes;
}

/** Share of the most frequent class: the accuracy of always predicting it. */
export function majorityRate(truth: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < truth.length; i++) counts.set(truth[i] ?? -1, (counts.get(truth[i] ?? -1) ?? 0) + 1);
  return truth.length === 0 ? 0 : Math.max(...counts.values()) / truth.length;
}
