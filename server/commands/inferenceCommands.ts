/**
 * Zero-shot use of a model from the command line: `generate` (streamed), `classify` (label
 * probabilities, calibrated and raw) and `fill-mask`. `--json` ends with a summary object.
 */
import type { Command } from 'commander';
import { initBackend } from '../backend/selectBackend';
import { loadModelFolder } from '../checkpoints/modelFolder';
import { fillMask } from '../inference/fillMask';
import { generateText } from '../inference/textGeneration';
import { zeroShotClassify } from '../inference/zeroShot';
import type { BackendPreference } from '../protocol';
import { BACKEND_HELP, backendOption, float, int } from './options';

const print = (value: unknown): void => void process.stdout.write(JSON.stringify(value) + '\n');
const collect = (v: string, prev: string[]): string[] => [...prev, v];

async function withModel<T>(dir: string, backend: BackendPreference, fn: (loaded: Awaited<ReturnType<typeof loadModelFolder>>) => Promise<T>): Promise<T> {
  await initBackend(backend);
  const loaded = await loadModelFolder(dir);
  try {
    return await fn(loaded);
  } finally {
    loaded.model.dispose();
  }
}

interface GenerateCli { model: string; prompt: string; maxTokens: number; temperature: number; topK: number; topP: number; stop: string[]; seed: number; json?: boolean; backend: BackendPreference }

export function registerInferenceCommands(program: Command): void {
  program
    .command('generate')
    .description('Continue a prompt with a causal LM (GPT-2) or answer it with T5, token by token.')
    .requiredOption('--model <dir>', 'Hugging Face model folder (gpt2 or t5)')
    .requiredOption('--prompt <text>', 'prompt text')
    .option('--max-tokens <n>', 'new tokens at most', int('--max-tokens'), 64)
    .option('--temperature <t>', '0 = greedy', float('--temperature'), 0)
    .option('--top-k <k>', 'sample among the k most likely tokens (0 = all)', int('--top-k'), 0)
    .option('--top-p <p>', 'nucleus sampling mass (1 = off)', float('--top-p'), 1)
    .option('--stop <s>', 'stop before this string (repeatable)', collect, [])
    .option('--seed <n>', 'sampling seed', int('--seed'), 0)
    .option('--backend <name>', BACKEND_HELP, backendOption, 'auto')
    .option('--json', 'one JSON object per token, a summary last')
    .action((o: GenerateCli) => withModel(o.model, o.backend, async ({ model, tokenizer }) => {
      const r = await generateText(model, tokenizer, o.prompt, {
        maxNewTokens: o.maxTokens, temperature: o.temperature, topK: o.topK, topP: o.topP, seed: o.seed, stop: o.stop,
        onText: (piece, id) => void (o.json === true ? print({ type: 'token', id, text: piece }) : process.stdout.write(piece)),
      });
      if (o.json === true) print({ type: 'summary', text: r.text, tokens: r.tokens, tokensPerSec: r.tokensPerSec, timeToFirstTokenMs: r.timeToFirstTokenMs });
      else process.stdout.write(`\n\n${r.tokens} tokens, ${r.tokensPerSec.toFixed(1)} tokens/s\n`);
    }));

  program
    .command('classify')
    .description('Zero-shot classification with an LM head: probabilities over the given labels.')
    .requiredOption('--model <dir>', 'Hugging Face model folder (masked, causal or seq2seq LM)')
    .requiredOption('--text <text>', 'text to classify')
    .requiredOption('--labels <a,b,c>', 'comma-separated label words')
    .option('--template <t>', 'prompt with {text} and {label}, e.g. "{text} It was {label}."')
    .option('--no-calibrate', 'skip contextual calibration')
    .option('--backend <name>', BACKEND_HELP, backendOption, 'auto')
    .option('--json', 'print a JSON summary')
    .action((o: { model: string; text: string; labels: string; template?: string; calibrate: boolean; json?: boolean; backend: BackendPreference }) =>
      withModel(o.model, o.backend, async ({ model, tokenizer }) => {
        const r = await zeroShotClassify(model, tokenizer, o.text, o.labels.split(','), o.template ?? null, o.calibrate);
        const asObject = (ps: readonly number[]) => Object.fromEntries(r.labels.map((l, i) => [l, ps[i] ?? 0]));
        if (o.json === true) print({ type: 'summary', probabilities: asObject(r.probabilities), raw: asObject(r.raw), template: r.template, calibrated: r.calibrated });
        else {
          const order = r.labels.map((l, i) => ({ l, p: r.probabilities[i] ?? 0, raw: r.raw[i] ?? 0 })).sort((a, b) => b.p - a.p);
          for (const x of order) process.stdout.write(`${x.l.padEnd(20)} ${(x.p * 100).toFixed(1).padStart(5)}%   (raw ${(x.raw * 100).toFixed(1)}%)\n`);
        }
      }));

  program
    .command('fill-mask')
    .description('Predict the tokens at each mask token of a text with a masked LM.')
    .requiredOption('--model <dir>', 'Hugging Face model folder (masked LM)')
    .requiredOption('--text <text>', 'text with one or more mask tokens ([MASK] or <mask>)')
    .option('--top-k <k>', 'predictions per mask', int('--top-k'), 5)
    .option('--backend <name>', BACKEND_HELP, backendOption, 'auto')
    .option('--json', 'print a JSON summary')
    .action((o: { model: string; text: string; topK: number; json?: boolean; backend: BackendPreference }) =>
      withModel(o.model, o.backend, async ({ model, tokenizer }) => {
        const predictions = await fillMask(model, tokenizer, o.text, o.topK);
        if (o.json === true) print({ type: 'summary', predictions: predictions.map((ps) => ps.map(({ token, probability }) => ({ token, probability }))) });
        else predictions.forEach((ps, m) => process.stdout.write(`mask ${m + 1}: ${ps.map((p) => `${p.token} ${(p.probability * 100).toFixed(1)}%`).join(' · ')}\n`));
      }));
}
