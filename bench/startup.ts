/**
 * `startup`: spawn dist/server.js --stdio and time until its `initialize` answer arrives — the
 * process is up and the TensorFlow.js backend is initialised (the server does that while
 * answering). Repeated in fresh processes; the median is the figure.
 */
import { median } from '../server/bench/stats';
import { startServer } from './serverProcess';

export interface StartupResult {
  readonly medianMs: number;
  readonly timesMs: readonly number[];
  readonly backend: string;
  readonly device: string;
  /** Peak RSS of the server process when ready, MiB. */
  readonly peakRssMb: number | null;
}

export async function measureStartup(dist: string, backend: string, repetitions: number, timeoutMs: number): Promise<StartupResult> {
  const runs: { ms: number; backend: string; device: string; rss: number | null }[] = [];
  for (let i = 0; i < repetitions; i++) {
    const server = await startServer(dist, backend, timeoutMs);
    runs.push({ ms: server.readyMs, backend: server.info.backend.backend, device: server.info.backend.device, rss: server.peakRssMb() });
    await server.stop();
  }
  const last = runs[runs.length - 1];
  if (last === undefined) throw new Error('startup: no repetitions');
  const rss = runs.map((r) => r.rss).filter((r): r is number => r !== null);
  return {
    medianMs: median(runs.map((r) => r.ms)), timesMs: runs.map((r) => r.ms), backend: last.backend, device: last.device,
    peakRssMb: rss.length > 0 ? Math.max(...rss) : null,
  };
}
