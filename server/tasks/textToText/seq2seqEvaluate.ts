/**
 * Text-to-text validation: teacher-forced loss per target token over every example, then greedy
 * generation (KV cache) on up to GENERATION_EVAL_CAP of them: exact match, macro-F1 over targets, token F1.
 */
import type { TransformerModel } from '../../models/transformerModel';
import type { TextTokenizer } from '../../tokenizers/textTokenizer';
import { evaluateLmLoss, type LmExample } from '../../pretrain/objectives';
import { generate } from '../../inference/generate';
import { GREEDY } from '../../inference/sampling';
import { macroF1 } from '../../training/classificationMetrics';
import { labelledConfusion, type EvalResult } from '../../finetune/evaluate';
import { exactMatch, normalizeText, tokenF1 } from '../metrics/textMatch';

/** Generations per evaluation: greedy decoding costs one forward pass per token, so a sample of the validation set. */
export const GENERATION_EVAL_CAP = 200;

export interface Seq2SeqValidation {
  /** Encoder ids and target ids (ending with </s>). */
  readonly examples: readonly LmExample[];
  /** The target texts, as in the file. */
  readonly targets: readonly string[];
  /** Normalised target → class id: the label set (labels as targets) or the validation targets. */
  readonly classes: ReadonlyMap<string, number>;
  /** Report a confusion matrix (the targets are a small label set). */
  readonly labelLike: boolean;
}

/** Greedy generations for the first `cap` examples, decoded without special tokens. */
export async function greedyGenerations(model: TransformerModel, tokenizer: TextTokenizer, examples: readonly LmExample[], maxNewTokens: number, cap = GENERATION_EVAL_CAP): Promise<string[]> {
  const out: string[] = [];
  for (const e of examples.slice(0, cap)) {
    const r = await generate(model, e.inputIds, { ...GREEDY, maxNewTokens, seed: 0, eosTokenId: tokenizer.eosId });
    out.push(tokenizer.decode(r.ids, true));
  }
  return out;
}

export async function evaluateSeq2Seq(model: TransformerModel, tokenizer: TextTokenizer, val: Seq2SeqValidation, batchSize: number, maxNewTokens: number): Promise<EvalResult> {
  // Teacher-forced mean loss per target token: the pretraining evaluation, on the seq2seq head.
  const lmLoss = await evaluateLmLoss(model, val.examples, { batchSize });
  const loss = Number.isNaN(lmLoss) ? 0 : lmLoss;
  const generated = await greedyGenerations(model, tokenizer, val.examples, maxNewTokens);
  const targets = val.targets.slice(0, generated.length);
  const classOf = (text: string): number => val.classes.get(normalizeText(text)) ?? -1;
  const truth = targets.map(classOf);
  const predicted = generated.map(classOf);
  const mean = (score: (g: string, target: string) => number): number =>
    generated.length === 0 ? 0 : generated.reduce((sum, g, i) => sum + score(g, targets[i] ?? ''), 0) / generated.length;
  return {
    loss,
    perplexity: Math.exp(loss),
    accuracy: mean((g, t) => (exactMatch(g, t) ? 1 : 0)),
    macroF1: macroF1(predicted, truth, val.classes.size),
    tokenF1: mean(tokenF1),
    ...(val.labelLike ? labelledConfusion(predicted, truth, classNames(val.classes)) : {}),
  };
}

/** The class names in id order: the (normalised) target texts of `classes`. */
function classNames(classes: ReadonlyMap<string, number>): string[] {
  const names = new Array<string>(classes.size).fill('');
  for (const [name, id] of classes) if (id >= 0 && id < names.length) names[id] = name;
  return names;
}
