/**
 * Defaults and validation of a pretraining run. A partial config (from the CLI or, later, the
 * protocol) is merged into a copy of the defaults and every value is checked, with its range.
 */
import { isAbsolute, resolve } from 'node:path';
import { UserError } from '../errors';
import { FAMILIES, SIZES, isFamily, isSizePreset, type Family, type SizePreset } from '../models/config';
import { PRETRAIN_HEADS } from './objectives';

export interface PretrainConfig {
  /** Text file, folder of text files or dataset file. */
  readonly corpus: string;
  /** Dataset column to read ("" = detect); tables only. */
  readonly textColumn: string;
  readonly family: Family;
  readonly size: SizePreset;
  /** Continue pretraining this model folder instead of a fresh model ("" = fresh). */
  readonly model: string;
  /** Output model folder. */
  readonly out: string;
  readonly steps: number;
  /** Tokens per packed sequence (T5: per encoder input). */
  readonly seqLength: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly warmupRatio: number;
  readonly weightDecay: number;
  /** Vocabulary size trained for a fresh model. */
  readonly vocabSize: number;
  /** Masked LM: whole-word masking. */
  readonly wholeWord: boolean;
  /** Held-out loss every this many steps (0 = five times per run); always at step 0 and at the end. */
  readonly evalEvery: number;
  /** Share of corpus lines held out (capped at maxHeldOutLines). */
  readonly heldOutFraction: number;
  readonly maxHeldOutLines: number;
  readonly seed: number;
}

export const DEFAULT_PRETRAIN_CONFIG: Omit<PretrainConfig, 'corpus' | 'out' | 'learningRate'> = Object.freeze({
  textColumn: '',
  family: 'bert',
  size: 'tiny',
  model: '',
  steps: 300,
  seqLength: 64, // sentence-to-paragraph context; the cost of attention stays small next to the vocabulary projection
  batchSize: 32,
  warmupRatio: 0.06, // RoBERTa's share
  weightDecay: 0.01,
  vocabSize: 8000,
  wholeWord: false,
  evalEvery: 0,
  heldOutFraction: 0.05,
  maxHeldOutLines: 300, // keeps each evaluation to a few seconds and probe.txt small
  seed: 42,
});

/** Peak learning rate per size: tiny models take large steps; bigger ones need smaller. */
export const DEFAULT_PRETRAIN_LR: Readonly<Record<SizePreset, number>> = Object.freeze({ tiny: 1e-3, mini: 5e-4, small: 3e-4 });

const KNOWN_KEYS = new Set<string>([...Object.keys(DEFAULT_PRETRAIN_CONFIG), 'corpus', 'out', 'learningRate']);

function check(ok: boolean, key: string, value: unknown, range: string): void {
  if (!ok) throw new UserError(`Pretraining configuration: ${key} must be ${range}, got ${JSON.stringify(value)}.`);
}
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const inRange = (v: unknown, lo: number, hi: number): boolean => isNum(v) && v >= lo && v <= hi;
const absolute = (p: string, base: string): string => (p !== '' && !isAbsolute(p) ? resolve(base, p) : p);

/** Merges `partial` (undefined values ignored) over the defaults and validates it. */
export function resolvePretrainConfig(partial: Record<string, unknown>, base = process.cwd()): PretrainConfig {
  for (const key of Object.keys(partial)) {
    if (!KNOWN_KEYS.has(key)) throw new UserError(`Pretraining configuration: unknown key "${key}". Known keys: ${[...KNOWN_KEYS].sort().join(', ')}.`);
  }
  const given = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const size = given['size'] ?? DEFAULT_PRETRAIN_CONFIG.size;
  check(isSizePreset(size), 'size', size, SIZES.join(', '));
  const c = { ...DEFAULT_PRETRAIN_CONFIG, learningRate: DEFAULT_PRETRAIN_LR[size as SizePreset], ...given } as PretrainConfig;
  check(typeof c.corpus === 'string' && c.corpus !== '', 'corpus', c.corpus, 'a text file, a folder of text files or a dataset file');
  check(typeof c.out === 'string' && c.out !== '', 'out', c.out, 'an output folder');
  check(typeof c.model === 'string', 'model', c.model, 'a model folder or ""');
  check(typeof c.textColumn === 'string', 'textColumn', c.textColumn, 'a column name ("" to detect)');
  check(isFamily(c.family), 'family', c.family, FAMILIES.join(', '));
  check(isInt(c.steps) && inRange(c.steps, 1, 10_000_000), 'steps', c.steps, 'an integer from 1 to 10000000');
  check(isInt(c.seqLength) && inRange(c.seqLength, 8, 4096), 'seqLength', c.seqLength, 'an integer from 8 to 4096');
  check(isInt(c.batchSize) && inRange(c.batchSize, 1, 4096), 'batchSize', c.batchSize, 'an integer from 1 to 4096');
  check(isNum(c.learningRate) && c.learningRate > 0 && c.learningRate <= 1, 'learningRate', c.learningRate, 'a number in (0, 1]');
  check(isNum(c.warmupRatio) && c.warmupRatio >= 0 && c.warmupRatio < 1, 'warmupRatio', c.warmupRatio, 'a number in [0, 1)');
  check(isNum(c.weightDecay) && c.weightDecay >= 0 && c.weightDecay < 1, 'weightDecay', c.weightDecay, 'a number in [0, 1)');
  check(isInt(c.vocabSize) && inRange(c.vocabSize, 100, 250_000), 'vocabSize', c.vocabSize, 'an integer from 100 to 250000');
  check(typeof c.wholeWord === 'boolean', 'wholeWord', c.wholeWord, 'true or false');
  check(!c.wholeWord || c.model !== '' || PRETRAIN_HEADS[c.family] === 'masked-lm', 'wholeWord', c.wholeWord, 'false for gpt2 and t5 (whole-word masking is a masked-LM option)');
  check(isInt(c.evalEvery) && c.evalEvery >= 0, 'evalEvery', c.evalEvery, 'a non-negative integer (0 = five evaluations per run)');
  check(isNum(c.heldOutFraction) && c.heldOutFraction > 0 && c.heldOutFraction < 1, 'heldOutFraction', c.heldOutFraction, 'a number in (0, 1)');
  check(isInt(c.maxHeldOutLines) && c.maxHeldOutLines >= 1, 'maxHeldOutLines', c.maxHeldOutLines, 'a positive integer');
  check(isInt(c.seed) && c.seed >= 0, 'seed', c.seed, 'a non-negative integer');
  return Object.freeze({ ...c, corpus: absolute(c.corpus, base), out: absolute(c.out, base), model: absolute(c.model, base) });
}

/** Steps between held-out evaluations. */
export function evalInterval(c: PretrainConfig): number {
  return c.evalEvery > 0 ? c.evalEvery : Math.max(1, Math.ceil(c.steps / 5)); // each costs about 1.5 training steps
}
