/** `transfer-lab finetune`: a fine-tuning run from the command line, same run store as VS Code. */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { BackendPreference, MetricEvent } from '../protocol';
import { initBackend } from '../backend/selectBackend';
import { resolveFineTuneConfig } from '../finetune/fineTuneConfig';
import { executeRun } from '../runs/executeRun';
import { RunWriter } from '../runs/runStore';
import { BACKEND_HELP, backendOption, float, int } from './options';

interface FineTuneOptions {
  textCol?: string; labelCol?: string; model?: string; epochs?: number; seed?: number; runsDir: string; json?: boolean;
  backend: BackendPreference; batchSize?: number; lr?: number; maxLength?: number;
}

function progressLine(e: MetricEvent, total: number): string | null {
  if (e.type === 'eval') return null; // the epoch line from the log says it in words
  if (e.step % 20 !== 0 && e.step !== total) return null;
  return `step ${e.step}/${total} · epoch ${e.epoch} · loss ${e.loss.toFixed(4)} · lr ${e.learningRate.toExponential(2)} · ${Math.round(e.tokensPerSec).toLocaleString('en-US')} tokens/s`;
}

async function fineTune(dataset: string, o: FineTuneOptions): Promise<number> {
  const config = resolveFineTuneConfig({
    dataset, textColumn: o.textCol, labelColumn: o.labelCol, model: o.model, epochs: o.epochs, seed: o.seed,
    batchSize: o.batchSize, learningRate: o.lr, maxLength: o.maxLength,
  });
  const backend = await initBackend(o.backend);
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
        const line = o.json === true ? JSON.stringify(e) : progressLine(e, writer.record.totalSteps);
        if (line !== null) out(line);
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

export function registerFineTune(program: Command): void {
  program
    .command('finetune')
    .description('Fine-tune a sequence classifier on a labelled .csv/.tsv/.jsonl/.json file.')
    .argument('<dataset>', 'training file')
    .option('--text-col <name>', 'text column (default: detected)')
    .option('--label-col <name>', 'label column (default: detected)')
    .option('--model <preset|dir>', 'tiny, <family>-<size> (e.g. roberta-mini) or a Hugging Face model folder', 'tiny')
    .option('--epochs <n>', 'epochs', int('--epochs'))
    .option('--batch-size <n>', 'examples per step', int('--batch-size'))
    .option('--lr <x>', 'peak learning rate', float('--lr'))
    .option('--max-length <n>', 'tokens per example', int('--max-length'))
    .option('--seed <n>', 'random seed', int('--seed'))
    .option('--runs-dir <dir>', 'where run folders go', '.transfer-lab/runs')
    .option('--backend <name>', BACKEND_HELP, backendOption, 'auto')
    .option('--json', 'one JSON object per line, a summary last')
    .action(async (dataset: string, o: FineTuneOptions) => {
      process.exitCode = await fineTune(dataset, o);
    });
}
