/**
 * Model inspection from the command line: `forward` (the exact hidden states, logits and
 * attentions of one sequence, as JSON), `tokenize` and `info`.
 */
import type { Command } from 'commander';
import { initBackend } from '../backend/selectBackend';
import { loadModelFolder } from '../checkpoints/modelFolder';
import { forwardDump } from '../inference/forwardDump';
import { describeTokenizer } from '../tokenizers/textTokenizer';
import type { BackendPreference } from '../protocol';
import { BACKEND_HELP, backendOption, intList } from './options';

const print = (value: unknown): void => void process.stdout.write(JSON.stringify(value) + '\n');

export function registerModelCommands(program: Command): void {
  program
    .command('forward')
    .description('Run one sequence through a model folder and print hidden states, logits and attentions as JSON.')
    .requiredOption('--model <dir>', 'Hugging Face model folder')
    .requiredOption('--ids <ids>', 'input token ids, e.g. 2,5,9', intList('--ids'))
    .option('--decoder-ids <ids>', 'T5 decoder input ids, e.g. 0,4', intList('--decoder-ids'))
    .option('--backend <name>', BACKEND_HELP, backendOption, 'auto')
    .option('--json', 'print JSON (the only output format; accepted for symmetry)')
    .action(async (o: { model: string; ids: number[]; decoderIds?: number[]; backend: BackendPreference }) => {
      await initBackend(o.backend);
      const { model } = await loadModelFolder(o.model);
      try {
        print(await forwardDump(model, o.ids, o.decoderIds));
      } finally {
        model.dispose();
      }
    });

  program
    .command('tokenize')
    .description("Show how a model's tokenizer splits a text: tokens and ids.")
    .requiredOption('--model <dir>', 'Hugging Face model folder')
    .requiredOption('--text <text>', 'text to tokenize')
    .option('--json', 'print JSON')
    .action(async (o: { model: string; text: string; json?: boolean }) => {
      const { loadTokenizerFromFolder } = await import('../tokenizers/loadTokenizer');
      const tokenizer = await loadTokenizerFromFolder(o.model);
      const { tokens, ids } = tokenizer.tokenize(o.text);
      if (o.json === true) print({ tokens, ids });
      else tokens.forEach((t: string, i: number) => process.stdout.write(`${String(ids[i]).padStart(7)}  ${t}\n`));
    });

  program
    .command('info')
    .description('Describe a model folder: family, head, sizes, parameter count, tokenizer.')
    .requiredOption('--model <dir>', 'Hugging Face model folder')
    .option('--json', 'print JSON')
    .action(async (o: { model: string; json?: boolean }) => {
      await initBackend('auto');
      const { model, tokenizer } = await loadModelFolder(o.model);
      const c = model.config;
      const info = {
        family: model.family, head: c.head, layers: c.numLayers, decoderLayers: c.numDecoderLayers, hidden: c.hiddenSize,
        heads: c.numHeads, intermediate: c.intermediateSize, vocab: c.vocabSize, maxLength: model.maxInputLength,
        parameters: model.params.parameterCount(), labels: c.labels, tokenizer: describeTokenizer(tokenizer),
      };
      model.dispose();
      if (o.json === true) print(info);
      else for (const [k, v] of Object.entries(info)) process.stdout.write(`${k.padEnd(13)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}\n`);
    });
}
