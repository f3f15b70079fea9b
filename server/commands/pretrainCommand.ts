/**
 * `transfer-lab pretrain`: pretrain a fresh model (masked LM, causal LM or T5 span corruption)
 * on a text corpus and write a Hugging Face model folder with probe.txt and pretrain.json.
 */
import type { Command } from 'commander';
import type { BackendPreference } from '../protocol';
import { initBackend } from '../backend/selectBackend';
import { resolvePretrainConfig } from '../pretrain/pretrainConfig';
import { PretrainCancelled, runPretrain, type PretrainEvent, type PretrainResult } from '../pretrain/runPretrain';
import { BACKEND_HELP, backendOption, float, int } from './options';

interface PretrainOptions {
  family?: string; size?: string; model?: string; steps?: number; seqLen?: number; batch?: number; lr?: number; vocabSize?: number;
  wholeWord?: boolean; evalEvery?: number; textCol?: string; seed?: number; out: string; backend: BackendPreference; json?: boolean;
}

function progressLine(e: PretrainEvent): string | null {
  if (e.type === 'eval') return `step ${e.step}: held-out loss ${e.heldOutLoss.toFixed(4)}`;
  if (e.step % 20 !== 0 && e.step !== e.totalSteps && e.step !== 1) return null;
  return `step ${e.step}/${e.totalSteps} · epoch ${e.epoch} · loss ${e.loss.toFixed(4)} · lr ${e.learningRate.toExponential(2)} · ${Math.round(e.tokensPerSec).toLocaleString('en-US')} tokens/s`;
}

function summary(r: PretrainResult, backend: string): Record<string, unknown> {
  return {
    type: 'summary', out: r.out, steps: r.steps, heldOutLoss: r.heldOutLoss, initialHeldOutLoss: r.initialHeldOutLoss,
    trainSeconds: r.timings.trainMs / 1000, tokensPerSec: r.tokensPerSec, family: r.family, size: r.size, objective: r.objective, backend,
  };
}

async function pretrain(corpus: string, o: PretrainOptions): Promise<number> {
  const config = resolvePretrainConfig({
    corpus, out: o.out, family: o.family, size: o.size, model: o.model, steps: o.steps, seqLength: o.seqLen, batchSize: o.batch,
    learningRate: o.lr, vocabSize: o.vocabSize, wholeWord: o.wholeWord, evalEvery: o.evalEvery, textColumn: o.textCol, seed: o.seed,
  });
  const backend = await initBackend(o.backend);
  const out = (line: string): void => void process.stdout.write(line + '\n');
  const log = o.json === true ? (line: string) => void process.stderr.write(line + '\n') : out;
  log(`pretraining on ${backend.backend} (${backend.device})`);
  let cancelled = false;
  process.once('SIGINT', () => {
    cancelled = true;
    log('cancelling at the next step…');
  });
  try {
    const r = await runPretrain(config, {
      onEvent: (e) => {
        const line = o.json === true ? JSON.stringify(e) : progressLine(e);
        if (line !== null) out(line);
      },
      onLog: log,
      isCancelled: () => cancelled,
    });
    if (o.json === true) out(JSON.stringify(summary(r, backend.backend)));
    else {
      out('');
      out(`  held-out loss   ${r.initialHeldOutLoss.toFixed(4)} → ${r.heldOutLoss.toFixed(4)} (nats per predicted token, ${r.objective})`);
      out(`  training time   ${(r.timings.trainMs / 1000).toFixed(1)} s on ${backend.backend}, ${Math.round(r.tokensPerSec).toLocaleString('en-US')} tokens/s`);
      out(`  model folder    ${r.out} (with probe.txt and pretrain.json)`);
    }
    return 0;
  } catch (err) {
    if (!(err instanceof PretrainCancelled)) throw err;
    process.stderr.write('transfer-lab: pretraining cancelled; nothing was written.\n');
    return 130;
  }
}

export function registerPretrain(program: Command): void {
  program
    .command('pretrain')
    .description('Pretrain a fresh model on a text corpus (masked LM, causal LM or T5 span corruption) and save it as a model folder.')
    .argument('<corpus>', 'text file, folder of .txt/.md/.raw files, or a .csv/.tsv/.jsonl/.json dataset (its text column)')
    .requiredOption('--out <dir>', 'model folder to write')
    .option('--family <name>', 'bert | roberta | distilbert | albert (masked LM), gpt2 (causal LM), t5 (span corruption)', 'bert')
    .option('--size <name>', 'tiny | mini | small', 'tiny')
    .option('--model <dir>', 'continue pretraining this model folder instead of a fresh model')
    .option('--steps <n>', 'optimizer steps (default 300)', int('--steps'))
    .option('--seq-len <n>', 'tokens per packed sequence (default 64)', int('--seq-len'))
    .option('--batch <n>', 'sequences per step (default 32)', int('--batch'))
    .option('--lr <x>', 'peak learning rate (default 1e-3 tiny, 5e-4 mini, 3e-4 small)', float('--lr'))
    .option('--vocab-size <n>', 'vocabulary trained for a fresh model (default 8000)', int('--vocab-size'))
    .option('--whole-word', 'masked LM: mask whole words')
    .option('--eval-every <n>', 'held-out loss every n steps (default: five times per run)', int('--eval-every'))
    .option('--text-col <name>', 'text column of a dataset corpus (default: detected)')
    .option('--seed <n>', 'random seed (default 42)', int('--seed'))
    .option('--backend <name>', BACKEND_HELP, backendOption, 'auto')
    .option('--json', 'one JSON object per event line, a summary last')
    .action(async (corpus: string, o: PretrainOptions) => {
      process.exitCode = await pretrain(corpus, o);
    });
}
