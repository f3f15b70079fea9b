/**
 * `transfer-lab sweep`: pretrained vs from scratch vs a TF-IDF baseline across label budgets and
 * strategies, every cell scored on the same validation file; prints one table (or JSON lines) and
 * writes sweep.json and sweep.html into a sweep folder under the runs folder.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { resolve } from 'node:path';
import type { BackendPreference } from '../protocol';
import { initBackend } from '../backend/selectBackend';
import { describeError } from '../errors';
import { DEFAULT_FINETUNE_CONFIG } from '../finetune/fineTuneConfig';
import { parseStrategy, STRATEGY_NAMES } from '../finetune/strategy';
import { isPresetName } from '../models/presets';
import { NEGATIVE_TRANSFER_TOLERANCE } from '../sweep/negativeTransfer';
import { runSweep, type SweepHooks, type SweepResult } from '../sweep/runSweep';
import type { SweepCell } from '../sweep/sweepCell';
import { SWEEP_HTML } from '../sweep/sweepFiles';
import { DEFAULT_BUDGETS, parseBudgets, type Budget } from '../sweep/sweepPlan';
import { sweepTableLines } from '../sweep/sweepTable';
import { BACKEND_HELP, backendOption, int } from './options';

interface SweepCliOptions {
  val: string; model: string; budgets: Budget[]; strategies: string[]; scratch?: string; epochs?: number; seed: number;
  runsDir: string; backend: BackendPreference; json?: boolean; verbose?: boolean;
  textCol?: string; labelCol?: string; batchSize?: number; maxLength?: number;
}

const DEFAULT_STRATEGIES = ['features', 'lora', 'full'];

function budgetsOption(v: string): Budget[] {
  try {
    return parseBudgets(v);
  } catch (err) {
    throw new InvalidArgumentError(describeError(err));
  }
}

function strategiesOption(v: string): string[] {
  const names = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const n of names) {
    try {
      parseStrategy(n);
    } catch {
      throw new InvalidArgumentError(`--strategies: "${n}" is not one of ${STRATEGY_NAMES.join(', ')}.`);
    }
  }
  if (names.length === 0) throw new InvalidArgumentError('--strategies needs at least one strategy, e.g. features,lora,full.');
  return [...new Set(names)];
}

function presetOption(v: string): string {
  if (isPresetName(v)) return v;
  throw new InvalidArgumentError('--scratch must be a preset: tiny, mini, small or <family>-<size> such as roberta-mini.');
}

const pct = (v: number | null): string => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);

function cellLine(c: SweepCell): string {
  if (c.state !== 'completed') return `    → ${c.state}: ${c.message ?? 'no message'}`;
  return `    → ${pct(c.valAccuracy)} accuracy, macro-F1 ${(c.valMacroF1 ?? NaN).toFixed(3)}, ${(c.trainSeconds ?? 0).toFixed(1)} s to train (${c.trainExamples} examples)`;
}

function printResult(r: SweepResult, strategies: readonly string[], json: boolean, out: (line: string) => void): void {
  if (json) {
    out(JSON.stringify({
      type: 'summary', cells: r.cells, negativeTransfer: r.negativeTransfer, sweepDir: r.sweepDir, scratchModel: r.scratch.model, scratchFromScratch: r.scratch.fromScratch,
      tolerance: NEGATIVE_TRANSFER_TOLERANCE, seconds: r.seconds, cancelled: r.cancelled,
    }));
    return;
  }
  out('');
  for (const line of sweepTableLines(r.cells, strategies, r.negativeTransfer)) out(line);
  out('');
  out(`negative transfer = pretrained below scratch or the TF-IDF baseline by more than ${(NEGATIVE_TRANSFER_TOLERANCE * 100).toFixed(1)} accuracy points`);
  out(`${r.cells.length} cells in ${r.seconds.toFixed(0)} s; learning curves: ${resolve(r.sweepDir, SWEEP_HTML)}`);
}

async function sweepAction(train: string, o: SweepCliOptions): Promise<number> {
  const backend = await initBackend(o.backend);
  const json = o.json === true;
  const out = (line: string): void => void process.stdout.write(line + '\n');
  const log = json ? (line: string) => void process.stderr.write(line + '\n') : out;
  let cancelled = false;
  process.once('SIGINT', () => {
    cancelled = true;
    log('cancelling the running cell; the sweep stops after it…');
  });
  const hooks: SweepHooks = {
    onCellStart: (i, n, what) => log(`[${i}/${n}] ${what}`),
    onCell: (c) => (json ? out(JSON.stringify({ type: 'cell', ...c })) : log(cellLine(c))),
    onLog: log,
    onRunLog: (line) => void (o.verbose === true && log(`    ${line}`)),
    isCancelled: () => cancelled,
  };
  log(`sweep on ${backend.backend} (${backend.device})`);
  const shared = { textColumn: o.textCol, labelColumn: o.labelCol, batchSize: o.batchSize, maxLength: o.maxLength };
  const result = await runSweep({
    train: resolve(train),
    val: resolve(o.val),
    model: isPresetName(o.model) ? o.model : resolve(o.model), // a preset is refused by runSweep with its own message
    budgets: o.budgets,
    strategies: o.strategies,
    ...(o.scratch !== undefined ? { scratch: o.scratch } : {}),
    seed: o.seed,
    epochs: o.epochs ?? null,
    runsDir: resolve(o.runsDir),
    config: Object.fromEntries(Object.entries(shared).filter(([, v]) => v !== undefined)),
  }, backend, hooks);
  printResult(result, o.strategies, json, out);
  if (result.cancelled) return 130;
  const failed = result.cells.filter((c) => c.state === 'failed').length;
  if (failed > 0) process.stderr.write(`transfer-lab: ${failed} of ${result.cells.length} sweep cells failed; their messages are under the table.\n`);
  return failed > 0 ? 1 : 0;
}

export function registerSweep(program: Command): void {
  program
    .command('sweep')
    .description('Pretrained vs from scratch vs a TF-IDF baseline, across label budgets and strategies, on one validation file.')
    .argument('<train>', 'training file (.csv, .tsv, .jsonl, .json)')
    .requiredOption('--val <file>', 'validation file: every cell is scored on it')
    .requiredOption('--model <dir>', 'the pretrained model folder (Hugging Face layout)')
    .addOption(new Option('--budgets <list>', 'training-label budgets (seeded stratified subsamples; "all" = every row)').argParser(budgetsOption).default([...DEFAULT_BUDGETS], DEFAULT_BUDGETS.join(',')))
    .addOption(new Option('--strategies <list>', `comma-separated: ${STRATEGY_NAMES.join(' | ')}`).argParser(strategiesOption).default(DEFAULT_STRATEGIES, DEFAULT_STRATEGIES.join(',')))
    .option('--scratch <preset>', 'train this preset from scratch instead of the model folder\'s own architecture and tokenizer with random weights', presetOption)
    .option('--epochs <n>', 'epochs of every run (default: each strategy\'s own)', int('--epochs'))
    .option('--seed <n>', 'seed of every run and subsample', int('--seed'), DEFAULT_FINETUNE_CONFIG.seed)
    .option('--text-col <name>', 'text column (default: detected)')
    .option('--label-col <name>', 'label column (default: detected)')
    .option('--batch-size <n>', 'examples per micro-batch', int('--batch-size'))
    .option('--max-length <n>', 'tokens per example', int('--max-length'))
    .option('--runs-dir <dir>', 'where run folders and the sweep folder go', '.transfer-lab/runs')
    .option('--backend <name>', BACKEND_HELP, backendOption, 'auto')
    .option('--verbose', 'print the log lines of every run')
    .option('--json', 'one JSON object per cell, a summary last')
    .action(async (train: string, o: SweepCliOptions) => {
      process.exitCode = await sweepAction(train, o);
    });
}
