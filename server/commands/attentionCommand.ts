/**
 * `transfer-lab attention --model DIR --text "…"`: the Attention panel's data from the command
 * line — the tokens as the tokenizer makes them and every attention map ([layer][head][query][key];
 * T5 adds decoder and cross attention). Without --json, each layer's strongest link per token.
 */
import type { Command } from 'commander';
import { initBackend } from '../backend/selectBackend';
import { loadModelFolder } from '../checkpoints/modelFolder';
import { attentionMaps } from '../inference/attentionMaps';
import type { AttentionMaps, BackendPreference, ModelAttention } from '../protocol';
import { InvalidArgumentError } from 'commander';
import { BACKEND_HELP, backendOption, int } from './options';

/** At least two tokens: truncation keeps the last one (the end-of-sequence token). */
function maxLengthOption(v: string): number {
  const n = int('--max-length')(v);
  if (n < 2) throw new InvalidArgumentError('--max-length must be at least 2.');
  return n;
}

const print = (value: unknown): void => void process.stdout.write(JSON.stringify(value) + '\n');

/** base64 float32 [layers, heads, Tq, Tk] → nested arrays (what `forward --json` prints too). */
export function unpackAttention(maps: AttentionMaps): number[][][][] {
  const bytes = Buffer.from(maps.data, 'base64');
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const tq = maps.queryTokens.length;
  const tk = maps.keyTokens.length;
  let i = 0;
  return Array.from({ length: maps.layers }, () => Array.from({ length: maps.heads }, () =>
    Array.from({ length: tq }, () => Array.from({ length: tk }, () => values[i++] ?? 0))));
}

/** The --json summary: the same content as the panel's ModelAttention result, as plain arrays. */
export function attentionSummary(r: ModelAttention.Result): Record<string, unknown> {
  return {
    type: 'summary', family: r.family, truncated: r.truncated, layers: r.attention.layers, heads: r.attention.heads,
    tokens: r.attention.queryTokens, attentions: unpackAttention(r.attention),
    ...(r.decoderAttention !== null ? { decoderTokens: r.decoderAttention.queryTokens, decoderAttentions: unpackAttention(r.decoderAttention) } : {}),
    ...(r.crossAttention !== null ? { crossAttentions: unpackAttention(r.crossAttention) } : {}),
  };
}

/** "layer 0  the → cat 0.41 · cat → sat 0.37 …": each query's strongest key, heads averaged. */
function strongestLinks(maps: AttentionMaps): string[] {
  const a = unpackAttention(maps);
  return a.map((heads, l) => {
    const links = maps.queryTokens.map((q, i) => {
      const mean = maps.keyTokens.map((_, j) => heads.reduce((s, h) => s + (h[i]?.[j] ?? 0), 0) / heads.length);
      const j = mean.indexOf(Math.max(...mean));
      return `${q} → ${maps.keyTokens[j] ?? '?'} ${(mean[j] ?? 0).toFixed(2)}`;
    });
    return `layer ${l}  ${links.join(' · ')}`;
  });
}

export function registerAttentionCommand(program: Command): void {
  program
    .command('attention')
    .description('Every attention map of a model for a text (the Attention panel\'s data): tokens and [layer][head][query][key] weights.')
    .requiredOption('--model <dir>', 'Hugging Face model folder')
    .requiredOption('--text <text>', 'text to run through the model (T5: the encoder input)')
    .option('--decoder-text <text>', 'T5: the decoder input (default: the start token only)')
    .option('--max-length <n>', 'truncate to this many tokens (default and upper bound: the model\'s maximum)', maxLengthOption)
    .option('--backend <name>', BACKEND_HELP, backendOption, 'auto')
    .option('--json', 'print one JSON summary with the tokens and every map')
    .action(async (o: { model: string; text: string; decoderText?: string; maxLength?: number; backend: BackendPreference; json?: boolean }) => {
      await initBackend(o.backend);
      const { model, tokenizer } = await loadModelFolder(o.model);
      try {
        const r = await attentionMaps(model, tokenizer, {
          model: o.model, text: o.text,
          ...(o.decoderText !== undefined ? { decoderText: o.decoderText } : {}),
          ...(o.maxLength !== undefined ? { maxLength: o.maxLength } : {}),
        });
        if (o.json === true) {
          print(attentionSummary(r));
          return;
        }
        process.stdout.write(`${r.family} · ${r.attention.layers} layers × ${r.attention.heads} heads · ${r.attention.queryTokens.length} tokens${r.truncated ? ' (truncated)' : ''}\n`);
        process.stdout.write(`tokens: ${r.attention.queryTokens.join(' ')}\n\nstrongest link of each token (mean over heads):\n`);
        for (const line of strongestLinks(r.attention)) process.stdout.write(`${line}\n`);
      } finally {
        model.dispose();
      }
    });
}
