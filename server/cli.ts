#!/usr/bin/env node
/**
 * `transfer-lab`: the engine without VS Code (dist/cli.js). Same run store, same code paths as
 * the server's workers; `--json` prints one JSON object per event line and a summary last.
 */
import { Command, InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import type { BackendPreference, MetricEvent } from './protocol';
import { BACKEND_CHAIN } from './protocol';
import { initBackend } from './backend/selectBackend';
import { describeError, UserError } from './errors';
import { resolveFineTuneConfig } from './finetune/fineTuneConfig';
import { executeRun } from './runs/executeRun';
import { RunWriter } from './runs/runStore';

function int(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} must be an integer.`);
    return n;
  };
}
function float(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number.`);
    return n;
  };
}

interface FineTuneOptions {
  textCol?: string; labelCol?: string; model?: string; epochs?: number; seed?: number; runsDir: string; json?: boolean;
  backend: string; batchSize?: number; lr?: number; maxLength?: number;
}

function fmtEvent(e: MetricEvent, total: number): string | null {
  if (e.type === 'eval') return null; // the epoch line from the log says it in words
  if (e.step % 20 !== 0 && e.step !== total) return null;
  return `step ${e.step}/${total} · epoch ${e.epoch} · loss ${e.loss.toFixed(4)} · lr ${e.learningRate.toExponential(2)} · ${Math.round(e.tokensPerSec).toLocaleString('en-US')} tokens/s`;
}

async function fineTune(dataset: string, o: FineTuneOptions): Promise<number> {
  const config = resolveFineTuneConfig({
    dataset, textColumn: o.textCol, labelColumn: o.labelCol, model: o.model, epochs: o.epochs, seed: o.seed,
    batchSize: o.batchSize, learningRate: o.lr, maxLength: o.maxLength,
  });
  if (!(BACKEND_CHAIN as readonly string[]).includes(o.backend) && o.backend !== 'auto') {
    throw new UserError(`--backend must be one of auto, ${BACKEND_CHAIN.join(', ')}.`);
  }
  const backend = await initBackend(o.backend as BackendPreference);
  const writer = await RunWriter.create(resolve(o.runsDir), config);
  const out = (line: string): void => void process.stdout.write(line + '\n');
  const log = o.json === true ? (line: string) => void process.stderr.write(line + '\n') : out;
  log(`run ${writer.record.runId} on ${backend.backend} (${backend.device})`);
  let cancelled = false;
  process.once('SIGINT', () => {
    cancelled = true;
    log('cancelling at the next step…');
  });
  const final = await executeRun(writer, backend, {
    onEvents: (events) => {
      for (const e of events) {
        if (o.json === true) out(JSON.stringify(e));
        else {
          const line = fmtEvent(e, writer.record.totalSteps);
          if (line !== null) out(line);
        }
      }
    },
    onRecord: () => undefined,
    onLog: log,
    isCancelled: () => cancelled,
  });
  const r = final.result;
  if (o.json === true) {
    out(JSON.stringify({
      type: 'summary', state: final.state, runId: final.runId, runDir: final.runDir, backend: backend.backend,
      valAccuracy: r?.valAccuracy ?? null, valMacroF1: r?.valMacroF1 ?? null, valLoss: r?.valLoss ?? null,
      majorityRate: r?.majorityRate ?? null, trainSeconds: final.timings.trainMs / 1000, message: final.message,
    }));
  } else if (final.state === 'completed' && r !== null) {
    out('');
    out(`  validation accuracy  ${(r.valAccuracy * 100).toFixed(2)}%   (majority class: ${(r.majorityRate * 100).toFixed(2)}%)`);
    out(`  validation macro-F1  ${r.valMacroF1.toFixed(4)}`);
    out(`  validation loss      ${r.valLoss.toFixed(4)}`);
    out(`  training time        ${(final.timings.trainMs / 1000).toFixed(1)} s on ${backend.backend}`);
    out(`  run folder           ${final.runDir}`);
  }
  if (final.state === 'failed') process.stderr.write(`transfer-lab: ${final.message ?? 'the run failed'}\n`);
  return final.state === 'completed' ? 0 : final.state === 'cancelled' ? 130 : 1;
}

export function buildProgram(): Command {
  const program = new Command('transfer-lab')
    .description('Fine-tune and inspect transformer models locally (the engine of the Transfer Lab VS Code extension).')
    .showHelpAfterError();
  program
    .command('finetune')
    .description('Fine-tune a sequence classifier on a labelled .csv/.tsv/.jsonl/.json file.')
    .argument('<dataset>', 'training file')
    .option('--text-col <name>', 'text column (default: detected)')
    .option('--label-col <name>', 'label column (default: detected)')
    .option('--model <tiny|dir>', 'preset or Hugging Face model folder', 'tiny')
    .option('--epochs <n>', 'epochs', int('--epochs'))
    .option('--batch-size <n>', 'examples per step', int('--batch-size'))
    .option('--lr <x>', 'peak learning rate', float('--lr'))
    .option('--max-length <n>', 'tokens per example', int('--max-length'))
    .option('--seed <n>', 'random seed', int('--seed'))
    .option('--runs-dir <dir>', 'where run folders go', '.transfer-lab/runs')
    .option('--backend <name>', `auto | ${BACKEND_CHAIN.join(' | ')}`, 'auto')
    .option('--json', 'one JSON object per line, a summary last')
    .action(async (dataset: string, o: FineTuneOptions) => {
      process.exitCode = await fineTune(dataset, o);
    });
  return program;
}

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    process.stderr.write(`transfer-lab: ${describeError(err)}\n`);
    if (!(err instanceof UserError) && err instanceof Error && process.env['TRANSFER_LAB_DEBUG']) process.stderr.write(`${err.stack ?? ''}\n`);
    process.exitCode = 1;
  });
