/**
 * Defaults and validation of a fine-tuning run's configuration. Defaults live here only; a
 * partial config from the CLI, the protocol or a *.tlab.json file is merged into a copy and
 * every value is checked with its valid range in the message.
 */
import { isAbsolute, resolve } from 'node:path';
import type { FineTuneConfig } from '../protocol';
import { UserError } from '../errors';
import { isPresetName } from '../models/presets';

export const DEFAULT_FINETUNE_CONFIG: Omit<FineTuneConfig, 'dataset' | 'learningRate'> = Object.freeze({
  textColumn: '',
  labelColumn: '',
  model: 'tiny',
  epochs: 3,
  batchSize: 32,
  maxLength: 64, // SMS/tweet-length texts fit; long documents should raise it
  valFraction: 0.1,
  warmupRatio: 0.1,
  weightDecay: 0.01,
  vocabSize: 8000,
  seed: 42,
});

/** Fresh models tolerate (and need) a larger step than pretrained ones, as in BERT's paper. */
export const DEFAULT_LR_FRESH = 5e-4;
export const DEFAULT_LR_PRETRAINED = 5e-5;

const KNOWN_KEYS = new Set<string>([...Object.keys(DEFAULT_FINETUNE_CONFIG), 'dataset', 'learningRate']);

function check(ok: boolean, key: string, value: unknown, range: string): void {
  if (!ok) throw new UserError(`Run configuration: ${key} must be ${range}, got ${JSON.stringify(value)}.`);
}

/** Merges `partial` over the defaults and validates it. `base` resolves a relative dataset path. */
export function resolveFineTuneConfig(partial: Record<string, unknown>, base = process.cwd()): FineTuneConfig {
  for (const key of Object.keys(partial)) {
    if (!KNOWN_KEYS.has(key)) {
      throw new UserError(`Run configuration: unknown key "${key}". Known keys: ${[...KNOWN_KEYS].sort().join(', ')}.`);
    }
  }
  const dataset = partial['dataset'];
  check(typeof dataset === 'string' && dataset.length > 0, 'dataset', dataset, 'a path to a .csv, .tsv, .jsonl or .json file');
  const model = partial['model'] ?? DEFAULT_FINETUNE_CONFIG.model;
  check(typeof model === 'string' && model.length > 0, 'model', model, 'a preset name (tiny, bert-mini, gpt2-tiny, …) or a model folder');
  const m = model as string;
  const resolvedModel = isPresetName(m) ? m : isAbsolute(m) ? m : resolve(base, m);
  const merged = {
    ...DEFAULT_FINETUNE_CONFIG,
    learningRate: isPresetName(m) ? DEFAULT_LR_FRESH : DEFAULT_LR_PRETRAINED,
    ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)),
    dataset: isAbsolute(dataset as string) ? (dataset as string) : resolve(base, dataset as string),
    model: resolvedModel,
  } as FineTuneConfig;
  const int = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v);
  const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  check(typeof merged.textColumn === 'string', 'textColumn', merged.textColumn, 'a column name ("" to detect)');
  check(typeof merged.labelColumn === 'string', 'labelColumn', merged.labelColumn, 'a column name ("" to detect)');
  check(int(merged.epochs) && merged.epochs >= 1 && merged.epochs <= 1000, 'epochs', merged.epochs, 'an integer from 1 to 1000');
  check(int(merged.batchSize) && merged.batchSize >= 1 && merged.batchSize <= 4096, 'batchSize', merged.batchSize, 'an integer from 1 to 4096');
  check(num(merged.learningRate) && merged.learningRate > 0 && merged.learningRate <= 1, 'learningRate', merged.learningRate, 'a number in (0, 1]');
  check(int(merged.maxLength) && merged.maxLength >= 4 && merged.maxLength <= 8192, 'maxLength', merged.maxLength, 'an integer from 4 to 8192');
  check(num(merged.valFraction) && merged.valFraction > 0 && merged.valFraction < 1, 'valFraction', merged.valFraction, 'a number in (0, 1)');
  check(num(merged.warmupRatio) && merged.warmupRatio >= 0 && merged.warmupRatio < 1, 'warmupRatio', merged.warmupRatio, 'a number in [0, 1)');
  check(num(merged.weightDecay) && merged.weightDecay >= 0 && merged.weightDecay < 1, 'weightDecay', merged.weightDecay, 'a number in [0, 1)');
  check(int(merged.vocabSize) && merged.vocabSize >= 100 && merged.vocabSize <= 250000, 'vocabSize', merged.vocabSize, 'an integer from 100 to 250000');
  check(int(merged.seed) && merged.seed >= 0, 'seed', merged.seed, 'a non-negative integer');
  return Object.freeze(merged);
}
