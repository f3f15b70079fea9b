/**
 * Contextual calibration (Zhao et al., 2021, "Calibrate Before Use"): the model's label
 * probabilities on a content-free input ("N/A") estimate its bias; dividing by them and
 * renormalising removes it.
 */

/** softmax over raw label scores (log-probabilities). */
export function softmax(scores: readonly number[]): number[] {
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/** p_calibrated ∝ p / p_contentFree (W = diag(p_cf)⁻¹), renormalised. */
export function calibrate(probs: readonly number[], contentFree: readonly number[]): number[] {
  const adjusted = probs.map((p, i) => p / Math.max(contentFree[i] ?? 1, 1e-12));
  const total = adjusted.reduce((a, b) => a + b, 0);
  return adjusted.map((a) => a / total);
}

/** The geometric mean of several content-free estimates, renormalised (more robust than one). */
export function combineContentFree(estimates: readonly (readonly number[])[]): number[] {
  const n = estimates[0]?.length ?? 0;
  const logs = Array.from({ length: n }, (_, i) => estimates.reduce((s, e) => s + Math.log(Math.max(e[i] ?? 1e-12, 1e-12)), 0) / estimates.length);
  return softmax(logs);
}
