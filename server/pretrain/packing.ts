/**
 * Packs tokenized lines into blocks of a fixed length, so no compute goes to padding: documents
 * are concatenated across line boundaries with a separator between them (RoBERTa's
 * FULL-SENTENCES, Liu et al., 2019, §4.2; GPT-2 joins documents with <|endoftext|>; T5 packs
 * raw text before span corruption). Every block is full except the last, which is kept and
 * padded at batch time, so a small corpus still gives a block and every held-out token counts.
 */
import { UserError } from '../errors';
import type { TextTokenizer } from '../tokenizers/textTokenizer';
import type { Objective } from './objectives';
import { rawLengthForInputs } from './spanCorruption';

/** How blocks are laid out: each is prefix + content + suffix; documents are joined by the separator. */
export interface PackLayout {
  readonly prefix: readonly number[];
  readonly suffix: readonly number[];
  readonly separator: readonly number[];
  /** Block length in tokens, prefix and suffix included. */
  readonly blockLength: number;
}

/**
 * Concatenates `documents` (token ids without special tokens) joined by the separator and cuts
 * the stream into blocks of `layout.blockLength`; the last block may be shorter.
 */
export function packDocuments(documents: Iterable<readonly number[]>, layout: PackLayout): number[][] {
  const content = layout.blockLength - layout.prefix.length - layout.suffix.length;
  if (content < 1) throw new Error(`block length ${layout.blockLength} leaves no room for text`);
  const blocks: number[][] = [];
  let current: number[] = [];
  const flush = (): void => {
    if (current.length > 0) blocks.push([...layout.prefix, ...current, ...layout.suffix]);
    current = [];
  };
  const push = (id: number): void => {
    current.push(id);
    if (current.length === content) flush();
  };
  let first = true;
  for (const doc of documents) {
    if (doc.length === 0) continue;
    // A separator that would open a block carries no information: skip it there.
    if (!first && current.length > 0) layout.separator.forEach(push);
    doc.forEach(push);
    first = false;
  }
  flush();
  return blocks;
}

/**
 * The ids of `text` without the special tokens the tokenizer's template adds ([CLS] … [SEP],
 * <s> … </s>, … </s>); GPT-2's template adds none.
 */
export function contentIds(tokenizer: TextTokenizer, text: string): number[] {
  const { ids } = tokenizer.encode(text);
  const start = tokenizer.clsId !== null && ids[0] === tokenizer.clsId ? 1 : 0;
  const end = tokenizer.sepId !== null && ids.length > start && ids[ids.length - 1] === tokenizer.sepId ? ids.length - 1 : ids.length;
  return ids.slice(start, end);
}

/**
 * The layout of each objective for model inputs of `seqLength` tokens: masked LM packs
 * [CLS] … [SEP] blocks with [SEP] between documents; causal LM packs plain blocks joined by
 * <|endoftext|>; seq2seq packs raw blocks (joined by </s>) whose span-corrupted input fits.
 */
export function packLayoutFor(objective: Objective, tokenizer: TextTokenizer, seqLength: number): PackLayout {
  const need = (id: number | null, what: string): number => {
    if (id === null) throw new UserError(`The tokenizer has no ${what} token, which ${objective} pretraining needs.`);
    return id;
  };
  switch (objective) {
    case 'masked-lm': {
      const cls = need(tokenizer.clsId, 'classification ([CLS] / <s>)');
      const sep = need(tokenizer.sepId, 'separator ([SEP] / </s>)');
      return { prefix: [cls], suffix: [sep], separator: [sep], blockLength: seqLength };
    }
    case 'causal-lm':
      return { prefix: [], suffix: [], separator: [need(tokenizer.eosId, 'end-of-text')], blockLength: seqLength };
    case 'seq2seq-lm':
      return { prefix: [], suffix: [], separator: [need(tokenizer.eosId, 'end (</s>)')], blockLength: rawLengthForInputs(seqLength) };
  }
}

/** Tokenizes `lines` and packs them for `objective` (see packLayoutFor). */
export function packText(objective: Objective, tokenizer: TextTokenizer, lines: Iterable<string>, seqLength: number): number[][] {
  const layout = packLayoutFor(objective, tokenizer, seqLength);
  function* documents(): Generator<number[]> {
    for (const line of lines) yield contentIds(tokenizer, line);
  }
  return packDocuments(documents(), layout);
}
