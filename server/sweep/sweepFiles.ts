/**
 * A sweep's folder: sweep.json (settings, every cell, negative transfer) and sweep.html (the
 * learning curves and the table), rewritten atomically after each cell so a stopped sweep keeps
 * what it measured.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../checkpoints/atomicWrite';
import { findNegativeTransfer } from './negativeTransfer';
import type { SweepCell } from './sweepCell';
import type { Budget, ScratchModel } from './sweepPlan';
import { renderSweepPage } from './sweepPage';

export const SWEEP_FORMAT_VERSION = 1;
export const SWEEP_JSON = 'sweep.json';
export const SWEEP_HTML = 'sweep.html';

/** The settings a sweep ran with. */
export interface SweepHeader {
  readonly createdAt: string;
  readonly train: string;
  readonly val: string;
  readonly model: string;
  readonly scratch: ScratchModel;
  /** Budgets after capping at the training set's size. */
  readonly budgets: readonly Budget[];
  readonly strategies: readonly string[];
  readonly seed: number;
  readonly epochs: number | null;
  /** Negative-transfer tolerance, in accuracy (0.005 = 0.5 points). */
  readonly tolerance: number;
  readonly config: Readonly<Record<string, unknown>>;
}

export async function writeSweepFiles(sweepDir: string, header: SweepHeader, cells: readonly SweepCell[]): Promise<void> {
  const negativeTransfer = findNegativeTransfer(cells, header.tolerance);
  const json = { formatVersion: SWEEP_FORMAT_VERSION, ...header, cells, negativeTransfer };
  await writeFileAtomic(join(sweepDir, SWEEP_JSON), JSON.stringify(json, null, 2) + '\n');
  await writeFileAtomic(join(sweepDir, SWEEP_HTML), renderSweepPage(sweepDir, header, cells, negativeTransfer));
}
