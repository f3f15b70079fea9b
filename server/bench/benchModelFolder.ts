/**
 * A random-weight model saved as a Hugging Face folder (config.json, model.safetensors and a
 * WordPiece tokenizer trained on BENCH_TEXT), for the `load` workload and the runner's attention
 * request through the real server.
 */
import type { HeadKind } from '../models/config';
import { saveModelFolder } from '../checkpoints/modelFolder';
import { TextTokenizer } from '../tokenizers/textTokenizer';
import { trainWordPiece } from '../tokenizers/trainWordPiece';
import type { BenchShape } from './benchSpec';
import { randomModel } from './randomModel';

/** A text of well over 64 word pieces; requests truncate it to the length they measure. */
export const BENCH_TEXT = Array.from({ length: 12 }, (_, i) =>
  `sentence ${i} about transfer learning with small transformer models that run on a laptop cpu without any download`).join(' . ');

export function benchTokenizer(): TextTokenizer {
  return TextTokenizer.fromJson(trainWordPiece([BENCH_TEXT], { vocabSize: 256, minFrequency: 1 }), 'bench tokenizer');
}

/** Writes the folder and disposes the model; the folder's tokenizer covers BENCH_TEXT. */
export async function saveRandomModelFolder(dir: string, shape: BenchShape, head: HeadKind, seed: number): Promise<void> {
  const model = randomModel(shape, head, seed);
  try {
    await saveModelFolder(dir, model, benchTokenizer(), shape.seq);
  } finally {
    model.dispose();
  }
}
