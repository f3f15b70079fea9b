/**
 * TextTokenizer: a Hugging Face `tokenizer.json` (ours or a downloaded model's) loaded through
 * @huggingface/tokenizers, plus truncation, token type ids and padded batches for training.
 */
import { readFile } from 'node:fs/promises';
import { Tokenizer } from '@huggingface/tokenizers';
import { UserError } from '../errors';
import { findSpecialTokens, type SpecialTokens } from './specialTokens';
import { isRecord, postProcessorTypes } from './tokenizerJson';

/** A padded batch, row-major [batchSize, seqLength]. */
export interface EncodedBatch {
  readonly inputIds: Int32Array;
  readonly attentionMask: Int32Array;
  readonly tokenTypeIds: Int32Array;
  readonly batchSize: number;
  readonly seqLength: number;
  /** Unpadded length of each row (special tokens included). */
  readonly lengths: readonly number[];
}

interface Assembled {
  tokens: string[];
  ids: number[];
  tokenTypeIds: number[];
}

/** The part of the library's Tokenizer we use (its published types are loose). */
interface HfTokenizer {
  tokenize(text: string, options?: { add_special_tokens?: boolean }): string[];
  token_to_id(token: string): number | undefined;
  id_to_token(id: number): string | undefined;
  decode(ids: number[], options?: { skip_special_tokens?: boolean; clean_up_tokenization_spaces?: boolean }): string;
  get_vocab(withAddedTokens?: boolean): Map<string, number>;
  readonly post_processor: {
    post_process(tokens: string[], pair: string[] | null, addSpecialTokens: boolean): {
      tokens: string[];
      tokens_pair?: string[] | null;
      token_type_ids?: number[];
    };
  } | null;
}

/** Model kinds of tokenizer.json; the library loads all but WordLevel. */
export const TOKENIZER_KINDS = ['WordPiece', 'BPE', 'Unigram', 'WordLevel'] as const;
export type TokenizerKind = (typeof TOKENIZER_KINDS)[number];
const MODEL_TYPES: readonly string[] = ['WordPiece', 'BPE', 'Unigram'];

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Checks the shape the library needs and fills the optional parts it insists on with null. */
function checkTokenizerJson(json: unknown, source: string): Record<string, unknown> {
  const bad = (why: string): UserError =>
    new UserError(`${source} is not a usable tokenizer.json: ${why}. Use a Hugging Face tokenizer.json file.`);
  if (!isRecord(json)) throw bad('it is not a JSON object');
  const model = json['model'];
  if (!isRecord(model)) throw bad('"model" is missing');
  const type = model['type'];
  if (typeof type !== 'string') throw bad('"model.type" is missing');
  if (!MODEL_TYPES.includes(type)) throw bad(`model type "${type}" is not one of ${MODEL_TYPES.join(', ')}`);
  const vocab = model['vocab'];
  const vocabSize = Array.isArray(vocab) ? vocab.length : isRecord(vocab) ? Object.keys(vocab).length : 0;
  if (vocabSize === 0) throw bad('"model.vocab" is missing or empty');
  const added = json['added_tokens'] ?? [];
  if (!Array.isArray(added)) throw bad('"added_tokens" is not a list');
  const filled: Record<string, unknown> = { ...json, added_tokens: added };
  for (const key of ['normalizer', 'pre_tokenizer', 'post_processor', 'decoder']) filled[key] ??= null;
  return filled;
}

export class TextTokenizer {
  readonly vocabSize: number;
  readonly specialTokens: SpecialTokens;
  private readonly specialsSingle: number;
  private readonly specialsPair: number;
  /** RobertaProcessing gives every token type 0 (the library's JS port gives pairs type 1). */
  private readonly zeroTypeIds: boolean;
  /** Transformers-style space clean-up ("hello , world" → "hello, world") after WordPiece decoding only. */
  private readonly cleanUpSpaces: boolean;

  private constructor(
    private readonly hf: HfTokenizer,
    private readonly json: Record<string, unknown>,
    source: string,
  ) {
    this.specialTokens = findSpecialTokens(json, (t) => hf.token_to_id(t), source);
    this.zeroTypeIds = postProcessorTypes(json['post_processor']).includes('RobertaProcessing');
    const decoder = json['decoder'];
    this.cleanUpSpaces = isRecord(decoder) && decoder['type'] === 'WordPiece';
    let maxId = -1;
    for (const id of hf.get_vocab(true).values()) maxId = Math.max(maxId, id);
    this.vocabSize = maxId + 1;
    this.specialsSingle = this.assemble([], null).ids.length;
    this.specialsPair = this.assemble([], []).ids.length;
  }

  /** The padding id (the eos id for tokenizers without one, like GPT-2's). */
  get padId(): number {
    return this.specialTokens.pad;
  }
  get unkId(): number | null {
    return this.specialTokens.unk;
  }
  get clsId(): number | null {
    return this.specialTokens.cls;
  }
  get sepId(): number | null {
    return this.specialTokens.sep;
  }
  get maskId(): number | null {
    return this.specialTokens.mask;
  }
  get bosId(): number | null {
    return this.specialTokens.bos;
  }
  get eosId(): number | null {
    return this.specialTokens.eos;
  }

  /** The model kind in tokenizer.json. */
  get kind(): TokenizerKind {
    const model = this.json['model'];
    return TOKENIZER_KINDS.find((k) => isRecord(model) && model['type'] === k) ?? 'WordLevel';
  }

  tokenToId(token: string): number | undefined {
    return this.hf.token_to_id(token);
  }

  idToToken(id: number): string | undefined {
    return this.hf.id_to_token(id);
  }

  /** Reads a tokenizer.json file; UserError naming the file when it is missing or malformed. */
  static async fromFile(path: string): Promise<TextTokenizer> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      const missing = isRecord(err) && err['code'] === 'ENOENT';
      throw new UserError(
        missing ? `Tokenizer file not found: ${path}. Check the path.` : `Cannot read tokenizer file ${path}: ${errorMessage(err)}. Check the file's permissions.`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new UserError(`${path} is not valid JSON (${errorMessage(err)}); expected a tokenizer.json file. Restore it from the original model, or save the tokenizer again with save_pretrained.`);
    }
    return TextTokenizer.fromJson(json, path);
  }

  /** Builds a tokenizer from a parsed tokenizer.json; `source` names it in error messages. */
  static fromJson(json: unknown, source: string): TextTokenizer {
    const checked = structuredClone(checkTokenizerJson(json, source));
    let hf: HfTokenizer;
    try {
      hf = new Tokenizer(structuredClone(checked), {});
    } catch (err) {
      throw new UserError(`${source} could not be loaded as a tokenizer: ${errorMessage(err)}. Use a Hugging Face tokenizer.json file.`);
    }
    return new TextTokenizer(hf, checked, source);
  }

  /** The tokens and ids of `text`, with special tokens. */
  tokenize(text: string): { tokens: string[]; ids: number[] } {
    const { tokens, ids } = this.assemble(this.pieces(text), null);
    return { tokens, ids };
  }

  /** Ids and token type ids of `text` (and `pair`), with special tokens, not truncated. */
  encode(text: string, pair?: string): { ids: number[]; tokenTypeIds: number[] } {
    const { ids, tokenTypeIds } = this.assemble(this.pieces(text), pair === undefined ? null : this.pieces(pair));
    return { ids, tokenTypeIds };
  }

  /** Ids of `text`'s pieces without any special tokens (for assembling prompts). */
  encodePieces(text: string): number[] {
    return this.pieces(text).map((t) => this.hf.token_to_id(t) ?? this.unkId ?? this.padId);
  }

  /** Wraps piece ids in the template's special tokens ([CLS] … [SEP], <s> … </s>, … </s>). */
  withSpecialTokens(pieceIds: readonly number[]): number[] {
    return this.assemble(pieceIds.map((id) => this.idToToken(id) ?? ''), null).ids;
  }

  decode(ids: readonly number[], skipSpecialTokens = false): string {
    if (ids.length === 0) return '';
    return this.hf.decode([...ids], { skip_special_tokens: skipSpecialTokens, clean_up_tokenization_spaces: this.cleanUpSpaces });
  }

  /**
   * Pads (with padId) to the longest sequence in the batch (not maxLength), truncating each to
   * maxLength keeping the template's special tokens (a final [SEP] or </s>); pairs are truncated
   * longest first. Row-major [batchSize, seqLength].
   */
  encodeBatch(texts: readonly string[], maxLength: number, pairs?: readonly string[]): EncodedBatch {
    if (pairs !== undefined && pairs.length !== texts.length) {
      throw new Error(`encodeBatch: ${texts.length} texts but ${pairs.length} pairs`);
    }
    const rows = texts.map((t, i) => this.encodeTruncated(t, pairs?.[i], maxLength));
    const batchSize = rows.length;
    const seqLength = rows.reduce((m, r) => Math.max(m, r.ids.length), 0);
    const inputIds = new Int32Array(batchSize * seqLength).fill(this.padId);
    const attentionMask = new Int32Array(batchSize * seqLength);
    const tokenTypeIds = new Int32Array(batchSize * seqLength);
    rows.forEach((r, b) => {
      inputIds.set(r.ids, b * seqLength);
      attentionMask.fill(1, b * seqLength, b * seqLength + r.ids.length);
      tokenTypeIds.set(r.tokenTypeIds, b * seqLength);
    });
    return { inputIds, attentionMask, tokenTypeIds, batchSize, seqLength, lengths: rows.map((r) => r.ids.length) };
  }

  /** The tokenizer.json object, to write next to a checkpoint. Do not mutate it. */
  toJSON(): unknown {
    return this.json;
  }

  private pieces(text: string): string[] {
    return this.hf.tokenize(text, { add_special_tokens: false });
  }

  private encodeTruncated(text: string, pair: string | undefined, maxLength: number): Assembled {
    const a = this.pieces(text);
    const b = pair === undefined ? null : this.pieces(pair);
    const budget = maxLength - (b === null ? this.specialsSingle : this.specialsPair);
    if (budget < (b === null ? 1 : 2)) {
      throw new UserError(`Max length ${maxLength} is too short: it must leave room for the special tokens and text.`);
    }
    let [la, lb] = [a.length, b?.length ?? 0];
    while (la + lb > budget) {
      if (la > lb) la--;
      else lb--;
    }
    return this.assemble(a.slice(0, la), b === null ? null : b.slice(0, lb));
  }

  /** Adds the special tokens (post-processor template) and maps tokens to ids. */
  private assemble(a: string[], b: string[] | null): Assembled {
    const processor = this.hf.post_processor;
    const out = processor?.post_process(a, b, true);
    // No processor, or one adding no tokens (ByteLevel: the library hands the pair back apart).
    const plain = out === undefined || out.token_type_ids === undefined;
    const tokens = plain ? [...(out?.tokens ?? a), ...(out?.tokens_pair ?? b ?? [])] : out.tokens;
    const ids = tokens.map((t) => {
      const id = this.hf.token_to_id(t) ?? this.specialTokens.unk;
      if (id === null) throw new Error(`token ${t} has no id and the tokenizer has no unknown token`);
      return id;
    });
    let types = out?.token_type_ids ?? [];
    if (this.zeroTypeIds) types = ids.map(() => 0);
    else if (types.length !== ids.length) types = ids.map((_, i) => (i < ids.length - (b?.length ?? 0) ? 0 : 1));
    return { tokens, ids, tokenTypeIds: types };
  }
}

/** Lengths in tokens, special tokens included (to suggest a max length). */
export function tokenLengths(tok: TextTokenizer, texts: readonly string[]): number[] {
  return texts.map((t) => tok.encode(t).ids.length);
}

/** What `transfer-lab info` / `tokenize` show about a tokenizer: role → token for each special token. */
export function describeTokenizer(t: TextTokenizer): {
  kind: TokenizerKind;
  vocabSize: number;
  specialTokens: Record<string, string>;
} {
  const specialTokens: Record<string, string> = {};
  for (const [role, id] of Object.entries(t.specialTokens)) {
    const token = id === null ? undefined : t.idToToken(id);
    if (token !== undefined) specialTokens[role] = token;
  }
  return { kind: t.kind, vocabSize: t.vocabSize, specialTokens };
}
