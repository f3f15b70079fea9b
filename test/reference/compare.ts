/** Compares a `transfer-lab forward --json` result (parsed JSON) with referenceForward's, field by field, to a tolerance. */
import type { ReferenceOutput } from './common';

export interface Comparison {
  ok: boolean;
  /** Largest |actual − expected| per compared field (NaN when the shapes differ). */
  maxDiff: Record<string, number>;
  /** Human-readable shape mismatches and the first out-of-tolerance entries. */
  problems: string[];
}

const FIELDS = ['hidden', 'logits', 'attentions', 'encoder_hidden', 'encoder_attentions', 'decoder_attentions', 'cross_attentions'] as const;

/** Walks `expected`, checking that `actual` has the same nesting and numbers within `tol` (default 1e-4). */
export function compareOutputs(actual: unknown, expected: ReferenceOutput, tol = 1e-4): Comparison {
  const problems: string[] = [];
  const maxDiff: Record<string, number> = {};
  const got = (typeof actual === 'object' && actual !== null ? actual : {}) as Record<string, unknown>;
  for (const field of FIELDS) {
    const want = expected[field];
    if (want === undefined) continue;
    const diffs: number[] = [];
    walk(got[field], want, field, tol, diffs, problems);
    maxDiff[field] = diffs.length === 0 ? 0 : diffs.reduce((m, d) => Math.max(m, d));
  }
  return { ok: problems.length === 0, maxDiff, problems };
}

function walk(actual: unknown, expected: unknown, path: string, tol: number, diffs: number[], problems: string[]): void {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') {
      report(problems, `${path}: expected a number, got ${JSON.stringify(actual)}`);
      diffs.push(NaN);
      return;
    }
    const d = Math.abs(actual - expected);
    diffs.push(d);
    if (!(d <= tol)) report(problems, `${path}: ${actual} vs ${expected} (|diff| ${d.toExponential(2)} > ${tol})`);
    return;
  }
  if (expected === null) {
    if (actual !== null) report(problems, `${path}: expected null`);
    return;
  }
  if (!Array.isArray(expected) || !Array.isArray(actual) || actual.length !== expected.length) {
    const len = (x: unknown): string => (Array.isArray(x) ? String(x.length) : typeof x);
    report(problems, `${path}: expected length ${len(expected)}, got ${len(actual)}`);
    diffs.push(NaN);
    return;
  }
  expected.forEach((e, i) => walk(actual[i], e, `${path}[${i}]`, tol, diffs, problems));
}

/** Keeps the report readable: the first 20 problems, then a count. */
function report(problems: string[], message: string): void {
  if (problems.length < 20) problems.push(message);
  else if (problems.length === 20) problems.push('… (further problems not listed)');
}
