/**
 * What a sweep runs: label budgets (parsed, and capped at the training set as "all"), and the
 * from-scratch counterpart of the pretrained model (the preset of the same family and size, when
 * its config.json matches one).
 */
import { join } from 'node:path';
import { UserError } from '../errors';
import { readConfigJson } from '../checkpoints/modelFolder';
import { ConfigReader } from '../models/configKeys';
import { SIZES } from '../models/config';
import { familyForModelType } from '../models/families';
import type { FamilyDefinition } from '../models/family';

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

/** The architecture-defining numbers of a config, as a comparable key. */
function shapeKey(def: FamilyDefinition, json: Readonly<Record<string, unknown>>, source: string): string {
  const c = def.parseConfig(new ConfigReader(json, source), 'base', []);
  return [c.numLayers, c.numDecoderLayers, c.hiddenSize, c.embeddingSize, c.numHeads, c.headDim, c.intermediateSize].join(',');
}

export interface ScratchModel {
  /** A preset name for prepareModel. */
  readonly preset: string;
  /** Why this preset, for the log and sweep.json. */
  readonly reason: string;
}

/**
 * The fresh preset to compare a pretrained model folder with: `<family>-<size>` when the folder's
 * config.json has a preset's layers, widths and heads, else `fallback` (the --scratch option).
 */
export async function scratchModelFor(modelDir: string, fallback: string): Promise<ScratchModel> {
  const source = join(modelDir, 'config.json');
  const json = await readConfigJson(modelDir);
  const def = familyForModelType(json['model_type'], source);
  const want = shapeKey(def, json, source);
  // Token ids do not change the shape; any valid ones will do.
  const size = SIZES.find((s) => shapeKey(def, def.presetHfConfig(s, 1000, { pad: 0, bos: 1, eos: 2 }), `preset ${s}`) === want);
  return size !== undefined
    ? { preset: `${def.family}-${size}`, reason: `same family and size as ${modelDir}` }
    : { preset: fallback, reason: `${modelDir} matches no preset size, so --scratch ${fallback}` };
}
