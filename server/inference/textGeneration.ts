/**
 * Text in, text out: encodes the prompt for the model's family, streams decoded pieces as
 * tokens arrive, and stops at stop strings. Wraps the id-level generator (generate.ts).
 */
import type { TransformerModel } from '../models/transformerModel';
import type { TextTokenizer } from '../tokenizers/textTokenizer';
import { generate, type GenerateOptions } from './generate';

export interface TextGenerationOptions extends Omit<GenerateOptions, 'onToken' | 'eosTokenId'> {
  readonly stop: readonly string[];
  /** Each newly decoded piece of text; return true to stop (e.g. cancelled). */
  readonly onText?: (piece: string, id: number) => boolean | void;
}

export interface TextGenerationResult {
  readonly text: string;
  readonly tokens: number;
  readonly tokensPerSec: number;
  readonly timeToFirstTokenMs: number;
}

export async function generateText(model: TransformerModel, tok: TextTokenizer, prompt: string, o: TextGenerationOptions): Promise<TextGenerationResult> {
  // GPT-2 continues raw text (no special tokens); T5 encodes its input with </s>.
  const promptIds = model.family === 't5' ? tok.encode(prompt).ids : tok.encodePieces(prompt);
  const ids: number[] = [];
  let text = '';
  let stopped = false;
  const result = await generate(model, promptIds, {
    ...o,
    onToken: (id) => {
      ids.push(id);
      const full = tok.decode(ids, true);
      const stopAt = o.stop.map((s) => (s === '' ? -1 : full.indexOf(s))).filter((i) => i >= 0);
      const end = stopAt.length > 0 ? Math.min(...stopAt) : full.length;
      const piece = full.slice(text.length, end);
      text = full.slice(0, end);
      if (stopAt.length > 0) stopped = true;
      return (piece !== '' && o.onText?.(piece, id) === true) || stopped;
    },
  });
  return { text, tokens: result.ids.length, tokensPerSec: result.tokensPerSec, timeToFirstTokenMs: result.timeToFirstTokenMs };
}
