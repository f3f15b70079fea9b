/** Fill-mask: the top-k tokens and probabilities at each mask token of a text (masked LMs). */
import { tf } from '../backend/tf';
import { INFERENCE } from '../models/blocks';
import type { TransformerModel } from '../models/transformerModel';
import type { TextTokenizer } from '../tokenizers/textTokenizer';
import { UserError } from '../errors';

export interface MaskPrediction {
  readonly token: string;
  readonly id: number;
  readonly probability: number;
}

export async function fillMask(model: TransformerModel, tok: TextTokenizer, text: string, topK: number): Promise<MaskPrediction[][]> {
  if (model.config.head !== 'masked-lm') throw new UserError(`Fill-mask needs a masked LM; this ${model.family} model has a ${model.config.head} head.`);
  const mask = tok.maskId;
  const maskToken = mask === null ? undefined : tok.idToToken(mask);
  if (mask === null || maskToken === undefined) throw new UserError('This tokenizer has no mask token.');
  const ids = tok.encode(text).ids;
  const positions = ids.flatMap((id, i) => (id === mask ? [i] : []));
  if (positions.length === 0) throw new UserError(`The text has no mask token: write ${maskToken} where a word should be predicted.`);
  const k = Math.max(1, Math.min(topK, model.config.vocabSize));
  const { values, indices } = tf.tidy(() => {
    const input = tf.tensor2d(ids, [1, ids.length], 'int32');
    const logits = model.forward({ inputIds: input, attentionMask: tf.onesLike(input), tokenTypeIds: tf.zerosLike(input) }, INFERENCE).logits;
    if (logits === null) throw new Error('masked LM without logits');
    const V = logits.shape[2] as number;
    const rows = tf.gather(tf.reshape(logits, [-1, V]), tf.tensor1d(positions, 'int32')); // [masks, V]
    return tf.topk(tf.softmax(rows), k);
  });
  const [p, idx] = await Promise.all([values.data(), indices.data()]);
  tf.dispose([values, indices]);
  return positions.map((_, m) => Array.from({ length: k }, (_, j) => {
    const id = idx[m * k + j] ?? 0;
    return { id, token: tok.idToToken(id) ?? '', probability: p[m * k + j] ?? 0 };
  }));
}
