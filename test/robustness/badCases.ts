/**
 * The bad-input corpus (test/fixtures/bad/cases.json) for the CLI and protocol robustness tests:
 * the manifest, validated, and the generators that write binary or large cases at test time.
 */
import { chmodSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync, statSync, openSync, writeSync, closeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeHfCheckpoint } from '../helpers/hfCheckpoints';

export const ROOT = resolve(__dirname, '..', '..');
export const BAD_DIR = join(ROOT, 'test', 'fixtures', 'bad');
export const CLI = join(ROOT, 'dist', 'cli.js');
/** The dataset of config and checkpoint cases: small, clean, two labels. */
export const GOOD_DATASET = join(ROOT, 'test', 'fixtures', 'datasets', 'tiny-sentiment.csv');
/** A stack frame as Node prints it ("    at fn (file.js:12:5)"): never shown to users. */
export const STACK_FRAME = /\s+at\s.+:\d+:\d+/;
/** Rows of the "two million rows" case. */
export const TWO_MILLION = 2_000_000;

export type CaseKind = 'dataset' | 'checkpoint' | 'config';

export interface BadCase {
  readonly id: string;
  readonly kind: CaseKind;
  /** What is wrong with the input, in words. */
  readonly about: string;
  /** Under test/fixtures/bad/ (datasets: the file; checkpoints: the folder; configs: the dataset, default GOOD_DATASET). */
  readonly path?: string;
  /** A generator below that writes the case into a temp folder at test time (binary or large inputs). */
  readonly generator?: string;
  /** Extra CLI arguments (after `finetune <file>`, or after `info|forward --model <dir>`). */
  readonly args: readonly string[];
  /** The partial run configuration RunStart sends (configs; also merged into dataset and checkpoint runs). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** The one-line message must match this (it names the file and the fix); null: the input must work. */
  readonly expect: string | null;
  /** Datasets: whether DatasetInspect refuses the file ('error') or reads it ('ok', the error comes in the run). */
  readonly inspect?: 'error' | 'ok';
  /** Which layers run the case (default both); protocolRun false: DatasetInspect only, no RunStart. */
  readonly cli?: boolean;
  readonly protocol?: boolean;
  readonly protocolRun?: boolean;
  /** Why a layer is skipped or reduced. */
  readonly note?: string;
  /** A problem in a file this corpus's owner does not own: the case runs as a TODO (in `layers`, default both) until it is fixed. */
  readonly knownIssue?: { readonly why: string; readonly layers?: readonly Layer[] };
}

export type Layer = 'cli' | 'protocol';

/** node:test options for a case in a layer: a TODO while its known issue stands. */
export function caseOptions(c: BadCase, layer: Layer): { todo?: string } {
  const issue = c.knownIssue;
  return issue !== undefined && (issue.layers ?? ['cli', 'protocol']).includes(layer) ? { todo: issue.why } : {};
}

const KINDS: readonly string[] = ['dataset', 'checkpoint', 'config'];

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** One manifest entry, checked field by field (the manifest is data: it arrives as unknown). */
function parseCase(v: unknown, at: number): BadCase {
  const bad = (why: string): Error => new Error(`cases.json entry ${at}: ${why}`);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad('not an object');
  const o = v as Record<string, unknown>;
  const { id, kind, about, path, generator, args, config, expect, inspect, cli, protocol, protocolRun, note, knownIssue } = o;
  if (typeof id !== 'string' || !/^[a-z0-9-]+$/.test(id)) throw bad('id must be kebab-case');
  if (typeof kind !== 'string' || !KINDS.includes(kind)) throw bad(`kind must be one of ${KINDS.join(', ')}`);
  if (typeof about !== 'string' || about === '') throw bad('about must describe the case');
  if (path !== undefined && typeof path !== 'string') throw bad('path must be a string');
  if (generator !== undefined && (typeof generator !== 'string' || !(generator in GENERATORS))) throw bad(`unknown generator ${String(generator)}`);
  if (kind !== 'config' && path === undefined && generator === undefined) throw bad('needs a path or a generator');
  if (!isStringArray(args)) throw bad('args must be a list of strings');
  if (config !== undefined && (typeof config !== 'object' || config === null || Array.isArray(config))) throw bad('config must be an object');
  if (expect !== null && typeof expect !== 'string') throw bad('expect must be a regex string or null');
  if (typeof expect === 'string') new RegExp(expect); // throws on a bad pattern
  if (inspect !== undefined && inspect !== 'error' && inspect !== 'ok') throw bad('inspect must be error or ok');
  if (kind === 'dataset' && inspect === undefined) throw bad('datasets say whether DatasetInspect refuses them');
  for (const [k, x] of Object.entries({ cli, protocol, protocolRun })) if (x !== undefined && typeof x !== 'boolean') throw bad(`${k} must be a boolean`);
  if (note !== undefined && typeof note !== 'string') throw bad('note must be a string');
  if (knownIssue !== undefined) {
    const { why, layers } = (typeof knownIssue === 'object' && knownIssue !== null ? knownIssue : {}) as { why?: unknown; layers?: unknown };
    if (typeof why !== 'string' || why === '') throw bad('knownIssue.why must say what is wrong and where');
    if (layers !== undefined && !(isStringArray(layers) && layers.every((l) => l === 'cli' || l === 'protocol'))) throw bad('knownIssue.layers must list cli and/or protocol');
  }
  return o as unknown as BadCase;
}

export function loadCases(): BadCase[] {
  const json: unknown = JSON.parse(readFileSync(join(BAD_DIR, 'cases.json'), 'utf8'));
  const list = typeof json === 'object' && json !== null ? (json as { cases?: unknown }).cases : undefined;
  if (!Array.isArray(list)) throw new Error('cases.json must hold {"cases": [...]}');
  const cases = list.map(parseCase);
  const ids = new Set(cases.map((c) => c.id));
  if (ids.size !== cases.length) throw new Error('cases.json: ids must be unique');
  return cases;
}

// ─── Generators ────────────────────────────────────────────────────────────────────────────────
// Each writes its case under `dir` (a fresh temp folder) and returns what the case needs.

export interface Generated {
  /** The dataset file or model folder (configs: the dataset, when not GOOD_DATASET). */
  readonly path?: string;
  /** Configs: the runs folder to use instead of a fresh writable one. */
  readonly runsDir?: string;
}

const SENTENCES = ['the trip was lovely', 'the food was cold', 'the staff were kind', 'the room was dark', 'what a fine view', 'the bus was late'];
const labelled = (n: number): string[] => Array.from({ length: n }, (_, i) => `${SENTENCES[i % SENTENCES.length] ?? ''} ${i},${i % 2 === 0 ? 'positive' : 'negative'}`);

/** A tiny BERT classifier folder (config.json, model.safetensors, tokenizer.json), then `breakIt` applied to it. */
function checkpoint(dir: string, breakIt: (ck: string) => void): Generated {
  const ck = join(dir, 'model');
  writeHfCheckpoint(ck, { family: 'bert', head: 'sequence-classification' });
  breakIt(ck);
  return { path: ck };
}

function editConfig(ck: string, edit: (c: Record<string, unknown>) => void): void {
  const file = join(ck, 'config.json');
  const c = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(c);
  writeFileSync(file, JSON.stringify(c, null, 2));
}

/** Rewrites the safetensors JSON header in place (padded with spaces to its old length, as the format allows). */
function editHeader(ck: string, edit: (h: Record<string, Record<string, unknown>>) => unknown): void {
  const file = join(ck, 'model.safetensors');
  const buf = readFileSync(file);
  const length = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + length).toString('utf8')) as Record<string, Record<string, unknown>>;
  const text = JSON.stringify(edit(header) ?? header);
  if (Buffer.byteLength(text) > length) throw new Error('editHeader: the new header is longer than the old one');
  buf.write(text.padEnd(length, ' '), 8, 'utf8');
  writeFileSync(file, buf);
}

/** The first tensor name of the header (sorted, as encodeSafetensors writes them). */
const firstTensor = (h: Record<string, unknown>): string => Object.keys(h).find((k) => k !== '__metadata__') ?? '';

export const GENERATORS: Readonly<Record<string, (dir: string) => Generated>> = {
  // ── datasets ──
  bomCrlf: (dir) => {
    const path = join(dir, 'bom-crlf.csv');
    writeFileSync(path, `\uFEFFtext,label\r\n${labelled(12).join('\r\n')}\r\n`);
    return { path };
  },
  utf16le: (dir) => {
    const path = join(dir, 'utf16le.csv');
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`text,label\n${labelled(6).join('\n')}\n`, 'utf16le')]));
    return { path };
  },
  utf16NoBom: (dir) => {
    const path = join(dir, 'utf16-no-bom.csv');
    writeFileSync(path, Buffer.from(`text,label\n${labelled(6).join('\n')}\n`, 'utf16le'));
    return { path };
  },
  latin1: (dir) => {
    const path = join(dir, 'latin1.csv');
    writeFileSync(path, Buffer.from('text,label\nthe trip was lovely,positive\nthe caf\xe9 was cold,negative\n', 'latin1'));
    return { path };
  },
  zipRenamedCsv: (dir) => {
    // The first bytes of an .xlsx (a ZIP): "PK\3\4", a version, flags with NULs.
    const path = join(dir, 'spreadsheet.csv');
    writeFileSync(path, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), Buffer.from('[Content_Types].xml')]));
    return { path };
  },
  binaryNoNul: (dir) => {
    // Bytes 0x80-0xFF only (as in compressed data): no NUL, never valid UTF-8.
    const path = join(dir, 'image.csv');
    writeFileSync(path, Buffer.from(Array.from({ length: 4096 }, (_, i) => 0x80 + ((i * 37) % 128))));
    return { path };
  },
  thousandsOfLabels: (dir) => {
    const path = join(dir, 'many-labels.csv');
    writeFileSync(path, `text,label\n${Array.from({ length: 3000 }, (_, i) => `${SENTENCES[i % SENTENCES.length] ?? ''} ${i},code-${i}`).join('\n')}\n`);
    return { path };
  },
  longLine: (dir) => {
    // One 10 MB line: a text cell of 2 Mi words between ordinary rows.
    const path = join(dir, 'long-line.csv');
    writeFileSync(path, `text,label\n${labelled(20).join('\n')}\n${'word '.repeat(2 * 2 ** 20)},positive\n${labelled(20).join('\n')}\n`);
    return { path };
  },
  twoMillionRows: (dir) => {
    const path = join(dir, 'two-million-rows.csv');
    const fd = openSync(path, 'w');
    try {
      writeSync(fd, 'text,label\n');
      const block = 100_000;
      for (let start = 0; start < TWO_MILLION; start += block) {
        const lines = Array.from({ length: block }, (_, k) => `${SENTENCES[(start + k) % SENTENCES.length] ?? ''} number ${start + k},${(start + k) % 2 === 0 ? 'positive' : 'negative'}`);
        writeSync(fd, `${lines.join('\n')}\n`);
      }
    } finally {
      closeSync(fd);
    }
    return { path };
  },
  // ── configs ──
  unwritableRunsDir: (dir) => {
    // chmod 555 blocks writes for users, but root (CI containers) writes anyway: then a path
    // under a regular file stands in, which fails for everyone (ENOTDIR).
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    const root = process.getuid?.() === 0;
    if (!root) return { runsDir: join(locked, 'runs') };
    const file = join(dir, 'file.txt');
    writeFileSync(file, 'not a folder\n');
    return { runsDir: join(file, 'runs') };
  },
  dotDotDatasetName: (dir) => {
    // A dataset named "...csv" reached through "sub/..": its stem is "..", which must not become a run id.
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, '...csv'), `text,label\n${labelled(12).join('\n')}\n`);
    return { path: join(dir, 'sub', '..', '...csv') };
  },
  // ── checkpoints ──
  ckTruncatedSafetensors: (dir) => checkpoint(dir, (ck) => {
    const file = join(ck, 'model.safetensors');
    truncateSync(file, statSync(file).size - 1000);
  }),
  ckHeaderPastEnd: (dir) => checkpoint(dir, (ck) => {
    const file = join(ck, 'model.safetensors');
    const buf = readFileSync(file);
    buf.writeBigUInt64LE(BigInt(buf.length * 2), 0);
    writeFileSync(file, buf);
  }),
  ckHeaderNotJson: (dir) => checkpoint(dir, (ck) => {
    const file = join(ck, 'model.safetensors');
    const buf = readFileSync(file);
    buf.write('{oops', 8, 'utf8');
    writeFileSync(file, buf);
  }),
  ckTinyFile: (dir) => checkpoint(dir, (ck) => writeFileSync(join(ck, 'model.safetensors'), Buffer.from([1, 2, 3]))),
  ckUnsupportedDtype: (dir) => checkpoint(dir, (ck) => editHeader(ck, (h) => void ((h[firstTensor(h)] ?? {})['dtype'] = 'I64'))),
  ckHeaderEntryNull: (dir) => checkpoint(dir, (ck) => editHeader(ck, (h) => ({ ...h, [firstTensor(h)]: null }))),
  ckReversedOffsets: (dir) => checkpoint(dir, (ck) => editHeader(ck, (h) => void ((h[firstTensor(h)] ?? {})['data_offsets'] = [8, 4]))),
  ckShapeMismatch: (dir) => checkpoint(dir, (ck) => editConfig(ck, (c) => (c['hidden_size'] = 48))),
  ckConfigMissingKeys: (dir) => checkpoint(dir, (ck) => editConfig(ck, (c) => {
    delete c['hidden_size'];
    delete c['num_attention_heads'];
  })),
  ckUnknownModelType: (dir) => checkpoint(dir, (ck) => editConfig(ck, (c) => (c['model_type'] = 'llama'))),
  ckNoModelType: (dir) => checkpoint(dir, (ck) => editConfig(ck, (c) => delete c['model_type'])),
  ckConfigNotJson: (dir) => checkpoint(dir, (ck) => writeFileSync(join(ck, 'config.json'), '{"model_type": "bert",\n')),
  ckHeadsDoNotDivide: (dir) => checkpoint(dir, (ck) => editConfig(ck, (c) => (c['num_attention_heads'] = 5))),
  ckMalformedTokenizer: (dir) => checkpoint(dir, (ck) => writeFileSync(join(ck, 'tokenizer.json'), '{"model": {"type": "WordPiece", "vocab": {')),
  ckTokenizerWithoutModel: (dir) => checkpoint(dir, (ck) => writeFileSync(join(ck, 'tokenizer.json'), '{"version": "1.0", "added_tokens": []}')),
  ckNoTokenizer: (dir) => checkpoint(dir, (ck) => rmSync(join(ck, 'tokenizer.json'))),
  ckPickleOnly: (dir) => checkpoint(dir, (ck) => {
    rmSync(join(ck, 'model.safetensors'));
    writeFileSync(join(ck, 'pytorch_model.bin'), Buffer.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x2e])); // pickle: PROTO 2, EMPTY_DICT, STOP
  }),
  ckShardOutsideFolder: (dir) => checkpoint(dir, (ck) => {
    rmSync(join(ck, 'model.safetensors'));
    writeFileSync(join(ck, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { 'bert.pooler.dense.weight': '../../outside.safetensors' } }));
  }),
  ckMissingFolder: (dir) => ({ path: join(dir, 'no-such-model') }),
};

/** Generated inputs of this process by generator name: each is written once (the 70 MB file too). */
const generated = new Map<string, Generated>();

/** Writes the case's generated input under `dir` (once per generator and process), or resolves its fixture path. */
export function materialize(c: BadCase, dir: string): Generated {
  if (c.generator !== undefined) {
    const generate = GENERATORS[c.generator];
    if (generate === undefined) throw new Error(`no generator ${c.generator}`);
    const out = generated.get(c.generator) ?? generate(dir);
    generated.set(c.generator, out);
    return { ...out, ...(out.path === undefined && c.path !== undefined ? { path: join(BAD_DIR, c.path) } : {}) };
  }
  return c.path === undefined ? {} : { path: join(BAD_DIR, c.path) };
}

/** The lines of a process's stderr, without a trailing empty line. */
export function stderrLines(stderr: string): string[] {
  const trimmed = stderr.replace(/\n$/, '');
  return trimmed === '' ? [] : trimmed.split('\n');
}
