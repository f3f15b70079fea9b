/**
 * On-disk cache of extracted features, `<runsDir>/../cache/features/<key>.safetensors`: the key
 * is a SHA-256 of everything the features depend on — the model (folder path, config.json and
 * weight files' size and mtime; or preset, seed and tokenizer), the dataset file (path, size,
 * mtime), its columns (a pair's second one too), maxLength and pooling — so a second run over the same data skips the encoder.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { encodeSafetensors, readSafetensors } from '../../checkpoints/safetensors';
import { writeFileAtomic } from '../../checkpoints/atomicWrite';
import type { TextTokenizer } from '../../tokenizers/textTokenizer';
import type { Pooling } from './featureExtraction';

/** Bumped when the extraction changes in a way the key does not capture. */
const CACHE_FORMAT = 1;

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function featureCacheDir(runsDir: string): string {
  return join(dirname(resolve(runsDir)), 'cache', 'features');
}

async function fileIdentity(path: string): Promise<{ path: string; size: number; mtimeMs: number }> {
  const s = await stat(path);
  return { path: resolve(path), size: s.size, mtimeMs: s.mtimeMs };
}

/** What identifies the encoder's weights: a folder's files, or (from scratch) the model spec, the seed and the tokenizer. */
export async function modelIdentity(modelSpec: string, fromScratch: boolean, seed: number, tokenizer: TextTokenizer): Promise<unknown> {
  if (fromScratch) return { scratch: modelSpec, seed, tokenizer: sha256(JSON.stringify(tokenizer.toJSON())) };
  const weightFiles = (await readdir(modelSpec)).filter((f) => f.endsWith('.safetensors') || f === 'model.safetensors.index.json').sort();
  return {
    folder: resolve(modelSpec),
    config: sha256(await readFile(join(modelSpec, 'config.json'), 'utf8')),
    weights: await Promise.all(weightFiles.map((f) => fileIdentity(join(modelSpec, f)))),
  };
}

export interface FeatureKeyParts {
  readonly model: unknown;
  readonly dataset: string;
  readonly textColumn: string;
  readonly labelColumn: string;
  readonly maxLength: number;
  readonly pooling: Pooling;
  /** A text pair's second column; absent for single texts (so their keys stay as they were). */
  readonly pairColumn?: string;
  /** The seeded sample read of a file too large to hold whole; absent when it was read whole. */
  readonly sample?: { readonly rows: number; readonly seed: number };
}

export async function featureCacheKey(parts: FeatureKeyParts): Promise<string> {
  const { dataset, ...rest } = parts;
  return sha256(JSON.stringify({ format: CACHE_FORMAT, ...rest, dataset: await fileIdentity(dataset) }));
}

/** Cached features [rows, width], or null when absent or of another shape. */
export async function readCachedFeatures(dir: string, key: string, rows: number, width: number): Promise<Float32Array | null> {
  const path = join(dir, `${key}.safetensors`);
  if (!existsSync(path)) return null;
  try {
    const t = (await readSafetensors(path)).get('features');
    return t !== undefined && t.shape[0] === rows && t.shape[1] === width ? t.data : null;
  } catch {
    return null; // a damaged cache entry is recomputed
  }
}

export async function writeCachedFeatures(dir: string, key: string, features: Float32Array, rows: number, width: number): Promise<void> {
  const body = encodeSafetensors(new Map([['features', { shape: [rows, width], data: features }]]), { format: 'pt', key });
  await writeFileAtomic(join(dir, `${key}.safetensors`), body);
}
