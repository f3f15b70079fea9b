// Which fine-tuned model to answer with beside the prompt's model: the newest completed run whose
// run.json names that model as its base (config.model) and whose output folder has a head the
// task can use. Pure (no `vscode`), so test/extension/fineTunedModel.test.ts runs it directly.
import * as path from 'node:path';
import type { ModelSummary, RunSummary } from '../../server/protocol';

export interface FineTunedModel {
  readonly runId: string;
  /** The run's model folder (final/, else best/). */
  readonly dir: string;
  /** Display name: "<run id> (final)". */
  readonly name: string;
}

/** The same folder, however it was written (relative segments, trailing separators). */
function sameFolder(a: string, b: string): boolean {
  return path.isAbsolute(a) && path.isAbsolute(b) && path.resolve(a) === path.resolve(b);
}

/** Prefers a run's model at the end of training (final/) to its best checkpoint (best/). */
const preference = (m: ModelSummary): number => (path.basename(m.dir) === 'final' ? 0 : 1);

/**
 * The model of the newest completed run fine-tuned from `baseModel` that has one of `heads`, or
 * undefined. `models` are ModelList's summaries (run outputs carry their runId).
 */
export function fineTunedModelOf(baseModel: string, runs: readonly RunSummary[], models: readonly ModelSummary[], heads: ReadonlySet<string>): FineTunedModel | undefined {
  const newestFirst = runs
    .filter((r) => r.state === 'completed' && sameFolder(r.config.model, baseModel))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  for (const run of newestFirst) {
    const outputs = models.filter((m) => m.source === 'run' && m.runId === run.runId && heads.has(m.head)).sort((a, b) => preference(a) - preference(b));
    const model = outputs[0];
    if (model !== undefined) return { runId: run.runId, dir: model.dir, name: model.name };
  }
  return undefined;
}
