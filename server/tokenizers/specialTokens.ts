/**
 * Finds a tokenizer's special token ids (pad, unk, cls, sep, mask, bos, eos) from its
 * tokenizer.json: the model's unk token, the post-processor's template and the usual names.
 */
import { UserError } from '../errors';
import { isRecord, postProcessorTokens } from './tokenizerJson';

export interface SpecialTokens {
  /** The padding id; the eos id where the tokenizer has no padding token (GPT-2). */
  readonly pad: number;
  readonly unk: number | null;
  readonly cls: number | null;
  readonly sep: number | null;
  readonly mask: number | null;
  readonly bos: number | null;
  readonly eos: number | null;
}

export type SpecialRole = keyof SpecialTokens;

/** The names looked for, in order, per role. */
export const SPECIAL_NAMES: Readonly<Record<SpecialRole, readonly string[]>> = {
  pad: ['[PAD]', '<pad>', '<|pad|>', '<|padding|>'],
  unk: ['[UNK]', '<unk>', '<|endoftext|>'],
  cls: ['[CLS]', '<s>', '<cls>'],
  sep: ['[SEP]', '</s>', '<sep>'],
  mask: ['[MASK]', '<mask>'],
  bos: ['<s>', '<bos>', '<|endoftext|>', '<|begin_of_text|>'],
  eos: ['</s>', '<eos>', '<|endoftext|>', '<|end_of_text|>'],
};

/**
 * The special token ids of a checked tokenizer.json; `idOf` looks a token up in the loaded
 * vocabulary. UserError (naming `source`) when a template token is missing or nothing can pad.
 */
export function findSpecialTokens(
  json: Readonly<Record<string, unknown>>,
  idOf: (token: string) => number | undefined,
  source: string,
): SpecialTokens {
  const byName = (role: SpecialRole): number | null => {
    for (const name of SPECIAL_NAMES[role]) {
      const id = idOf(name);
      if (id !== undefined) return id;
    }
    return null;
  };
  const template = postProcessorTokens(json['post_processor']);
  for (const token of [...template.leading, ...template.between, ...template.trailing]) {
    if (idOf(token) === undefined) {
      throw new UserError(`${source}: its post-processor adds the token ${token}, which is not in the vocabulary. Add it to the vocabulary or fix the post-processor.`);
    }
  }
  const templateId = (token: string | undefined): number | null => (token === undefined ? null : idOf(token) ?? null);
  const hasTemplate = template.leading.length + template.between.length + template.trailing.length > 0;
  // With a template, cls/sep are the tokens it puts first / after segment A; otherwise by name.
  const cls = hasTemplate ? templateId(template.leading[0]) : byName('cls');
  const sep = hasTemplate ? templateId(template.between[0] ?? template.trailing.at(-1)) : byName('sep');
  const eos = byName('eos');
  const pad = byName('pad') ?? eos;
  if (pad === null) {
    const names = [...SPECIAL_NAMES.pad, ...SPECIAL_NAMES.eos].join(', ');
    throw new UserError(`${source} has no padding token and no end-of-text token to pad with (looked for ${names}). Add one of them to the vocabulary and to "added_tokens".`);
  }
  return { pad, unk: modelUnk(json['model'], idOf) ?? byName('unk'), cls, sep, mask: byName('mask'), bos: byName('bos'), eos };
}

/** The model's own unknown token: `unk_token` (WordPiece, BPE) or `unk_id` (Unigram). */
function modelUnk(model: unknown, idOf: (token: string) => number | undefined): number | null {
  if (!isRecord(model)) return null;
  if (typeof model['unk_token'] === 'string') return idOf(model['unk_token']) ?? null;
  return typeof model['unk_id'] === 'number' ? model['unk_id'] : null;
}
