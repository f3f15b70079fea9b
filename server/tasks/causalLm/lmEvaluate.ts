/**
 * Held-out evaluation of a causal LM on packed blocks: mean loss per predicted token (nats),
 * perplexity exp(loss), next-token accuracy of the argmax and macro-F1 over the token ids that
 * occur as targets or predictions (rare tokens count as much as frequent ones). No dropout.
 */
import { tf } from '../../backend/tf';
import { INFERENCE } from '../../models/blocks';
import type { TransformerModel } from '../../models/transformerModel';
import { disposeLmBatch, makeLmBatch, tokenNllSum, type LmExample } from '../../pretrain/objectives';
import { accuracy, macroF1 } from '../../training/classificationMetrics';
import type { EvalResult } from '../../finetune/evaluate';

/** The id each position of a block must predict: the next token; none for the last. */
export function nextTokenTargets(block: readonly number[]): number[] {
  return block.slice(1);
}

/** Loss, perplexity, next-token accuracy and macro-F1 over `blocks` (each at most the model's length). */
export async function evaluateCausalLm(model: TransformerModel, blocks: readonly (readonly number[])[], batchSize: number): Promise<EvalResult> {
  const ids = { pad: model.config.padTokenId, decoderStart: model.config.decoderStartTokenId };
  const truth: number[] = [];
  const predicted: number[] = [];
  let lossSum = 0;
  let count = 0;
  for (let start = 0; start < blocks.length; start += batchSize) {
    const rows = blocks.slice(start, start + batchSize);
    const batch = makeLmBatch('causal-lm', rows.map((b): LmExample => ({ inputIds: b, labels: [] })), ids);
    try {
      const [sumT, countT, predT] = tf.tidy(() => {
        const logits = model.forward(batch.inputs, INFERENCE).logits;
        if (logits === null) throw new Error(`the ${model.family} model has no LM head`);
        const nll = tokenNllSum(logits, batch.labels);
        return [nll.sum, nll.count, tf.argMax(logits, 2)];
      });
      const [s, c, p] = await Promise.all([sumT.data(), countT.data(), predT.data()]);
      tf.dispose([sumT, countT, predT]);
      lossSum += s[0] ?? 0;
      count += c[0] ?? 0;
      const T = batch.inputs.inputIds.shape[1] as number;
      rows.forEach((block, b) => nextTokenTargets(block).forEach((target, t) => {
        truth.push(target);
        predicted.push(p[b * T + t] ?? -1);
      }));
    } finally {
      disposeLmBatch(batch);
    }
  }
  const loss = count === 0 ? 0 : lossSum / count;
  return { loss, perplexity: Math.exp(loss), accuracy: accuracy(predicted, truth), macroF1: macroF1(predicted, truth, model.config.vocabSize) };
}
