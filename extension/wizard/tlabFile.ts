// `*.tlab.json` run configuration files: the name beside a dataset, the JSON written (paths
// inside the file's folder made relative, so the folder can move), and parsing one back with a
// message that names the file, line and column. Pure (node:path only), unit-tested.
import * as path from 'node:path';
import type { FineTuneConfig } from '../../server/protocol';

export const TLAB_SUFFIX = '.tlab.json';

/** `/data/sms_spam.csv` → `/data/sms_spam.tlab.json` */
export function tlabPathFor(dataset: string): string {
  return path.join(path.dirname(dataset), `${path.basename(dataset, path.extname(dataset))}${TLAB_SUFFIX}`);
}

export function isTlabPath(p: string): boolean {
  return p.toLowerCase().endsWith(TLAB_SUFFIX);
}

/** Keys first in the file: what a person edits most. The rest follow in the server's order. */
const LEADING_KEYS: readonly (keyof FineTuneConfig)[] = [
  'dataset', 'task', 'textColumn', 'textPairColumn', 'labelColumn', 'targetColumn', 'model', 'fromScratch', 'strategy', 'epochs', 'batchSize', 'learningRate', 'maxLength',
];
const PATH_KEYS: readonly (keyof FineTuneConfig)[] = ['dataset', 'valDataset', 'probe', 'model'];

/** `p` relative to `dir` ("./x.csv") when it lies inside it; otherwise unchanged. */
function portable(p: string, dir: string): string {
  if (!path.isAbsolute(p)) return p;
  const rel = path.relative(dir, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? `./${rel.split(path.sep).join('/')}` : p;
}

/** The file's text: every key of the resolved config, paths inside `fileDir` relative to it. */
export function toTlabJson(config: FineTuneConfig, fileDir: string): string {
  const entries = Object.entries(config) as [keyof FineTuneConfig, unknown][];
  const ordered = [
    ...LEADING_KEYS.flatMap((k) => entries.filter(([key]) => key === k)),
    ...entries.filter(([key]) => !LEADING_KEYS.includes(key)),
  ].map(([key, value]) => [key, PATH_KEYS.includes(key) && typeof value === 'string' ? portable(value, fileDir) : value]);
  return `${JSON.stringify(Object.fromEntries(ordered), null, 2)}\n`;
}

/** A user error about a *.tlab.json file; the message names the file and the fix. */
export class TlabFileError extends Error {}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/** Parses a file's text into the partial config RunStart takes; the server checks every value. */
export function parseTlabJson(text: string, fileName: string): Record<string, unknown> & { readonly dataset: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = /position (\d+)/.exec(message);
    const where = at !== null ? (({ line, column }) => ` at line ${line}, column ${column}`)(lineColumn(text, Number(at[1]))) : '';
    // V8 words it as "… in JSON at position N" or "Unexpected token '}', "<the text>" is not valid JSON".
    const short = message.replace(/ in JSON at position \d+[^]*$/, '').replace(/, "[^]*" is not valid JSON$/, '').replace(/\s+/g, ' ');
    throw new TlabFileError(`${fileName} is not valid JSON${where} (${short}). Fix it (the editor marks the spot) and run again.`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TlabFileError(`${fileName} must hold one JSON object of run settings ({"dataset": "./train.csv", …}).`);
  }
  const record = json as Record<string, unknown>;
  if (typeof record['dataset'] !== 'string' || record['dataset'] === '') {
    throw new TlabFileError(`${fileName} has no "dataset". Add "dataset": "./your-data.csv" (a path relative to this file, or absolute).`);
  }
  return record as Record<string, unknown> & { readonly dataset: string };
}
