/**
 * The forgetting probe's inputs: a fixed small set of general-text sentences, tokenized, padded
 * into batches once per run, with the token positions whose vectors feed CKA chosen up front.
 */
import { tf } from '../backend/tf';
import type { ModelInputs } from '../models/modelIo';
import { UserError } from '../errors';

export interface ProbeConfig {
  /** Sentences used; the first ones of the probe corpus. */
  readonly maxSentences: number;
  /** Tokens per sentence after truncation, special tokens included. */
  readonly maxTokens: number;
  /** Token vectors per layer kept for CKA (evenly spaced over all real tokens). */
  readonly maxVectors: number;
  /** Sentences per forward pass. */
  readonly batchSize: number;
}

export const DEFAULT_PROBE_CONFIG: ProbeConfig = Object.freeze({
  maxSentences: 16, // attention maps of every layer and head are kept on the CPU: 16·heads·T² floats per layer
  maxTokens: 64,
  maxVectors: 1024, // 16 × 64: every real token; CKA costs n·d² per layer
  batchSize: 16, // one forward pass for the whole probe
});

/** Merges a partial config into a copy of the defaults and checks every value. */
export function resolveProbeConfig(partial: Partial<ProbeConfig> = {}): ProbeConfig {
  const c = { ...DEFAULT_PROBE_CONFIG, ...partial };
  const check = (key: keyof ProbeConfig, lo: number, hi: number): void => {
    const v = c[key];
    if (!(Number.isInteger(v) && v >= lo && v <= hi)) throw new UserError(`Forgetting probe: ${key} must be an integer in [${lo}, ${hi}], got ${JSON.stringify(v)}.`);
  };
  check('maxSentences', 1, 64);
  check('maxTokens', 2, 512);
  check('maxVectors', 2, 4096);
  check('batchSize', 1, 64);
  return c;
}

/** The part of TextTokenizer the probe uses. */
export interface ProbeTokenizer {
  encode(text: string): { readonly ids: readonly number[] };
  readonly padId: number;
}

/** The part of a model's config the probe needs (T5 gets a one-token decoder input). */
export interface ProbeModelConfig {
  readonly numDecoderLayers: number;
  readonly decoderStartTokenId: number;
}

export interface ProbeBatch {
  /** Right-padded ids and mask [B, T]; T5 also decoder ids [B, 1]. */
  readonly inputs: ModelInputs;
  /** Real tokens per sentence. */
  readonly lengths: readonly number[];
  readonly seqLength: number;
  /** Rows b·T + t of the flattened [B·T, H] hidden states sampled for CKA (all real tokens). */
  readonly sampleRows: Int32Array;
}

export interface ForgettingProbe {
  readonly batches: readonly ProbeBatch[];
}

/** Keeps the first maxTokens − 1 ids and the last one (the closing special token, if any). */
function clip(ids: readonly number[], maxTokens: number): number[] {
  return ids.length <= maxTokens ? [...ids] : [...ids.slice(0, maxTokens - 1), ids[ids.length - 1] as number];
}

/** Evenly spaced picks of k out of n positions, k ≤ n: floor(i·n/k). */
function evenlySpaced(n: number, k: number): Set<number> {
  const picks = new Set<number>();
  for (let i = 0; i < Math.min(n, k); i++) picks.add(Math.floor((i * n) / Math.min(n, k)));
  return picks;
}

function buildBatch(rows: readonly number[][], padId: number, config: ProbeModelConfig, picked: (b: number, t: number) => boolean): ProbeBatch {
  const B = rows.length;
  const T = Math.max(...rows.map((r) => r.length));
  const ids = new Int32Array(B * T).fill(padId);
  const mask = new Int32Array(B * T);
  const sample: number[] = [];
  rows.forEach((r, b) => r.forEach((id, t) => {
    ids[b * T + t] = id;
    mask[b * T + t] = 1;
    if (picked(b, t)) sample.push(b * T + t);
  }));
  const encoderDecoder = config.numDecoderLayers > 0;
  const inputs: ModelInputs = {
    inputIds: tf.tensor2d(ids, [B, T], 'int32'),
    attentionMask: tf.tensor2d(mask, [B, T], 'int32'),
    tokenTypeIds: tf.zeros([B, T], 'int32'),
    ...(encoderDecoder ? { decoderInputIds: tf.fill([B, 1], config.decoderStartTokenId, 'int32') } : {}),
  };
  return { inputs, lengths: rows.map((r) => r.length), seqLength: T, sampleRows: Int32Array.from(sample) };
}

/**
 * Batches of already tokenized sentences (the first `maxSentences`, each clipped to `maxTokens`).
 * The tensors live until disposeProbe.
 */
export function probeFromIds(sentences: readonly (readonly number[])[], padId: number, model: ProbeModelConfig, partial: Partial<ProbeConfig> = {}): ForgettingProbe {
  const config = resolveProbeConfig(partial);
  const rows = sentences.filter((ids) => ids.length > 0).slice(0, config.maxSentences).map((ids) => clip(ids, config.maxTokens));
  if (rows.length === 0) throw new UserError('Forgetting probe: no probe sentence has any tokens; give it some general text.');
  const total = rows.reduce((n, r) => n + r.length, 0);
  const picks = evenlySpaced(total, config.maxVectors);
  const batches: ProbeBatch[] = [];
  let offset = 0;
  for (let start = 0; start < rows.length; start += config.batchSize) {
    const chunk = rows.slice(start, start + config.batchSize);
    const firsts: number[] = []; // each sentence's first token, counted among all real tokens
    for (const r of chunk) {
      firsts.push(offset);
      offset += r.length;
    }
    batches.push(buildBatch(chunk, padId, model, (b, t) => picks.has((firsts[b] ?? 0) + t)));
  }
  return { batches };
}

/** Tokenizes probe sentences with the run's tokenizer (`encode(text).ids`, special tokens included). */
export function probeFromSentences(tokenizer: ProbeTokenizer, sentences: readonly string[], model: ProbeModelConfig, partial: Partial<ProbeConfig> = {}): ForgettingProbe {
  const limit = resolveProbeConfig(partial).maxSentences;
  const ids = sentences.filter((s) => s.trim() !== '').slice(0, limit).map((s) => tokenizer.encode(s).ids);
  return probeFromIds(ids, tokenizer.padId, model, partial);
}

export function disposeProbe(probe: ForgettingProbe): void {
  for (const b of probe.batches) {
    const { inputIds, attentionMask, tokenTypeIds, decoderInputIds } = b.inputs;
    tf.dispose([inputIds, attentionMask, ...(tokenTypeIds !== undefined ? [tokenTypeIds] : []), ...(decoderInputIds !== undefined ? [decoderInputIds] : [])]);
  }
}
