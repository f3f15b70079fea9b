/**
 * The Hugging Face `tokenizer.json` schema (the parts we write), field names as in the Rust
 * `tokenizers` crate, plus builders for added tokens and post-processors.
 */

export interface AddedTokenJson {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

export type TemplatePieceJson =
  | { SpecialToken: { id: string; type_id: number } }
  | { Sequence: { id: 'A' | 'B'; type_id: number } };

export interface TemplateProcessingJson {
  type: 'TemplateProcessing';
  single: TemplatePieceJson[];
  pair: TemplatePieceJson[];
  special_tokens: Record<string, { id: string; ids: number[]; tokens: string[] }>;
}

export interface RobertaProcessingJson {
  type: 'RobertaProcessing';
  sep: [string, number];
  cls: [string, number];
  trim_offsets: boolean;
  add_prefix_space: boolean;
}

export type PostProcessorJson = TemplateProcessingJson | RobertaProcessingJson;

export interface BertNormalizerJson {
  type: 'BertNormalizer';
  clean_text: boolean;
  handle_chinese_chars: boolean;
  strip_accents: boolean | null;
  lowercase: boolean;
}

export type NormalizerJson =
  | BertNormalizerJson
  | { type: 'NFKC' | 'NFKD' | 'StripAccents' | 'Lowercase' }
  | { type: 'Sequence'; normalizers: NormalizerJson[] };

/** Shared by the ByteLevel pre-tokenizer and decoder. */
export interface ByteLevelJson {
  type: 'ByteLevel';
  add_prefix_space: boolean;
  trim_offsets: boolean;
  use_regex: boolean;
}

/** Shared by the Metaspace pre-tokenizer and decoder (old and new Rust field names both present). */
export interface MetaspaceJson {
  type: 'Metaspace';
  replacement: string;
  add_prefix_space: boolean;
  prepend_scheme: 'always';
  split: boolean;
}

export type PreTokenizerJson =
  | { type: 'BertPreTokenizer' }
  | { type: 'WhitespaceSplit' }
  | ByteLevelJson
  | MetaspaceJson
  | { type: 'Sequence'; pretokenizers: PreTokenizerJson[] };

export type DecoderJson = { type: 'WordPiece'; prefix: string; cleanup: boolean } | ByteLevelJson | MetaspaceJson;

export interface WordPieceModelJson {
  type: 'WordPiece';
  unk_token: string;
  continuing_subword_prefix: string;
  max_input_chars_per_word: number;
  vocab: Record<string, number>;
}

export interface BpeModelJson {
  type: 'BPE';
  dropout: null;
  unk_token: string | null;
  continuing_subword_prefix: null;
  end_of_word_suffix: null;
  fuse_unk: boolean;
  byte_fallback: boolean;
  ignore_merges: boolean;
  vocab: Record<string, number>;
  /** "left right" strings: the format every version of the Rust crate reads (no token has a space). */
  merges: string[];
}

export type ModelJson = WordPieceModelJson | BpeModelJson;

export interface TokenizerJson<Model extends ModelJson = ModelJson> {
  version: '1.0';
  truncation: null;
  padding: null;
  added_tokens: AddedTokenJson[];
  normalizer: NormalizerJson | null;
  pre_tokenizer: PreTokenizerJson | null;
  post_processor: PostProcessorJson | null;
  decoder: DecoderJson | null;
  model: Model;
}

/** Hugging Face template syntax, e.g. single "[CLS]:0 $A:0 [SEP]:0"; `:n` is the type id (default 0). */
export interface TemplateStrings {
  type: 'template';
  single: string;
  pair: string;
}

/** How special tokens are added around the text(s). */
export type TemplateSpec = { type: 'none' } | { type: 'roberta'; cls: string; sep: string } | TemplateStrings;

export const BERT_TEMPLATE: TemplateStrings = {
  type: 'template',
  single: '[CLS]:0 $A:0 [SEP]:0',
  pair: '[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1',
};

/** A special added token as Hugging Face writes it (RoBERTa's <mask> also eats the space before it). */
export function specialAddedToken(content: string, id: number): AddedTokenJson {
  return { id, content, single_word: false, lstrip: content === '<mask>', rstrip: false, normalized: false, special: true };
}

/** The added_tokens list for `names` that `vocab` contains, by id. */
export function specialAddedTokens(names: Iterable<string>, vocab: Readonly<Record<string, number>>): AddedTokenJson[] {
  const out: AddedTokenJson[] = [];
  for (const name of new Set(names)) {
    const id = Object.hasOwn(vocab, name) ? vocab[name] : undefined;
    if (id !== undefined) out.push(specialAddedToken(name, id));
  }
  return out.sort((x, y) => x.id - y.id);
}

function parseTemplate(template: string): TemplatePieceJson[] {
  return template.split(/\s+/).filter(Boolean).map((piece) => {
    const m = /^(.*?)(?::(\d+))?$/.exec(piece);
    const [name, typeId] = [m?.[1] ?? piece, Number(m?.[2] ?? 0)];
    if (name === '$A' || name === '$B') return { Sequence: { id: name === '$A' ? 'A' : 'B', type_id: typeId } };
    return { SpecialToken: { id: name, type_id: typeId } };
  });
}

/**
 * The post-processor for `spec`; `idOf` gives each special token's id (throw if it has none).
 * Returns null for 'none' (no special tokens, like Hugging Face GPT-2).
 */
export function postProcessorJson(spec: TemplateSpec, idOf: (token: string) => number): PostProcessorJson | null {
  if (spec.type === 'none') return null;
  if (spec.type === 'roberta') {
    return { type: 'RobertaProcessing', sep: [spec.sep, idOf(spec.sep)], cls: [spec.cls, idOf(spec.cls)], trim_offsets: true, add_prefix_space: false };
  }
  return templateProcessingJson(spec, idOf);
}

export function templateProcessingJson(spec: TemplateStrings, idOf: (token: string) => number): TemplateProcessingJson {
  const single = parseTemplate(spec.single);
  const pair = parseTemplate(spec.pair);
  const special_tokens: TemplateProcessingJson['special_tokens'] = {};
  for (const piece of [...single, ...pair]) {
    if (!('SpecialToken' in piece)) continue;
    const id = piece.SpecialToken.id;
    special_tokens[id] = { id, ids: [idOf(id)], tokens: [id] };
  }
  return { type: 'TemplateProcessing', single, pair, special_tokens };
}

/** A vocabulary lookup for `postProcessorJson` that throws `makeError(token)` for a missing token. */
export function vocabLookup(vocab: Readonly<Record<string, number>>, makeError: (token: string) => Error): (token: string) => number {
  return (token) => {
    const id = Object.hasOwn(vocab, token) ? vocab[token] : undefined;
    if (id === undefined) throw makeError(token);
    return id;
  };
}

/** The special tokens a post-processor puts before segment A, between A and B (pair), and after A (single). */
export function postProcessorTokens(processor: unknown): { leading: string[]; between: string[]; trailing: string[] } {
  const out = { leading: [] as string[], between: [] as string[], trailing: [] as string[] };
  if (!isRecord(processor)) return out;
  const type = processor['type'];
  if (type === 'BertProcessing' || type === 'RobertaProcessing') {
    const first = (x: unknown): string[] => (Array.isArray(x) && typeof x[0] === 'string' ? [x[0]] : []);
    const sep = first(processor['sep']);
    return { leading: first(processor['cls']), between: type === 'RobertaProcessing' ? [...sep, ...sep] : sep, trailing: sep };
  }
  if (type === 'Sequence') {
    const parts = Array.isArray(processor['processors']) ? processor['processors'].map(postProcessorTokens) : [];
    for (const p of parts) (['leading', 'between', 'trailing'] as const).forEach((k) => out[k].push(...p[k]));
    return out;
  }
  if (type !== 'TemplateProcessing') return out;
  const specials = (pieces: unknown, from: 'A' | 'B' | null, to: 'A' | 'B' | null): string[] => {
    const list = Array.isArray(pieces) ? pieces.filter(isRecord) : [];
    let inside = from === null;
    const found: string[] = [];
    for (const p of list) {
      const seq = p['Sequence'];
      if (isRecord(seq)) {
        if (seq['id'] === to) break;
        if (seq['id'] === from) inside = true;
        continue;
      }
      const special = p['SpecialToken'];
      if (inside && isRecord(special) && typeof special['id'] === 'string') found.push(special['id']);
    }
    return found;
  };
  return {
    leading: specials(processor['single'], null, 'A'),
    between: specials(processor['pair'], 'A', 'B'),
    trailing: specials(processor['single'], 'A', null),
  };
}

/** The post-processor's type and, for a Sequence, those of its parts. */
export function postProcessorTypes(processor: unknown): string[] {
  if (!isRecord(processor)) return [];
  const parts = Array.isArray(processor['processors']) ? processor['processors'].flatMap(postProcessorTypes) : [];
  return [String(processor['type']), ...parts];
}

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
