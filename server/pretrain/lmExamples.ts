/**
 * Packed token blocks → training or evaluation examples of an objective: BERT masking, T5 span
 * corruption or (causal LM) the block itself. Training draws fresh corruption at every step
 * (RoBERTa's dynamic masking); held-out and probe text get one seeded corruption, fixed.
 */
import { UserError } from '../errors';
import { createRng, type Rng } from '../random';
import type { TextTokenizer } from '../tokenizers/textTokenizer';
import type { TransformerModel } from '../models/transformerModel';
import { DEFAULT_MASKING_CONFIG, continuationTable, maskTokens, type MaskingConfig, type MaskingVocabulary } from './masking';
import { evaluateLmLoss, objectiveForHead, type LmExample, type Objective } from './objectives';
import { packText } from './packing';
import { corruptSpans, sentinelIdsOf } from './spanCorruption';

/** Turns one packed block into an example, drawing any randomness from `rng`. */
export type ExampleMaker = (block: readonly number[], rng: Rng) => LmExample;

export interface ExampleOptions {
  /** Masked LM only: whole-word masking. Default false. */
  readonly wholeWord?: boolean;
}

/** What BERT-style masking needs from a tokenizer; UserError when it has no mask token. */
export function maskingVocabulary(tokenizer: TextTokenizer, wholeWord: boolean): MaskingVocabulary {
  const maskId = tokenizer.maskId;
  if (maskId === null) throw new UserError('The tokenizer has no mask token ([MASK] or <mask>), which masked-LM pretraining needs.');
  const specialIds = new Set(Object.values(tokenizer.specialTokens).filter((id): id is number => id !== null));
  const kind = tokenizer.kind === 'WordPiece' ? 'WordPiece' : 'word-start-marked';
  const continuesWord = wholeWord ? continuationTable(tokenizer.vocabSize, (id) => tokenizer.idToToken(id), kind) : null;
  return { maskId, vocabSize: tokenizer.vocabSize, specialIds, continuesWord };
}

/** The example maker of `objective` for a tokenizer. */
export function exampleMaker(objective: Objective, tokenizer: TextTokenizer, opts: ExampleOptions = {}): ExampleMaker {
  switch (objective) {
    case 'masked-lm': {
      const vocab = maskingVocabulary(tokenizer, opts.wholeWord === true);
      const config: MaskingConfig = { ...DEFAULT_MASKING_CONFIG, wholeWord: opts.wholeWord === true };
      return (block, rng) => maskTokens(block, vocab, rng, config);
    }
    case 'causal-lm':
      return (block) => ({ inputIds: block, labels: [] });
    case 'seq2seq-lm': {
      const sentinels = sentinelIdsOf((t) => tokenizer.tokenToId(t));
      const eos = tokenizer.eosId;
      if (sentinels.length === 0 || eos === null) throw new UserError('The tokenizer has no <extra_id_0> sentinel or no </s>, which T5 span corruption needs.');
      return (block, rng) => {
        const { inputIds, targetIds } = corruptSpans(block, sentinels, eos, rng);
        return { inputIds, labels: targetIds };
      };
    }
  }
}

/** One seeded, fixed corruption of every block (held-out and probe evaluation). */
export function fixedExamples(maker: ExampleMaker, blocks: readonly (readonly number[])[], seed: number): LmExample[] {
  const rng = createRng(seed);
  return blocks.map((b) => maker(b, rng));
}

export interface TextLossOptions extends ExampleOptions {
  /** Tokens per packed sequence; default 64. */
  readonly seqLength?: number;
  /** Seed of the fixed masking / span corruption; default 1234. */
  readonly seed?: number;
  readonly batchSize?: number;
}

/** Default seed of fixed evaluation corruption, so probe losses are comparable between runs. */
export const EVAL_CORRUPTION_SEED = 1234;

/**
 * Mean LM loss per predicted token of a model on plain text lines (the forgetting probe:
 * e.g. a pretrained model's probe.txt): packed, corrupted with a fixed seed, no dropout.
 */
export async function textLoss(model: TransformerModel, tokenizer: TextTokenizer, lines: readonly string[], opts: TextLossOptions = {}): Promise<number> {
  const objective = objectiveForHead(model.config.head, `The ${model.family} model`);
  const blocks = packText(objective, tokenizer, lines, opts.seqLength ?? 64);
  const examples = fixedExamples(exampleMaker(objective, tokenizer, opts), blocks, opts.seed ?? EVAL_CORRUPTION_SEED);
  return evaluateLmLoss(model, examples, opts.batchSize === undefined ? {} : { batchSize: opts.batchSize });
}
