/**
 * The forgetting probe of a run: the LM loss (nats per predicted token) on general text of the
 * base model and of the fine-tuned encoder under the same LM head. The text is `config.probe`, or
 * the model folder's probe.txt (held-out pretraining text written by `transfer-lab pretrain`),
 * corrupted with the seed and length pretrain.json recorded so losses compare with pretraining's.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FineTuneConfig } from '../protocol';
import { startsFromScratch } from './fineTuneConfig';
import type { TransformerModel } from '../models/transformerModel';
import type { TextTokenizer } from '../tokenizers/textTokenizer';
import { textLines } from '../pretrain/corpus';
import { textLoss, type TextLossOptions } from '../pretrain/lmExamples';
import { PRETRAIN_RECORD_FILE, PROBE_FILE } from '../pretrain/runPretrain';
import { UserError } from '../errors';
import { loadLmHeadView, type LmHeadView } from './lmHead';

export interface ProbeLosses {
  readonly probeLoss: number | null;
  readonly baseProbeLoss: number | null;
}

/** The probe file of a run: config.probe, else <model>/probe.txt when it exists; null for none. */
export function probePath(config: FineTuneConfig): string | null {
  if (startsFromScratch(config)) return null; // no pretrained base to forget
  if (config.probe !== '') return config.probe;
  const p = join(config.model, PROBE_FILE);
  return existsSync(p) ? p : null;
}

/** pretrain.json's probe settings (sequence length, corruption seed, whole-word masking) when present. */
export async function probeOptions(modelDir: string): Promise<TextLossOptions> {
  try {
    const json: unknown = JSON.parse(await readFile(join(modelDir, PRETRAIN_RECORD_FILE), 'utf8'));
    const p = (json as { probe?: { seqLength?: unknown; seed?: unknown; wholeWord?: unknown } }).probe ?? {};
    return {
      ...(typeof p.seqLength === 'number' ? { seqLength: p.seqLength } : {}),
      ...(typeof p.seed === 'number' ? { seed: p.seed } : {}),
      ...(typeof p.wholeWord === 'boolean' ? { wholeWord: p.wholeWord } : {}),
    };
  } catch {
    return {};
  }
}

export async function readProbeLines(path: string): Promise<string[]> {
  try {
    return textLines(await readFile(path, 'utf8'));
  } catch {
    throw new UserError(`Cannot read the probe text ${path}. Give a readable text file with --probe.`);
  }
}

/** The LM-head view of a pretrained model folder, or null (a run from scratch, or a folder without an LM head). */
export async function lmHeadViewFor(config: FineTuneConfig, tuned: TransformerModel, log: (line: string) => void): Promise<LmHeadView | null> {
  if (startsFromScratch(config)) return null;
  const view = await loadLmHeadView(config.model, tuned);
  if (view === null) log(`${config.model} has no language-model head in its checkpoint: no probe loss, no rehearsal`);
  return view;
}

/** Probe losses of the base and the fine-tuned model; nulls when there is no LM head or no probe text. */
export async function measureProbeLosses(config: FineTuneConfig, view: LmHeadView | null, tokenizer: TextTokenizer, log: (line: string) => void): Promise<ProbeLosses> {
  const path = probePath(config);
  if (view === null || path === null) return { probeLoss: null, baseProbeLoss: null };
  const lines = await readProbeLines(path);
  const opts = await probeOptions(config.model);
  const seqLength = Math.min(opts.seqLength ?? 64, view.base.maxInputLength);
  const baseProbeLoss = await textLoss(view.base, tokenizer, lines, { ...opts, seqLength });
  const probeLoss = await textLoss(view.current, tokenizer, lines, { ...opts, seqLength });
  log(`probe loss on ${path}: ${baseProbeLoss.toFixed(4)} (base) → ${probeLoss.toFixed(4)} (fine-tuned)`);
  return { probeLoss, baseProbeLoss };
}
