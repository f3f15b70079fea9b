// What each Export action of the Runs view copies out of a run folder, or why there is nothing to
// copy yet. Plain data and paths (no vscode import) so test/extension/ can check every case.
import * as path from 'node:path';

/** The three exports of a run. */
export type RunExportKind = 'model' | 'adapter' | 'report';

/** The fields of a RunSummary an export needs. */
export interface ExportableRun {
  readonly runId: string;
  readonly runDir: string;
  readonly state: string;
  readonly config: { readonly strategy?: string };
}

export type ExportSource =
  | { readonly ok: true; readonly source: string; readonly isFolder: boolean; readonly suggestedName: string }
  | { readonly ok: false; readonly message: string; readonly offer?: RunExportKind };

/**
 * The file or folder `kind` exports from `run`: `final/` (else `best/`) for the Hugging Face
 * model, `adapter/` (else `final/adapter/`) for a LoRA run's PEFT adapter, `report.html` for the
 * report. `exists` is the file system check (injected for tests).
 */
export function exportSource(run: ExportableRun, kind: RunExportKind, exists: (p: string) => boolean): ExportSource {
  const at = (...parts: string[]): string => path.join(run.runDir, ...parts);
  const unfinished = run.state === 'running' || run.state === 'queued' ? ` It is ${run.state}: wait until it ends.` : '';
  switch (kind) {
    case 'model': {
      const found = ['final', 'best'].map((d) => at(d)).find((d) => exists(path.join(d, 'config.json')));
      if (found !== undefined) return { ok: true, source: found, isFolder: true, suggestedName: `${run.runId}-model` };
      return { ok: false, message: `Run ${run.runId} has no model folder yet: final/ is written when a run completes, best/ at its best evaluation.${unfinished}` };
    }
    case 'adapter': {
      const found = [at('adapter'), at('final', 'adapter')].find((d) => exists(path.join(d, 'adapter_config.json')));
      if (found !== undefined) return { ok: true, source: found, isFolder: true, suggestedName: `${run.runId}-adapter` };
      const strategy = run.config.strategy ?? 'full';
      if (strategy !== 'lora') {
        return { ok: false, message: `Run ${run.runId} was trained with strategy "${strategy}": only LoRA runs have a PEFT adapter. Export its Hugging Face model folder instead.`, offer: 'model' };
      }
      return { ok: false, message: `Run ${run.runId} has no PEFT adapter yet: adapter/ is written when a LoRA run completes.${unfinished}` };
    }
    case 'report': {
      const report = at('report.html');
      if (exists(report)) return { ok: true, source: report, isFolder: false, suggestedName: `${run.runId}-report.html` };
      return { ok: false, message: `Run ${run.runId} has no report.html: it is written when a run ends, once it has recorded metrics.${unfinished}` };
    }
  }
}
