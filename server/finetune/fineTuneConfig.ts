/**
 * Defaults and validation of a fine-tuning run's configuration. Defaults live here only; a
 * partial config from the CLI, the protocol or a *.tlab.json file is merged into a copy and
 * every value is checked, with its valid range in the message.
 */
import { isAbsolute, resolve } from 'node:path';
import type { FineTuneConfig, LoraConfig, MitigationConfig } from '../protocol';
import { UserError } from '../errors';
import { isPresetName } from '../models/presets';
import { parseStrategy } from './strategy';
import { checkTaskColumns, checkTaskStrategy, DEFAULT_TASK, isTask, TASKS } from '../tasks/task';

export const DEFAULT_LORA_CONFIG: LoraConfig = Object.freeze({ rank: 8, alpha: 16, dropout: 0.1, targetModules: Object.freeze(['query', 'value']) });
export const DEFAULT_MITIGATIONS: MitigationConfig = Object.freeze({ layerwiseLrDecay: 1, l2sp: 0, rehearsal: 0 });

export const DEFAULT_FINETUNE_CONFIG: Omit<FineTuneConfig, 'dataset' | 'learningRate'> = Object.freeze({
  task: DEFAULT_TASK,
  textColumn: '',
  labelColumn: '',
  textPairColumn: '', // pairs are never guessed: two text columns may just be two texts
  targetColumn: '',
  model: 'tiny',
  fromScratch: false,
  epochs: 3,
  batchSize: 32,
  maxLength: 64, // SMS/tweet-length texts fit; long documents should raise it
  valFraction: 0.1,
  warmupRatio: 0.1,
  weightDecay: 0.01,
  vocabSize: 8000,
  seed: 42,
  strategy: 'full',
  lora: DEFAULT_LORA_CONFIG,
  mitigations: DEFAULT_MITIGATIONS,
  schedule: 'linear',
  gradAccumulation: 1,
  maxGradNorm: 1, // as HF's Trainer
  evalEvery: 0,
  earlyStoppingPatience: 0,
  valDataset: '',
  limit: 0,
  probe: '',
});

/** Fresh models tolerate (and need) a larger step than pretrained ones, as in BERT's paper. */
export const DEFAULT_LR_FRESH = 5e-4;
export const DEFAULT_LR_PRETRAINED = 5e-5;
/** LoRA trains few, freshly initialised weights: Hu et al. (2021) use 4e-4–5e-4 on RoBERTa-base. */
export const DEFAULT_LR_LORA = 5e-4;
/** `features` fits a linear head from zero on fixed features: large steps, many cheap epochs. */
export const DEFAULT_LR_FEATURE_HEAD = 1e-2;
export const DEFAULT_FEATURE_EPOCHS = 50;

/** The learning rate and epochs a strategy starts from when the configuration leaves them out. */
function strategyDefaults(strategy: unknown, preset: boolean): { learningRate: number; epochs: number } {
  const kind = typeof strategy === 'string' ? strategy : 'full';
  if (kind === 'features') return { learningRate: DEFAULT_LR_FEATURE_HEAD, epochs: DEFAULT_FEATURE_EPOCHS };
  if (kind === 'lora') return { learningRate: DEFAULT_LR_LORA, epochs: DEFAULT_FINETUNE_CONFIG.epochs };
  return { learningRate: preset ? DEFAULT_LR_FRESH : DEFAULT_LR_PRETRAINED, epochs: DEFAULT_FINETUNE_CONFIG.epochs };
}

const KNOWN_KEYS = new Set<string>([...Object.keys(DEFAULT_FINETUNE_CONFIG), 'dataset', 'learningRate']);

function check(ok: boolean, key: string, value: unknown, range: string): void {
  if (!ok) throw new UserError(`Run configuration: ${key} must be ${range}, got ${JSON.stringify(value)}.`);
}
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const inRange = (v: unknown, lo: number, hi: number): boolean => isNum(v) && v >= lo && v <= hi;

function mergeObject<T extends object>(key: string, defaults: T, value: unknown): T {
  if (value === undefined) return defaults;
  check(typeof value === 'object' && value !== null && !Array.isArray(value), key, value, 'an object');
  for (const k of Object.keys(value as object)) {
    if (!(k in defaults)) throw new UserError(`Run configuration: unknown key "${key}.${k}". Known keys: ${Object.keys(defaults).map((d) => `${key}.${d}`).join(', ')}.`);
  }
  return { ...defaults, ...(value as Partial<T>) };
}

function resolvePath(p: unknown, base: string): string {
  return typeof p === 'string' && p !== '' && !isAbsolute(p) ? resolve(base, p) : (p as string);
}

/** Merges `partial` over the defaults and validates it. `base` resolves relative paths. */
export function resolveFineTuneConfig(partial: Record<string, unknown>, base = process.cwd()): FineTuneConfig {
  for (const key of Object.keys(partial)) {
    if (!KNOWN_KEYS.has(key)) throw new UserError(`Run configuration: unknown key "${key}". Known keys: ${[...KNOWN_KEYS].sort().join(', ')}.`);
  }
  const given = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const dataset = given['dataset'];
  check(typeof dataset === 'string' && dataset.length > 0, 'dataset', dataset, 'a path to a .csv, .tsv, .jsonl or .json file (token-classification: also CoNLL; causal-lm: also text files or a folder)');
  const model = given['model'] ?? DEFAULT_FINETUNE_CONFIG.model;
  check(typeof model === 'string' && model.length > 0, 'model', model, 'a preset name (tiny, bert-mini, gpt2-tiny, …) or a model folder');
  const m = model as string;
  const c = {
    ...DEFAULT_FINETUNE_CONFIG,
    ...strategyDefaults(given['strategy'], isPresetName(m) || given['fromScratch'] === true),
    ...given,
    dataset: resolvePath(dataset, base),
    model: isPresetName(m) ? m : resolvePath(m, base),
    valDataset: resolvePath(given['valDataset'] ?? '', base),
    probe: resolvePath(given['probe'] ?? '', base),
    lora: mergeObject('lora', DEFAULT_LORA_CONFIG, given['lora']),
    mitigations: mergeObject('mitigations', DEFAULT_MITIGATIONS, given['mitigations']),
  } as FineTuneConfig;
  check(isTask(c.task), 'task', c.task, TASKS.join(', '));
  check(typeof c.fromScratch === 'boolean', 'fromScratch', c.fromScratch, 'true or false');
  check(typeof c.textColumn === 'string', 'textColumn', c.textColumn, 'a column name ("" to detect)');
  check(typeof c.labelColumn === 'string', 'labelColumn', c.labelColumn, 'a column name ("" to detect)');
  check(typeof c.textPairColumn === 'string', 'textPairColumn', c.textPairColumn, 'a column name ("" for single texts)');
  check(typeof c.targetColumn === 'string', 'targetColumn', c.targetColumn, 'a column name ("" for the label column)');
  checkTaskColumns(c);
  check(isInt(c.epochs) && inRange(c.epochs, 1, 1000), 'epochs', c.epochs, 'an integer from 1 to 1000');
  check(isInt(c.batchSize) && inRange(c.batchSize, 1, 4096), 'batchSize', c.batchSize, 'an integer from 1 to 4096');
  check(isNum(c.learningRate) && c.learningRate > 0 && c.learningRate <= 1, 'learningRate', c.learningRate, 'a number in (0, 1]');
  check(isInt(c.maxLength) && inRange(c.maxLength, 4, 8192), 'maxLength', c.maxLength, 'an integer from 4 to 8192');
  check(isNum(c.valFraction) && c.valFraction > 0 && c.valFraction < 1, 'valFraction', c.valFraction, 'a number in (0, 1)');
  check(isNum(c.warmupRatio) && c.warmupRatio >= 0 && c.warmupRatio < 1, 'warmupRatio', c.warmupRatio, 'a number in [0, 1)');
  check(isNum(c.weightDecay) && c.weightDecay >= 0 && c.weightDecay < 1, 'weightDecay', c.weightDecay, 'a number in [0, 1)');
  check(isInt(c.vocabSize) && inRange(c.vocabSize, 100, 250000), 'vocabSize', c.vocabSize, 'an integer from 100 to 250000');
  check(isInt(c.seed) && c.seed >= 0, 'seed', c.seed, 'a non-negative integer');
  checkTaskStrategy(c.task, parseStrategy(c.strategy));
  check(isInt(c.lora.rank) && inRange(c.lora.rank, 1, 1024), 'lora.rank', c.lora.rank, 'an integer from 1 to 1024');
  check(isNum(c.lora.alpha) && c.lora.alpha > 0, 'lora.alpha', c.lora.alpha, 'a positive number');
  check(inRange(c.lora.dropout, 0, 0.99), 'lora.dropout', c.lora.dropout, 'a number in [0, 0.99]');
  check(Array.isArray(c.lora.targetModules) && c.lora.targetModules.length > 0 && c.lora.targetModules.every((t) => typeof t === 'string' && t !== ''), 'lora.targetModules', c.lora.targetModules, 'a non-empty list of module names');
  check(isNum(c.mitigations.layerwiseLrDecay) && c.mitigations.layerwiseLrDecay > 0 && c.mitigations.layerwiseLrDecay <= 1, 'mitigations.layerwiseLrDecay', c.mitigations.layerwiseLrDecay, 'a number in (0, 1] (1 = off)');
  check(inRange(c.mitigations.l2sp, 0, 100), 'mitigations.l2sp', c.mitigations.l2sp, 'a number in [0, 100] (0 = off)');
  check(inRange(c.mitigations.rehearsal, 0, 10), 'mitigations.rehearsal', c.mitigations.rehearsal, 'a number in [0, 10] (0 = off)');
  check(c.schedule === 'linear' || c.schedule === 'cosine' || c.schedule === 'constant', 'schedule', c.schedule, 'linear, cosine or constant');
  check(isInt(c.gradAccumulation) && inRange(c.gradAccumulation, 1, 1024), 'gradAccumulation', c.gradAccumulation, 'an integer from 1 to 1024');
  check(isNum(c.maxGradNorm) && c.maxGradNorm > 0, 'maxGradNorm', c.maxGradNorm, 'a positive number');
  check(isInt(c.evalEvery) && c.evalEvery >= 0, 'evalEvery', c.evalEvery, 'a non-negative integer (0 = per epoch)');
  check(isInt(c.earlyStoppingPatience) && c.earlyStoppingPatience >= 0, 'earlyStoppingPatience', c.earlyStoppingPatience, 'a non-negative integer (0 = off)');
  check(typeof c.valDataset === 'string', 'valDataset', c.valDataset, 'a file path or ""');
  check(isInt(c.limit) && c.limit >= 0, 'limit', c.limit, 'a non-negative integer (0 = all rows)');
  check(typeof c.probe === 'string', 'probe', c.probe, 'a file path or ""');
  return Object.freeze(c);
}

/** Whether a run starts from random weights: a preset, or a model folder with fromScratch. */
export function startsFromScratch(config: Pick<FineTuneConfig, 'model' | 'fromScratch'>): boolean {
  return config.fromScratch || isPresetName(config.model);
}
