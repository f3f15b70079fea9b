/**
 * Label scores for zero-shot classification, one per model kind: cloze scoring with a masked
 * LM (the label slot filled with as many masks as the label word has pieces; mean log-prob of
 * the pieces), label likelihood with a causal LM (mean log-prob of the label continuation), and
 * seq2seq scoring for T5 (mean log-prob of "<extra_id_0> label" as the target).
 */
import { tf, type Tensor } from '../backend/tf';
import { INFERENCE } from '../models/blocks';
import type { TransformerModel } from '../models/transformerModel';
import type { TextTokenizer } from '../tokenizers/textTokenizer';
import { UserError } from '../errors';

export const TEXT_SLOT = '{text}';
export const LABEL_SLOT = '{label}';

/** Splits a template around {label}, with {text} filled in. */
export function fillTemplate(template: string, text: string): { before: string; after: string } {
  if (!template.includes(TEXT_SLOT) || !template.includes(LABEL_SLOT)) {
    throw new UserError(`The template must contain ${TEXT_SLOT} and ${LABEL_SLOT}, e.g. "${TEXT_SLOT} This text is about ${LABEL_SLOT}."`);
  }
  const filled = template.split(TEXT_SLOT).join(text);
  const at = filled.indexOf(LABEL_SLOT);
  return { before: filled.slice(0, at), after: filled.slice(at + LABEL_SLOT.length) };
}

/** Mean log-probability of `targets` at `positions` of a [1, T, V] logits tensor. */
async function meanLogProb(logits: Tensor, positions: readonly number[], targets: readonly number[]): Promise<number> {
  const V = logits.shape[2] as number;
  const picked = tf.tidy(() => {
    const logProbs = tf.logSoftmax(tf.reshape(logits, [-1, V])); // [T, V]
    const rows = tf.gather(logProbs, tf.tensor1d([...positions], 'int32')); // [n, V]
    return tf.sum(tf.mul(rows, tf.oneHot(tf.tensor1d([...targets], 'int32'), V)), 1); // [n]
  });
  const values = await picked.data();
  picked.dispose();
  return Array.from(values).reduce((a, b) => a + b, 0) / targets.length;
}

function run(model: TransformerModel, ids: readonly number[], decoderIds?: readonly number[]): Tensor {
  return tf.tidy(() => {
    const input = tf.tensor2d([...ids], [1, ids.length], 'int32');
    const out = model.forward({
      inputIds: input, attentionMask: tf.onesLike(input), tokenTypeIds: tf.zerosLike(input),
      ...(decoderIds !== undefined ? { decoderInputIds: tf.tensor2d([...decoderIds], [1, decoderIds.length], 'int32') } : {}),
    }, INFERENCE);
    if (out.logits === null) throw new UserError(`This ${model.family} model has no LM head; zero-shot scoring needs a masked, causal or seq2seq LM.`);
    return out.logits;
  });
}

async function clozeScore(model: TransformerModel, tok: TextTokenizer, before: string, after: string, label: string): Promise<number> {
  const mask = tok.maskId;
  if (mask === null) throw new UserError('This tokenizer has no mask token, so cloze scoring is impossible.');
  const labelIds = tok.encodePieces(label);
  const body = [...tok.encodePieces(before.trimEnd()), ...labelIds.map(() => mask), ...tok.encodePieces(after)];
  const withSpecials = tok.withSpecialTokens(body);
  const start = withSpecials.indexOf(mask);
  const logits = run(model, withSpecials);
  try {
    return await meanLogProb(logits, labelIds.map((_, i) => start + i), labelIds);
  } finally {
    logits.dispose();
  }
}

async function causalScore(model: TransformerModel, tok: TextTokenizer, before: string, label: string): Promise<number> {
  const prefix = tok.encodePieces(before.trimEnd());
  const labelIds = tok.encodePieces(` ${label}`);
  const ids = [...(tok.bosId !== null ? [tok.bosId] : []), ...prefix, ...labelIds];
  const logits = run(model, ids);
  try {
    // the logit at position i predicts token i + 1
    return await meanLogProb(logits, labelIds.map((_, i) => ids.length - labelIds.length - 1 + i), labelIds);
  } finally {
    logits.dispose();
  }
}

async function seq2seqScore(model: TransformerModel, tok: TextTokenizer, before: string, after: string, label: string): Promise<number> {
  // T5's pretraining format: the label slot is the sentinel <extra_id_0>, the target
  // "<extra_id_0> label". Without sentinels (a text-to-text fine-tune), the target is the label.
  const sentinel = tok.tokenToId('<extra_id_0>');
  const slot = sentinel === undefined ? [] : [sentinel];
  const input = tok.withSpecialTokens([...tok.encodePieces(before.trimEnd()), ...slot, ...tok.encodePieces(after)]);
  const labelIds = tok.encodePieces(label);
  const target = [...slot, ...labelIds];
  const decoderIds = [model.config.decoderStartTokenId, ...target.slice(0, -1)];
  const logits = run(model, input, decoderIds);
  try {
    return await meanLogProb(logits, labelIds.map((_, i) => slot.length + i), labelIds);
  } finally {
    logits.dispose();
  }
}

/** Length-normalised log-probability of each label in the template's label slot. */
export async function scoreLabels(model: TransformerModel, tok: TextTokenizer, template: string, text: string, labels: readonly string[]): Promise<number[]> {
  const { before, after } = fillTemplate(template, text);
  const scores: number[] = [];
  for (const label of labels) {
    if (model.config.head === 'masked-lm') scores.push(await clozeScore(model, tok, before, after, label));
    else if (model.config.head === 'causal-lm') scores.push(await causalScore(model, tok, before, label));
    else if (model.config.head === 'seq2seq-lm') scores.push(await seq2seqScore(model, tok, before, after, label));
    else throw new UserError(`Zero-shot classification needs a masked, causal or seq2seq LM; this ${model.family} model has a ${model.config.head} head.`);
  }
  return scores;
}
