/**
 * `transfer-lab finetune` (a fine-tuning run from the command line, same run store as VS Code)
 * and `transfer-lab resume` (continue an interrupted run from its last checkpoint).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { resolve } from 'node:path';
import type { BackendInfo, BackendPreference, FineTuneTask, MetricEvent } from '../protocol';
import { initBackend } from '../backend/selectBackend';
import { resolveFineTuneConfig } from '../finetune/fineTuneConfig';
import { resumeRun } from '../finetune/resume';
import type { FineTuneHooks } from '../finetune/runFineTune';
import { parseStrategy, STRATEGY_NAMES } from '../finetune/strategy';
import { isTask, TASKS, taskOf } from '../tasks/task';
import { executeRun } from '../runs/executeRun';
import { RunWriter, type RunRecord } from '../runs/runStore';
import { BACKEND_HELP, backendOption, float, int } from './options';

interface FineTuneOptions {
  task?: string; textCol?: string; labelCol?: string; textPairCol?: string; targetCol?: string; model?: string; fromScratch?: boolean; epochs?: number; seed?: number; runsDir: string; json?: boolean;
  backend: BackendPreference; batchSize?: number; lr?: number; maxLength?: number;
  strategy?: string; val?: string; limit?: number; probe?: string;
  loraRank?: number; loraAlpha?: number; loraDropout?: number; loraTargets?: string[];
  lrDecay?: number; l2sp?: number; rehearsal?: number; schedule?: string; gradAccum?: number; evalEvery?: number; patience?: number;
}

interface OutputOptions {
  json?: boolean;
  backend: BackendPreference;
}

function progressLine(e: MetricEvent, total: number): string | null {
  if (e.type !== 'step') return null; // evaluation and forgetting lines come from the log, in words
  if (e.step % 20 !== 0 && e.step !== total) return null;
  return `step ${e.step}/${total} · epoch ${e.epoch} · loss ${e.loss.toFixed(4)} · lr ${e.learningRate.toExponential(2)} · ${Math.round(e.tokensPerSec).toLocaleString('en-US')} tokens/s`;
}

/** Keeps only the keys that were given, so absent options fall back to the defaults. */
function defined<T extends object>(o: T): Partial<T> | undefined {
  const entries = Object.entries(o).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as Partial<T>);
}

function configFromOptions(dataset: string, o: FineTuneOptions): Record<string, unknown> {
  return {
    dataset, task: o.task, textColumn: o.textCol, labelColumn: o.labelCol, textPairColumn: o.textPairCol, targetColumn: o.targetCol, model: o.model, fromScratch: o.fromScratch, epochs: o.epochs, seed: o.seed,
    batchSize: o.batchSize, learningRate: o.lr, maxLength: o.maxLength, strategy: o.strategy, valDataset: o.val, limit: o.limit,
    probe: o.probe, schedule: o.schedule, gradAccumulation: o.gradAccum, evalEvery: o.evalEvery, earlyStoppingPatience: o.patience,
    lora: defined({ rank: o.loraRank, alpha: o.loraAlpha, dropout: o.loraDropout, targetModules: o.loraTargets }),
    mitigations: defined({ layerwiseLrDecay: o.lrDecay, l2sp: o.l2sp, rehearsal: o.rehearsal }),
  };
}

/** Runs `start` with hooks that print progress (or JSON lines) and prints the summary; returns the exit code. */
async function runWithOutput(o: OutputOptions, start: (backend: BackendInfo, hooks: FineTuneHooks, log: (line: string) => void) => Promise<RunRecord>): Promise<number> {
  const backend = await initBackend(o.backend);
  const out = (line: string): void => void process.stdout.write(line + '\n');
  const log = o.json === true ? (line: string) => void process.stderr.write(line + '\n') : out;
  let cancelled = false;
  let totalSteps = 0;
  process.once('SIGINT', () => {
    cancelled = true;
    log('cancelling at the next step…');
  });
  const final = await start(backend, {
    onEvents: (events) => {
      for (const e of events) {
        const line = o.json === true ? JSON.stringify(e) : progressLine(e, totalSteps);
        if (line !== null) out(line);
      }
    },
    onRecord: (r) => void (totalSteps = r.totalSteps),
    onLog: log,
    isCancelled: () => cancelled,
  }, log);
  printSummary(final, backend, o.json === true, out);
  if (final.state === 'failed') process.stderr.write(`transfer-lab: ${final.message ?? 'the run failed'}\n`);
  return final.state === 'completed' ? 0 : final.state === 'cancelled' ? 130 : 1;
}

function printSummary(final: RunRecord, backend: BackendInfo, json: boolean, out: (line: string) => void): void {
  const r = final.result;
  if (json) {
    out(JSON.stringify({
      type: 'summary', state: final.state, runId: final.runId, runDir: final.runDir, backend: backend.backend, strategy: final.config.strategy,
      valAccuracy: r?.valAccuracy ?? null, valMacroF1: r?.valMacroF1 ?? null, valLoss: r?.valLoss ?? null, bestValLoss: r?.bestValLoss ?? null,
      majorityRate: r?.majorityRate ?? null, trainSeconds: final.timings.trainMs / 1000, trainableParameters: r?.trainableParameters ?? null,
      stoppedEarly: r?.stoppedEarly ?? null, probeLoss: r?.probeLoss ?? null, baseProbeLoss: r?.baseProbeLoss ?? null, message: final.message,
      task: taskOf(final.config), entityF1: r?.entityF1 ?? null, perplexity: r?.perplexity ?? null, tokenF1: r?.tokenF1 ?? null,
    }));
  } else if (final.state === 'completed' && r !== null) {
    const names = METRIC_NAMES[taskOf(final.config)];
    out('');
    out(`  task                 ${taskOf(final.config)}`);
    out(`  strategy             ${final.config.strategy} (${(r.trainableParameters ?? 0).toLocaleString('en-US')} parameters trained)`);
    out(`  ${names.accuracy.padEnd(20)} ${(r.valAccuracy * 100).toFixed(2)}%   (${names.majority}: ${(r.majorityRate * 100).toFixed(2)}%)`);
    out(`  ${names.macroF1.padEnd(20)} ${r.valMacroF1.toFixed(4)}`);
    if (r.entityF1 !== undefined) out(`  entity F1            ${r.entityF1.toFixed(4)}`);
    if (r.tokenF1 !== undefined) out(`  token F1             ${r.tokenF1.toFixed(4)}`);
    out(`  validation loss      ${r.valLoss.toFixed(4)}   (best ${(r.bestValLoss ?? r.valLoss).toFixed(4)} at step ${r.bestStep ?? final.lastStep}${r.stoppedEarly === true ? ', stopped early' : ''})`);
    if (r.perplexity !== undefined) out(`  perplexity           ${r.perplexity.toFixed(2)}`);
    if (r.probeLoss !== undefined && r.probeLoss !== null) out(`  probe loss           ${r.probeLoss.toFixed(4)}   (base model: ${(r.baseProbeLoss ?? NaN).toFixed(4)})`);
    out(`  training time        ${(final.timings.trainMs / 1000).toFixed(1)} s on ${backend.backend}`);
    out(`  run folder           ${final.runDir}`);
  }
}

/** What valAccuracy, valMacroF1 and the majority rate measure for each task, in the summary table. */
const METRIC_NAMES: Readonly<Record<FineTuneTask, { accuracy: string; macroF1: string; majority: string }>> = {
  'sequence-classification': { accuracy: 'validation accuracy', macroF1: 'validation macro-F1', majority: 'majority class' },
  'token-classification': { accuracy: 'word accuracy', macroF1: 'tag macro-F1', majority: 'majority tag' },
  'causal-lm': { accuracy: 'next-token accuracy', macroF1: 'token macro-F1', majority: 'most frequent token' },
  'text-to-text': { accuracy: 'exact match', macroF1: 'target macro-F1', majority: 'most frequent target' },
};

function taskOption(v: string): string {
  if (isTask(v)) return v;
  throw new InvalidArgumentError(`--task must be one of ${TASKS.join(', ')}.`);
}

function strategyOption(v: string): string {
  try {
    parseStrategy(v);
    return v;
  } catch {
    throw new InvalidArgumentError(`--strategy must be one of ${STRATEGY_NAMES.join(', ')}.`);
  }
}

function scheduleOption(v: string): string {
  if (v === 'linear' || v === 'cosine' || v === 'constant') return v;
  throw new InvalidArgumentError('--schedule must be linear, cosine or constant.');
}

const nameList = (v: string): string[] => v.split(',').map((s) => s.trim()).filter((s) => s !== '');

export function registerFineTune(program: Command): void {
  program
    .command('finetune')
    .description('Fine-tune a model: classify texts or text pairs, tag words (CoNLL/JSONL), continue LM training on text, or map inputs to targets (T5).')
    .argument('<dataset>', 'training file (token-classification: also CoNLL; causal-lm: also a text file or folder)')
    .option('--task <task>', `${TASKS.join(' | ')} (default: sequence-classification)`, taskOption)
    .option('--text-col <name>', 'text column; text-to-text: the input column (default: detected)')
    .option('--label-col <name>', 'label column (default: detected)')
    .option('--text-pair-col <name>', 'second text of a pair (NLI, paraphrase): sequence-classification of text pairs')
    .option('--target-col <name>', 'text-to-text: the target column (default: the label column)')
    .option('--model <preset|dir>', 'tiny, <family>-<size> (e.g. roberta-mini) or a Hugging Face model folder', 'tiny')
    .option('--from-scratch', "the model folder's architecture and tokenizer with random weights: the control for what pretraining bought")
    .option('--strategy <name>', 'full | features | freeze:N | lora | gradual | lp-ft', strategyOption)
    .option('--val <file>', 'validation file (default: a seeded stratified split of the training file)')
    .option('--limit <n>', 'train on a seeded stratified subsample of n rows', int('--limit'))
    .option('--epochs <n>', 'epochs', int('--epochs'))
    .option('--batch-size <n>', 'examples per micro-batch', int('--batch-size'))
    .option('--grad-accum <n>', 'micro-batches per optimizer step', int('--grad-accum'))
    .option('--lr <x>', 'peak learning rate', float('--lr'))
    .option('--schedule <kind>', 'linear | cosine | constant (after warmup)', scheduleOption)
    .option('--max-length <n>', 'tokens per example', int('--max-length'))
    .option('--eval-every <n>', 'evaluate every n optimizer steps (0: once per epoch)', int('--eval-every'))
    .option('--patience <n>', 'stop after n evaluations without a better validation loss (0: never)', int('--patience'))
    .option('--lora-rank <n>', 'LoRA rank r', int('--lora-rank'))
    .option('--lora-alpha <x>', 'LoRA alpha (the update is scaled by alpha/r)', float('--lora-alpha'))
    .option('--lora-dropout <x>', 'dropout on the LoRA input', float('--lora-dropout'))
    .option('--lora-targets <names>', 'modules that get adapters, e.g. query,value (GPT-2: c_attn)', nameList)
    .option('--lr-decay <x>', 'layer-wise learning-rate decay per layer below the top (1: off)', float('--lr-decay'))
    .option('--l2sp <x>', 'L2-SP strength pulling weights toward their pretrained values (0: off)', float('--l2sp'))
    .option('--rehearsal <x>', 'weight of an LM loss on general text each step (0: off)', float('--rehearsal'))
    .option('--probe <file>', 'general text for the forgetting probe (default: the model folder\'s probe.txt)')
    .option('--seed <n>', 'random seed', int('--seed'))
    .option('--runs-dir <dir>', 'where run folders go', '.transfer-lab/runs')
    .option('--backend <name>', BACKEND_HELP, backendOption, 'auto')
    .option('--json', 'one JSON object per line, a summary last')
    .action(async (dataset: string, o: FineTuneOptions) => {
      const config = resolveFineTuneConfig(configFromOptions(dataset, o));
      process.exitCode = await runWithOutput(o, async (backend, hooks, log) => {
        const writer = await RunWriter.create(resolve(o.runsDir), config);
        log(`run ${writer.record.runId} on ${backend.backend} (${backend.device})`);
        return executeRun(writer, backend, hooks);
      });
    });

  program
    .command('resume')
    .description('Continue an interrupted, cancelled or failed run from its last checkpoint.')
    .argument('<runDir>', 'the run folder (.transfer-lab/runs/<id>)')
    .option('--backend <name>', BACKEND_HELP, backendOption, 'auto')
    .option('--json', 'one JSON object per line, a summary last')
    .action(async (runDir: string, o: OutputOptions) => {
      process.exitCode = await runWithOutput(o, (backend, hooks) => resumeRun(resolve(runDir), backend, hooks));
    });
}
