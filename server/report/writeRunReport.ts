/**
 * Writes `<runDir>/report.html` when a run ends. Called by executeRun for every terminal state;
 * a run without metric events gets no report, and a failure to write one is logged, never thrown,
 * so the report can never fail the run it describes.
 */
import { join } from 'node:path';
import { describeError } from '../errors';
import { writeFileAtomic } from '../checkpoints/atomicWrite';
import { readMetrics, type RunRecord } from '../runs/runStore';
import { renderRunReport } from './runReport';

export const REPORT_FILE = 'report.html';

/** Renders and writes the report; returns its path, or null when the run recorded no metrics. */
export async function writeRunReport(record: RunRecord): Promise<string | null> {
  const events = await readMetrics(record.runDir);
  if (events.length === 0) return null;
  const path = join(record.runDir, REPORT_FILE);
  await writeFileAtomic(path, renderRunReport(record, events));
  return path;
}

/** writeRunReport for the end of a run: returns the record unchanged; errors go to `log`. */
export async function withRunReport(record: RunRecord, log: (line: string) => void): Promise<RunRecord> {
  try {
    const path = await writeRunReport(record);
    if (path !== null) log(`report: ${path}`);
  } catch (err) {
    log(`report.html was not written: ${describeError(err)}`);
  }
  return record;
}
