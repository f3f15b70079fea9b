// Test helper: checks a tokenizer.json against what Hugging Face's Rust `tokenizers` requires to
// deserialize it (required fields per component, as in its serde definitions) and BPE's build checks.
import assert from 'node:assert/strict';

type Json = Record<string, unknown>;

const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const isPair = (x: unknown): boolean => Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && Number.isInteger(x[1]);

function need(o: Json, where: string, fields: Record<string, (v: unknown) => boolean>): void {
  for (const [key, ok] of Object.entries(fields)) {
    assert.ok(key in o && ok(o[key]), `${where}.${key} is missing or malformed: ${JSON.stringify(o[key])}`);
  }
}

const bool = (v: unknown): boolean => typeof v === 'boolean';
const str = (v: unknown): boolean => typeof v === 'string';
const list = (v: unknown): boolean => Array.isArray(v);

function checkComponent(c: unknown, where: string): void {
  if (c === null) return;
  assert.ok(isObject(c), `${where} is not an object`);
  switch (c['type']) {
    case 'ByteLevel':
      return need(c, where, { add_prefix_space: bool, trim_offsets: bool, use_regex: bool });
    case 'Metaspace':
      // add_prefix_space for Rust < 0.15 (required there), prepend_scheme/split for newer versions.
      need(c, where, { replacement: (v) => typeof v === 'string' && [...v].length === 1, add_prefix_space: bool, split: bool });
      return assert.ok(['first', 'never', 'always'].includes(String(c['prepend_scheme'])), `${where}.prepend_scheme`);
    case 'Sequence': {
      const key = ['normalizers', 'pretokenizers', 'processors', 'decoders'].find((k) => k in c) ?? 'normalizers';
      need(c, where, { [key]: list });
      return (c[key] as unknown[]).forEach((x, i) => checkComponent(x, `${where}.${key}[${i}]`));
    }
    case 'BertNormalizer':
      return need(c, where, { clean_text: bool, handle_chinese_chars: bool, lowercase: bool });
    case 'RobertaProcessing':
      return need(c, where, { sep: isPair, cls: isPair, trim_offsets: bool, add_prefix_space: bool });
    case 'TemplateProcessing':
      return need(c, where, { single: list, pair: list, special_tokens: isObject });
    case 'WordPiece':
      return need(c, where, { prefix: str, cleanup: bool });
    case 'NFKC': case 'NFKD': case 'StripAccents': case 'Lowercase': case 'BertPreTokenizer': case 'WhitespaceSplit':
      return;
    default:
      assert.fail(`${where}: unexpected type ${String(c['type'])}`);
  }
}

/** The template's special tokens must be declared with ids matching the vocabulary. */
function checkTemplate(p: unknown, vocab: Json): void {
  if (!isObject(p) || p['type'] !== 'TemplateProcessing') return;
  const specials = p['special_tokens'] as Record<string, { id: string; ids: number[]; tokens: string[] }>;
  const pieces = [...(p['single'] as Json[]), ...(p['pair'] as Json[])];
  assert.ok(pieces.some((x) => isObject(x['Sequence']) && x['Sequence']['id'] === 'A'), 'template has $A');
  assert.ok((p['pair'] as Json[]).some((x) => isObject(x['Sequence']) && x['Sequence']['id'] === 'B'), 'pair template has $B');
  for (const piece of pieces) {
    const s = piece['SpecialToken'];
    if (!isObject(s)) continue;
    const declared = specials[String(s['id'])];
    assert.ok(declared !== undefined, `special token ${String(s['id'])} is declared`);
    assert.deepEqual(declared.ids, declared.tokens.map((t) => vocab[t]), `ids of ${declared.id}`);
  }
}

/** Asserts `json` is a tokenizer.json the Rust crate would load. */
export function assertRustLoadable(json: unknown): void {
  assert.ok(isObject(json));
  assert.equal(json['version'], '1.0');
  for (const key of ['truncation', 'padding', 'normalizer', 'pre_tokenizer', 'post_processor', 'decoder']) assert.ok(key in json, key);
  const model = json['model'];
  assert.ok(isObject(model) && isObject(model['vocab']));
  const vocab = model['vocab'];
  for (const t of json['added_tokens'] as Json[]) {
    need(t, 'added_token', { id: Number.isInteger, content: str, single_word: bool, lstrip: bool, rstrip: bool, normalized: bool, special: bool });
    assert.equal(vocab[String(t['content'])], t['id'], `added token ${String(t['content'])} has its vocabulary id`);
  }
  ['normalizer', 'pre_tokenizer', 'post_processor', 'decoder'].forEach((k) => checkComponent(json[k], k));
  checkTemplate(json['post_processor'], vocab);
  const ids = Object.values(vocab).sort((a, b) => Number(a) - Number(b));
  assert.deepEqual(ids, ids.map((_, i) => i), 'vocabulary ids are 0..n-1');
  if (model['type'] === 'WordPiece') {
    need(model, 'model', { unk_token: str, continuing_subword_prefix: str, max_input_chars_per_word: Number.isInteger });
    return;
  }
  assert.equal(model['type'], 'BPE');
  need(model, 'model', { merges: list, fuse_unk: bool, byte_fallback: bool, ignore_merges: bool });
  assert.ok(model['unk_token'] === null || vocab[String(model['unk_token'])] !== undefined, 'unk_token is in the vocabulary');
  for (const m of model['merges'] as unknown[]) {
    const parts = String(m).split(' ');
    assert.equal(parts.length, 2, `merge ${String(m)} has one space`);
    for (const t of [parts[0], parts[1], parts.join('')]) assert.ok(vocab[t ?? ''] !== undefined, `merge ${String(m)}: ${t} in vocab`);
  }
}
