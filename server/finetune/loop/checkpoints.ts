/**
 * Resumable checkpoints, `<runDir>/checkpoints/<step>/`: the strategy's weights (a Hugging Face
 * folder, a PEFT adapter or a feature head), `optimizer.safetensors` (AdamW moments) and
 * `trainer_state.json` (step, epoch, phase, best metric, early-stopping count). Written
 * atomically at each evaluation; the last two and the best one are kept.
 */
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Variable } from '../../backend/tf';
import type { NamedArray } from '../../models/parameters';
import type { AdamWState } from '../../training/adamw';
import { encodeSafetensors, readSafetensors } from '../../checkpoints/safetensors';
import { writeFolderAtomic } from '../../checkpoints/atomicWrite';
import { UserError } from '../../errors';
import type { TrainableModel } from './contracts';

export const CHECKPOINTS_DIR = 'checkpoints';
export const BEST_DIR = 'best';
export const TRAINER_STATE_FILE = 'trainer_state.json';
export const OPTIMIZER_FILE = 'optimizer.safetensors';
export const TRAINER_STATE_VERSION = 1;
/** Checkpoints kept besides the best one. */
export const KEEP_CHECKPOINTS = 2;

export interface EvalSummary {
  readonly loss: number;
  readonly accuracy: number;
  readonly macroF1: number;
  /** The task's extra metrics, when it has them (see EvalResult). */
  readonly entityF1?: number;
  readonly perplexity?: number;
  readonly tokenF1?: number;
}

/** Where the loop stands after an evaluation: everything a resumed run needs besides weights. */
export interface LoopState {
  readonly formatVersion: number;
  /** Optimizer steps done. */
  readonly step: number;
  /** Epoch (1-based) of the last step, and optimizer steps done in it. */
  readonly epoch: number;
  readonly stepInEpoch: number;
  /** Phase of the optimizer state saved beside this file. */
  readonly phase: number;
  readonly best: { readonly valLoss: number; readonly step: number } | null;
  readonly evalsWithoutImprovement: number;
  /** Early stopping decided to stop at this evaluation. */
  readonly stopped: boolean;
  readonly lastEval: EvalSummary | null;
  /** Step of the last evaluation (-1: none yet). */
  readonly lastEvalStep: number;
  readonly trainMs: number;
  readonly evalMs: number;
  readonly elapsedMs: number;
}

function optimizerArrays(state: AdamWState, variable: (name: string) => Variable): Map<string, NamedArray> {
  const out = new Map<string, NamedArray>();
  for (const [name, m] of state.m) {
    const shape = variable(name).shape;
    out.set(`${name}.exp_avg`, { shape, data: m });
    const v = state.v.get(name);
    if (v !== undefined) out.set(`${name}.exp_avg_sq`, { shape, data: v });
  }
  return out;
}

/**
 * Writes checkpoints/<step>/. `seed` is recorded beside the position (epoch, stepInEpoch): batch
 * order and dropout masks are pure functions of the three, so that is the whole RNG state.
 */
export async function saveCheckpoint(runDir: string, model: TrainableModel, optimizer: AdamWState, state: LoopState, seed: number): Promise<void> {
  const dir = join(runDir, CHECKPOINTS_DIR, String(state.step));
  await writeFolderAtomic(dir, async (tmp) => {
    await model.saveState(tmp); // first: it may replace the folder
    await writeFile(join(tmp, OPTIMIZER_FILE), encodeSafetensors(optimizerArrays(optimizer, (n) => model.variable(n))));
    await writeFile(join(tmp, TRAINER_STATE_FILE), JSON.stringify({ ...state, optimizerStep: optimizer.step, seed }, null, 2) + '\n');
  });
}

async function checkpointSteps(runDir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(join(runDir, CHECKPOINTS_DIR));
  } catch {
    return [];
  }
  return names.filter((n) => /^\d+$/.test(n) && existsSync(join(runDir, CHECKPOINTS_DIR, n, TRAINER_STATE_FILE))).map(Number).sort((a, b) => a - b);
}

/** Deletes all but the newest KEEP_CHECKPOINTS checkpoints and the one at `bestStep`. */
export async function pruneCheckpoints(runDir: string, bestStep: number | null): Promise<void> {
  const steps = await checkpointSteps(runDir);
  const keep = new Set(steps.slice(-KEEP_CHECKPOINTS));
  if (bestStep !== null) keep.add(bestStep);
  for (const step of steps) if (!keep.has(step)) await rm(join(runDir, CHECKPOINTS_DIR, String(step)), { recursive: true, force: true });
}

export interface Checkpoint {
  readonly dir: string;
  readonly state: LoopState & { readonly optimizerStep: number };
}

/** The newest complete checkpoint of a run, or null. */
export async function latestCheckpoint(runDir: string): Promise<Checkpoint | null> {
  const step = (await checkpointSteps(runDir)).pop();
  if (step === undefined) return null;
  const dir = join(runDir, CHECKPOINTS_DIR, String(step));
  const path = join(dir, TRAINER_STATE_FILE);
  const json: unknown = JSON.parse(await readFile(path, 'utf8'));
  const s = json as Partial<Checkpoint['state']>;
  if (typeof json !== 'object' || json === null || s.formatVersion !== TRAINER_STATE_VERSION || typeof s.step !== 'number' || typeof s.optimizerStep !== 'number') {
    throw new UserError(`${path} was written by another version of Transfer Lab and cannot be resumed.`);
  }
  return { dir, state: json as Checkpoint['state'] };
}

/** AdamW moments saved by saveCheckpoint. */
export async function readOptimizerState(checkpoint: Checkpoint): Promise<AdamWState> {
  const arrays = await readSafetensors(join(checkpoint.dir, OPTIMIZER_FILE));
  const m = new Map<string, Float32Array>();
  const v = new Map<string, Float32Array>();
  for (const [key, a] of arrays) {
    if (key.endsWith('.exp_avg')) m.set(key.slice(0, -'.exp_avg'.length), a.data);
    else if (key.endsWith('.exp_avg_sq')) v.set(key.slice(0, -'.exp_avg_sq'.length), a.data);
  }
  return { step: checkpoint.state.optimizerStep, m, v };
}
