/**
 * A label-budget sweep: for each budget, the TF-IDF baseline and, for each strategy, a fine-tune
 * of the pretrained model and one of the same architecture from scratch — every run through the
 * CLI's own path (RunWriter.create + executeRun), all scored on the same validation file. A cell
 * that fails is recorded with its message and the sweep goes on.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackendInfo, FineTuneConfig } from '../protocol';
import { describeError, UserError } from '../errors';
import { resolveFineTuneConfig } from '../finetune/fineTuneConfig';
import { loadRunData } from '../finetune/runData';
import { isPresetName } from '../models/presets';
import { executeRun } from '../runs/executeRun';
import { newRunId, RunWriter, type RunRecord } from '../runs/runStore';
import { findNegativeTransfer, NEGATIVE_TRANSFER_TOLERANCE, type NegativeTransfer } from './negativeTransfer';
import { BASELINE_STRATEGY, type CellInit, type SweepCell } from './sweepCell';
import { budgetLabel, resolveBudgets, scratchModelFor, type Budget, type ResolvedBudget, type ScratchModel } from './sweepPlan';
import { baselineOnRunData } from './tfidfBaseline';
import { writeSweepFiles, type SweepHeader } from './sweepFiles';

export interface SweepOptions {
  /** Training and validation files (absolute). */
  readonly train: string;
  readonly val: string;
  /** The pretrained model folder (absolute). */
  readonly model: string;
  readonly budgets: readonly Budget[];
  readonly strategies: readonly string[];
  /** A preset to train from scratch instead of the model folder's own architecture and tokenizer. */
  readonly scratch?: string;
  readonly seed: number;
  /** Epochs of every run; null = each strategy's default. */
  readonly epochs: number | null;
  readonly runsDir: string;
  /** More FineTuneConfig keys shared by every run (textColumn, batchSize, maxLength, …). */
  readonly config: Readonly<Record<string, unknown>>;
}

export interface SweepHooks {
  /** A cell starts: "[3/10] budget 100 · features · pretrained". */
  onCellStart(index: number, total: number, what: string): void;
  onCell(cell: SweepCell): void;
  onLog(line: string): void;
  /** Log lines of the fine-tuning runs themselves. */
  onRunLog(line: string): void;
  isCancelled(): boolean;
}

export interface SweepResult {
  readonly sweepDir: string;
  readonly scratch: ScratchModel;
  readonly cells: readonly SweepCell[];
  readonly negativeTransfer: readonly NegativeTransfer[];
  /** Stopped by isCancelled before every cell ran. */
  readonly cancelled: boolean;
  readonly seconds: number;
}

interface PlannedCell {
  readonly budget: ResolvedBudget;
  readonly strategy: string;
  readonly init: CellInit;
  readonly model: string;
  readonly fromScratch: boolean;
}

function plan(o: SweepOptions, budgets: readonly ResolvedBudget[], scratch: ScratchModel): PlannedCell[] {
  return budgets.flatMap((budget) => [
    { budget, strategy: BASELINE_STRATEGY, init: 'baseline' as const, model: '', fromScratch: false },
    ...o.strategies.flatMap((strategy) => [
      { budget, strategy, init: 'pretrained' as const, model: o.model, fromScratch: false },
      { budget, strategy, init: 'scratch' as const, model: scratch.model, fromScratch: scratch.fromScratch },
    ]),
  ]);
}

function runConfig(o: SweepOptions, p: Pick<PlannedCell, 'strategy' | 'model' | 'fromScratch'>, limit: number): FineTuneConfig {
  return resolveFineTuneConfig({
    ...o.config, dataset: o.train, valDataset: o.val, model: p.model, strategy: p.strategy, seed: o.seed, limit,
    ...(p.fromScratch ? { fromScratch: true } : {}),
    ...(o.epochs !== null ? { epochs: o.epochs } : {}),
  });
}

const emptyCell = (p: PlannedCell, state: SweepCell['state'], message: string | null): SweepCell => ({
  budget: p.budget.budget, trainExamples: p.budget.limit, strategy: p.strategy, init: p.init, model: p.model, state,
  valAccuracy: null, valMacroF1: null, trainSeconds: null, runDir: null, message,
});

async function baselineCell(o: SweepOptions, p: PlannedCell): Promise<SweepCell> {
  // The same loader and configuration as the runs: the same subsample of the same rows.
  const data = await loadRunData(runConfig(o, { strategy: 'full', model: o.model, fromScratch: false }, p.budget.limit));
  const r = baselineOnRunData(data);
  return { ...emptyCell(p, 'completed', null), trainExamples: r.trainExamples, valAccuracy: r.valAccuracy, valMacroF1: r.valMacroF1, trainSeconds: r.trainSeconds };
}

function cellFromRecord(p: PlannedCell, rec: RunRecord): SweepCell {
  const state = rec.state === 'completed' || rec.state === 'cancelled' ? rec.state : 'failed';
  const r = rec.result;
  return {
    ...emptyCell(p, state, rec.message), runDir: rec.runDir, trainExamples: r?.trainExamples ?? p.budget.limit,
    valAccuracy: r?.valAccuracy ?? null, valMacroF1: r?.valMacroF1 ?? null,
    trainSeconds: (rec.timings.prepareMs + rec.timings.trainMs) / 1000, // features extracts in 'prepare': count it, as the baseline counts vectorising
  };
}

async function fineTuneCell(o: SweepOptions, p: PlannedCell, backend: BackendInfo, hooks: SweepHooks): Promise<SweepCell> {
  const writer = await RunWriter.create(o.runsDir, runConfig(o, p, p.budget.limit));
  const rec = await executeRun(writer, backend, {
    onEvents: () => undefined, onRecord: () => undefined, onLog: (l) => hooks.onRunLog(l), isCancelled: () => hooks.isCancelled(),
  });
  return cellFromRecord(p, rec);
}

async function runCell(o: SweepOptions, p: PlannedCell, backend: BackendInfo, hooks: SweepHooks): Promise<SweepCell> {
  try {
    return p.init === 'baseline' ? await baselineCell(o, p) : await fineTuneCell(o, p, backend, hooks);
  } catch (err) {
    return emptyCell(p, 'failed', describeError(err));
  }
}

/** Checks the files once, then runs every cell in order; sweep.json and sweep.html are rewritten after each. */
export async function runSweep(o: SweepOptions, backend: BackendInfo, hooks: SweepHooks): Promise<SweepResult> {
  const started = performance.now();
  if (isPresetName(o.model)) throw new UserError(`--model ${o.model} is a fresh preset; a sweep compares a pretrained model folder with its fresh counterpart. Give a model folder.`);
  if (o.strategies.length === 0) throw new UserError('--strategies needs at least one strategy, e.g. features,lora,full.');
  const all = await loadRunData(runConfig(o, { strategy: o.strategies[0] ?? 'full', model: o.model, fromScratch: false }, 0));
  const budgets = resolveBudgets(o.budgets, all.train.length);
  const scratch = scratchModelFor(o.model, o.scratch);
  hooks.onLog(`${all.train.length} training rows, ${all.val.length} validation rows; budgets ${budgets.map((b) => budgetLabel(b.budget)).join(', ')}; from scratch: ${scratch.model} (${scratch.reason})`);
  const sweepDir = join(o.runsDir, `sweep-${newRunId(o.train)}`);
  await mkdir(sweepDir, { recursive: true }).catch((err: unknown) => {
    throw new UserError(`Cannot create the sweep folder ${sweepDir} (${(err as NodeJS.ErrnoException).code ?? 'error'}). Choose a writable --runs-dir.`);
  });
  const header: SweepHeader = {
    createdAt: new Date().toISOString(), train: o.train, val: o.val, model: o.model, scratch, budgets: budgets.map((b) => b.budget),
    strategies: o.strategies, seed: o.seed, epochs: o.epochs, tolerance: NEGATIVE_TRANSFER_TOLERANCE, config: o.config,
  };
  const planned = plan(o, budgets, scratch);
  const cells: SweepCell[] = [];
  for (const [i, p] of planned.entries()) {
    if (hooks.isCancelled()) break;
    hooks.onCellStart(i + 1, planned.length, `budget ${budgetLabel(p.budget.budget)} · ${p.strategy} · ${p.init}`);
    const cell = await runCell(o, p, backend, hooks);
    cells.push(cell);
    hooks.onCell(cell);
    await writeSweepFiles(sweepDir, header, cells).catch((err: unknown) => hooks.onLog(`sweep files not written: ${describeError(err)}`));
  }
  const cancelled = cells.length < planned.length || cells.some((c) => c.state === 'cancelled');
  return { sweepDir, scratch, cells, negativeTransfer: findNegativeTransfer(cells), cancelled, seconds: (performance.now() - started) / 1000 };
}
