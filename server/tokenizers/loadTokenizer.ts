/**
 * Loads the tokenizer of a Hugging Face model folder: tokenizer.json, else vocab.txt (WordPiece),
 * else vocab.json + merges.txt (byte-level BPE), building the equivalent tokenizer.json in memory.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors';
import { TextTokenizer } from './textTokenizer';
import { byteLevelBpeJson } from './trainBpe';
import { wordPieceTokenizerJson } from './trainWordPiece';
import { GPT2_EOS, ROBERTA_SPECIALS } from './trainTokenizers';
import { isRecord, type TemplateSpec } from './tokenizerJson';

const SENTENCEPIECE_FILES = ['spiece.model', 'sentencepiece.bpe.model', 'tokenizer.model'];

/**
 * The tokenizer in `dir`. `modelType` (Hugging Face model_type, e.g. "gpt2", "roberta"; default:
 * config.json's) picks the template for vocab.json + merges.txt: none for GPT-2, <s> … </s> for
 * RoBERTa; without either the vocabulary decides (<s> and </s> present: RoBERTa).
 */
export async function loadTokenizerFromFolder(dir: string, modelType?: string): Promise<TextTokenizer> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`Tokenizer folder not found: ${dir}. Check the path (give the model folder that holds tokenizer.json).`);
  const has = (name: string): boolean => existsSync(join(dir, name));
  if (has('tokenizer.json')) return TextTokenizer.fromFile(join(dir, 'tokenizer.json'));
  const config = await readOptionalJson(join(dir, 'tokenizer_config.json'));
  if (has('vocab.txt')) return loadWordPiece(join(dir, 'vocab.txt'), config);
  if (has('vocab.json') && has('merges.txt')) {
    const type = modelType ?? stringField(await readOptionalJson(join(dir, 'config.json')), 'model_type');
    const specialsMap = await readOptionalJson(join(dir, 'special_tokens_map.json'));
    return loadByteLevelBpe(dir, type, { ...specialsMap, ...config });
  }
  if (has('vocab.json')) throw new UserError(`${dir} has vocab.json but no merges.txt; a byte-level BPE tokenizer needs both. Copy merges.txt from the original model.`);
  const sentencePiece = SENTENCEPIECE_FILES.find(has);
  if (sentencePiece !== undefined) {
    throw new UserError(
      `${dir} has only a SentencePiece model (${sentencePiece}); SentencePiece .model files are not supported. ` +
        'Save the tokenizer with a fast tokenizer, which writes tokenizer.json: ' +
        'AutoTokenizer.from_pretrained(dir).save_pretrained(dir).',
    );
  }
  throw new UserError(
    `${dir} has no tokenizer: looked for tokenizer.json, vocab.txt (WordPiece) and vocab.json + merges.txt (byte-level BPE). ` +
      'Save the tokenizer next to the model: AutoTokenizer.from_pretrained(name).save_pretrained(dir).',
  );
}

async function loadWordPiece(path: string, config: Record<string, unknown>): Promise<TextTokenizer> {
  const lines = (await readText(path)).split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const vocab: Record<string, number> = {};
  lines.forEach((line, i) => (vocab[line.trimEnd()] = i));
  const json = wordPieceTokenizerJson(
    vocab,
    {
      lowercase: booleanField(config, 'do_lower_case') ?? true,
      stripAccents: booleanField(config, 'strip_accents') ?? null,
      handleChineseChars: booleanField(config, 'tokenize_chinese_chars') ?? true,
    },
    (token) => new UserError(`${path} has no ${token} token; a BERT vocabulary needs [UNK], [CLS] and [SEP].`),
  );
  return TextTokenizer.fromJson(json, path);
}

async function loadByteLevelBpe(dir: string, modelType: string | undefined, config: Record<string, unknown>): Promise<TextTokenizer> {
  const vocabPath = join(dir, 'vocab.json');
  const mergesPath = join(dir, 'merges.txt');
  const vocab = parseVocabJson(await readText(vocabPath), vocabPath);
  const merges = parseMerges(await readText(mergesPath), mergesPath, vocab);
  const has = (t: string): boolean => Object.hasOwn(vocab, t);
  const roberta = modelType === 'roberta' || (modelType !== 'gpt2' && has('<s>') && has('</s>'));
  const template: TemplateSpec = roberta ? { type: 'roberta', cls: '<s>', sep: '</s>' } : { type: 'none' };
  const configured = Object.keys(config).filter((k) => k.endsWith('_token')).map((k) => tokenField(config[k]));
  const specials = [...ROBERTA_SPECIALS, GPT2_EOS, ...configured.filter((t): t is string => t !== undefined)];
  const missing = (t: string): UserError => new UserError(`${vocabPath} has no ${t} token, which a RoBERTa tokenizer needs.`);
  const json = byteLevelBpeJson(vocab, merges, specials, { template, addPrefixSpace: booleanField(config, 'add_prefix_space') ?? false }, missing);
  return TextTokenizer.fromJson(json, vocabPath);
}

function parseVocabJson(text: string, path: string): Record<string, number> {
  const vocab = parseJson(text, path);
  const ok = isRecord(vocab) && Object.values(vocab).every((id) => Number.isInteger(id) && (id as number) >= 0);
  if (!ok) throw new UserError(`${path} is not a vocab.json: expected an object mapping each token to its id.`);
  return vocab as Record<string, number>;
}

/** merges.txt: an optional "#version" line, then "left right" per line, in rank order. */
function parseMerges(text: string, path: string, vocab: Readonly<Record<string, number>>): string[] {
  const merges: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line === '' || (i === 0 && line.startsWith('#version'))) return;
    const parts = line.split(' ');
    const [left, right] = parts;
    if (parts.length !== 2 || !left || !right) {
      throw new UserError(`${path} line ${i + 1} is not a merge ("left right"): ${JSON.stringify(line)}`);
    }
    const absent = [left, right, left + right].find((t) => !Object.hasOwn(vocab, t));
    if (absent !== undefined) throw new UserError(`${path} line ${i + 1} uses ${absent}, which vocab.json does not have.`);
    merges.push(line);
  });
  return merges;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new UserError(`Cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UserError(`${path} is not valid JSON (${err instanceof Error ? err.message : String(err)}). Restore it from the original model.`);
  }
}

/** A JSON object file that may be absent ({} then). */
async function readOptionalJson(path: string): Promise<Record<string, unknown>> {
  if (!existsSync(path)) return {};
  const json = parseJson(await readText(path), path);
  if (!isRecord(json)) throw new UserError(`${path} is not a JSON object. Restore it from the original model.`);
  return json;
}

function booleanField(o: Record<string, unknown>, key: string): boolean | undefined {
  const v = o[key];
  return typeof v === 'boolean' ? v : undefined;
}

function stringField(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

/** A special token entry of tokenizer_config.json: "<s>" or { "content": "<s>", … }. */
function tokenField(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  return isRecord(v) ? stringField(v, 'content') : undefined;
}
