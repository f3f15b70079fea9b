/**
 * Runs one workload in its own process — `node dist/cli.js bench … --json` or
 * `python torch_bench.py … --json` — so peak RSS is per workload, and reads back its summary
 * line. A process that exits without a summary, or runs past its time limit, is a crash.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { BenchSummary } from '../server/bench/runWorkload';
import type { HeadlineUnit } from '../server/bench/workloadResult';

export const ROOT = join(__dirname, '..');
export const TORCH_SCRIPT = join(__dirname, 'torch_bench.py');

export interface ChildOutput {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

export function runChild(command: string, args: readonly string[], timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<ChildOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** The figures torch_bench.py prints (a subset of the CLI's summary, plus its BLAS and threads). */
export interface TorchSummary {
  readonly type: 'summary';
  readonly value: number;
  readonly unit: HeadlineUnit;
  readonly medianMs: number;
  readonly timesMs: readonly number[];
  readonly tokensPerSec: number | null;
  readonly timeToFirstTokenMs: number | null;
  readonly details: Readonly<Record<string, number>>;
  readonly peakRssMb: number;
  readonly torchVersion: string;
  readonly threads: number;
  /** CPU time over wall time × threads while the workload ran (1: every thread busy the whole time). */
  readonly cpuShare: number;
  readonly blas: string;
  readonly device: string;
}

export type Outcome<T> = { readonly ok: true; readonly summary: T } | { readonly ok: false; readonly error: string };

function isSummary(value: unknown): value is { type: 'summary'; value: number } {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'summary' &&
    typeof (value as { value?: unknown }).value === 'number';
}

/** The last `{"type":"summary",…}` line of a child's stdout, or why there is none. */
export function readSummary<T>(out: ChildOutput): Outcome<T> {
  const lines = out.stdout.trim().split('\n').reverse();
  for (const line of lines) {
    try {
      const parsed: unknown = JSON.parse(line);
      if (isSummary(parsed)) return { ok: true, summary: parsed as T };
    } catch {
      // not a JSON line: keep looking
    }
  }
  const why = out.timedOut ? 'timed out' : `exit code ${out.code ?? 'signal'}`;
  const lastErr = out.stderr.trim().split('\n').filter((l) => l.trim() !== '').slice(-1)[0] ?? '';
  return { ok: false, error: `${why}${lastErr === '' ? '' : `: ${lastErr.slice(0, 200)}`}` };
}

/** `dist`: the build to run (a snapshot of dist/, see distSnapshot.ts). */
export async function runOurs(dist: string, args: readonly string[], backend: string, timeoutMs: number): Promise<Outcome<BenchSummary>> {
  return readSummary<BenchSummary>(await runChild(process.execPath, [join(dist, 'cli.js'), 'bench', ...args, '--backend', backend, '--json'], timeoutMs));
}

export async function runTorch(python: string, args: readonly string[], timeoutMs: number): Promise<Outcome<TorchSummary>> {
  // Passive OpenMP waiting: spinning threads collapse when another process shares the two cores.
  const env = { ...process.env, OMP_WAIT_POLICY: process.env['OMP_WAIT_POLICY'] ?? 'PASSIVE' };
  return readSummary<TorchSummary>(await runChild(python, [TORCH_SCRIPT, ...args, '--threads', '2', '--json'], timeoutMs, env));
}
