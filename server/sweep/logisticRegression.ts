/**
 * Multinomial logistic regression on sparse rows in plain JavaScript (Float64Array): the
 * L2-regularised mean cross-entropy (scikit-learn's LogisticRegression objective with its C,
 * divided by n) minimised by full-batch Adam with a cosine-decayed step. Deterministic: zero
 * initialisation, no sampling.
 */
import type { SparseRow } from './tfidf';

export interface LogisticRegressionConfig {
  /** Inverse L2 strength as scikit-learn's C: the penalty is ‖W‖² / (2·C·n) per example (bias not penalised). */
  readonly c: number;
  /** Adam's initial step, decayed to 0 along a cosine over `iterations`. */
  readonly learningRate: number;
  /** Full-batch steps. */
  readonly iterations: number;
}

export const DEFAULT_LOGISTIC_REGRESSION_CONFIG: LogisticRegressionConfig = Object.freeze({
  c: 10, // l2-normalised TF-IDF rows need weights of several units; C=1 under-fits small label budgets
  learningRate: 0.1, // weights start at 0 and Adam moves each by about this much per step
  iterations: 300, // the objective is flat to 1e-4 by then on SMS spam and SST-2
});

export interface LogisticModel {
  readonly numFeatures: number;
  readonly numClasses: number;
  /** [numFeatures × numClasses], row-major. */
  readonly weights: Float64Array;
  readonly bias: Float64Array;
}

/** Class scores (logits) of one row into `out`. */
function logits(m: LogisticModel, row: SparseRow, out: Float64Array): void {
  const C = m.numClasses;
  out.set(m.bias);
  for (let k = 0; k < row.indices.length; k++) {
    const base = (row.indices[k] ?? 0) * C;
    const x = row.values[k] ?? 0;
    for (let c = 0; c < C; c++) out[c] = (out[c] ?? 0) + x * (m.weights[base + c] ?? 0);
  }
}

/** Softmax in place; returns log Σ exp (for the loss). */
function softmaxInPlace(z: Float64Array): number {
  let max = -Infinity;
  for (const v of z) max = Math.max(max, v);
  let sum = 0;
  for (let c = 0; c < z.length; c++) sum += (z[c] = Math.exp((z[c] ?? 0) - max));
  for (let c = 0; c < z.length; c++) z[c] = (z[c] ?? 0) / sum;
  return max + Math.log(sum);
}

export function predictClass(m: LogisticModel, row: SparseRow): number {
  const z = new Float64Array(m.numClasses);
  logits(m, row, z);
  let best = 0;
  for (let c = 1; c < z.length; c++) if ((z[c] ?? 0) > (z[best] ?? 0)) best = c;
  return best;
}

/** The objective and its gradient (into gW, gB, overwritten) at the model's current weights. */
export function objectiveAndGradient(m: LogisticModel, rows: readonly SparseRow[], labels: readonly number[], l2: number, gW: Float64Array, gB: Float64Array): number {
  const C = m.numClasses;
  const n = rows.length;
  const z = new Float64Array(C);
  let loss = 0;
  for (let w = 0; w < gW.length; w++) gW[w] = l2 * (m.weights[w] ?? 0);
  gB.fill(0);
  for (let i = 0; i < n; i++) {
    const row = rows[i] as SparseRow;
    logits(m, row, z);
    const y = labels[i] ?? 0;
    const zy = z[y] ?? 0;
    loss += softmaxInPlace(z) - zy; // −log p(y) = log Σ exp(z) − z_y
    z[y] = (z[y] ?? 0) - 1; // ∂loss/∂logits = p − onehot(y)
    for (let c = 0; c < C; c++) gB[c] = (gB[c] ?? 0) + (z[c] ?? 0) / n;
    for (let k = 0; k < row.indices.length; k++) {
      const base = (row.indices[k] ?? 0) * C;
      const x = (row.values[k] ?? 0) / n;
      for (let c = 0; c < C; c++) gW[base + c] = (gW[base + c] ?? 0) + x * (z[c] ?? 0);
    }
  }
  let penalty = 0;
  for (const w of m.weights) penalty += w * w;
  return loss / n + (l2 / 2) * penalty;
}

interface AdamState {
  readonly m: Float64Array;
  readonly v: Float64Array;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

function adamUpdate(param: Float64Array, grad: Float64Array, s: AdamState, lr: number, t: number): void {
  const c1 = 1 - BETA1 ** t;
  const c2 = 1 - BETA2 ** t;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i] ?? 0;
    const m = (s.m[i] = BETA1 * (s.m[i] ?? 0) + (1 - BETA1) * g);
    const v = (s.v[i] = BETA2 * (s.v[i] ?? 0) + (1 - BETA2) * g * g);
    param[i] = (param[i] ?? 0) - (lr * (m / c1)) / (Math.sqrt(v / c2) + EPS);
  }
}

const adamState = (n: number): AdamState => ({ m: new Float64Array(n), v: new Float64Array(n) });

/** Fits the model; `labels` are class ids in [0, numClasses). Returns the model and its final objective. */
export function trainLogisticRegression(
  rows: readonly SparseRow[], labels: readonly number[], numFeatures: number, numClasses: number,
  config: LogisticRegressionConfig = DEFAULT_LOGISTIC_REGRESSION_CONFIG,
): { model: LogisticModel; objective: number } {
  if (rows.length !== labels.length || rows.length === 0) throw new RangeError(`need as many labels as rows (≥ 1), got ${rows.length} rows and ${labels.length} labels`);
  const model: LogisticModel = { numFeatures, numClasses, weights: new Float64Array(numFeatures * numClasses), bias: new Float64Array(numClasses) };
  const l2 = 1 / (config.c * rows.length);
  const gW = new Float64Array(model.weights.length);
  const gB = new Float64Array(numClasses);
  const sW = adamState(gW.length);
  const sB = adamState(numClasses);
  let objective = NaN;
  for (let t = 1; t <= config.iterations; t++) {
    objective = objectiveAndGradient(model, rows, labels, l2, gW, gB);
    const lr = config.learningRate * 0.5 * (1 + Math.cos((Math.PI * (t - 1)) / config.iterations));
    adamUpdate(model.weights, gW, sW, lr, t);
    adamUpdate(model.bias, gB, sB, lr, t);
  }
  return { model, objective };
}
