/**
 * `startup`: spawn dist/server.js --stdio and time until its `initialize` answer arrives — the
 * process is up and the TensorFlow.js backend is initialised (the server does that while
 * answering). Repeated in fresh processes; the median is the figure.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createProtocolConnection, InitializeRequest, StreamMessageReader, StreamMessageWriter, type InitializeResult,
} from 'vscode-languageserver-protocol/node';
import type { TransferLabInitializeResult } from '../server/protocol';
import { median } from '../server/bench/stats';
import { ROOT } from './children';

const SERVER_JS = join(ROOT, 'dist', 'server.js');

export interface StartupResult {
  readonly medianMs: number;
  readonly timesMs: readonly number[];
  readonly backend: string;
  readonly device: string;
  /** Peak RSS of the server process when ready (Linux /proc VmHWM), MiB. */
  readonly peakRssMb: number | null;
}

function peakRssOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
    return line === undefined ? null : Number(line.replace(/\D+/g, '')) / 1024;
  } catch {
    return null;
  }
}

async function startOnce(backend: string, timeoutMs: number): Promise<{ ms: number; info: TransferLabInitializeResult; rss: number | null }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const result = (await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { backend },
    })) as InitializeResult & { transferLab: TransferLabInitializeResult };
    const ms = performance.now() - t0;
    return { ms, info: result.transferLab, rss: peakRssOf(child.pid) };
  } finally {
    clearTimeout(timer);
    connection.dispose();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null) child.kill();
    await exited;
  }
}

export async function measureStartup(backend: string, repetitions: number, timeoutMs: number): Promise<StartupResult> {
  const runs = [];
  for (let i = 0; i < repetitions; i++) runs.push(await startOnce(backend, timeoutMs));
  const last = runs[runs.length - 1];
  if (last === undefined) throw new Error('startup: no repetitions');
  const rss = runs.map((r) => r.rss).filter((r): r is number => r !== null);
  return {
    medianMs: median(runs.map((r) => r.ms)), timesMs: runs.map((r) => r.ms), backend: last.info.backend.backend,
    device: last.info.backend.device, peakRssMb: rss.length > 0 ? Math.max(...rss) : null,
  };
}
