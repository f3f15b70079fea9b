/**
 * What a sweep runs: label budgets (parsed, and capped at the training set as "all"), and the
 * from-scratch counterpart of the pretrained model.
 */
import { UserError } from '../errors';

/** A number of training rows, or every row of the training file. */
export type Budget = number | 'all';

export const DEFAULT_BUDGETS: readonly Budget[] = [100, 300, 1000, 'all'];

export function budgetLabel(b: Budget): string {
  return b === 'all' ? 'all' : String(b);
}

/** "100,300,all" → [100, 300, 'all']; throws a UserError naming the bad item. */
export function parseBudgets(text: string): Budget[] {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new UserError('--budgets needs at least one budget, e.g. 100,300,1000,all.');
  return items.map((s) => {
    if (s.toLowerCase() === 'all') return 'all';
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new UserError(`--budgets: "${s}" is not a positive whole number of rows or "all" (e.g. 100,300,1000,all).`);
    return n;
  });
}

export interface ResolvedBudget {
  readonly budget: Budget;
  /** FineTuneConfig.limit: the budget, or 0 for all rows. */
  readonly limit: number;
}

/** Budgets at or above the training set's size become "all"; duplicates go; ascending, "all" last. */
export function resolveBudgets(budgets: readonly Budget[], trainRows: number): ResolvedBudget[] {
  const capped = budgets.map((b): Budget => (b === 'all' || b >= trainRows ? 'all' : b));
  const numbers = [...new Set(capped.filter((b): b is number => b !== 'all'))].sort((a, b) => a - b);
  const resolved: ResolvedBudget[] = numbers.map((n) => ({ budget: n, limit: n }));
  if (capped.includes('all')) resolved.push({ budget: 'all', limit: 0 });
  return resolved;
}

export interface ScratchModel {
  /** What the from-scratch cells train: the pretrained model folder itself (with fromScratch) or a preset. */
  readonly model: string;
  /** True: the folder's architecture and tokenizer with random weights (FineTuneConfig.fromScratch). */
  readonly fromScratch: boolean;
  /** Why this model, for the log and sweep.json. */
  readonly reason: string;
}

/**
 * The from-scratch counterpart of a pretrained model folder: by default the same folder with
 * random weights — the same architecture *and tokenizer*, so the only difference is pretraining —
 * or `preset` when the user asks for one with --scratch.
 */
export function scratchModelFor(modelDir: string, preset: string | undefined): ScratchModel {
  return preset === undefined
    ? { model: modelDir, fromScratch: true, reason: 'the same architecture and tokenizer with random weights (--from-scratch)' }
    : { model: preset, fromScratch: false, reason: `--scratch ${preset}` };
}
