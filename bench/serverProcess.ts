/**
 * dist/server.js as the extension runs it: a child process on stdio speaking JSON-RPC. Resolves
 * once `initialize` is answered (process up, TensorFlow.js backend initialised) with the time
 * that took; `stop()` ends the process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createProtocolConnection, InitializeRequest, InitializedNotification, StreamMessageReader, StreamMessageWriter,
  type InitializeResult, type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type { TransferLabInitializeResult } from '../server/protocol';

export interface RunningServer {
  readonly connection: ProtocolConnection;
  readonly child: ChildProcess;
  /** Spawn → initialize answered, ms. */
  readonly readyMs: number;
  readonly info: TransferLabInitializeResult;
  /** Peak RSS so far (Linux /proc VmHWM), MiB; null elsewhere. */
  peakRssMb(): number | null;
  stop(): Promise<void>;
}

/** `dist`: the build to run (a snapshot of dist/, see distSnapshot.ts). */
export async function startServer(dist: string, backend: string, timeoutMs: number): Promise<RunningServer> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(dist, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.listen();
  const stop = async (): Promise<void> => {
    connection.dispose();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null) child.kill();
    await exited;
  };
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const result = (await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { backend },
    })) as InitializeResult & { transferLab: TransferLabInitializeResult };
    const readyMs = performance.now() - t0;
    await connection.sendNotification(InitializedNotification.type, {});
    return { connection, child, readyMs, info: result.transferLab, peakRssMb: () => peakRssOf(child.pid), stop };
  } catch (err) {
    await stop();
    throw err;
  } finally {
    clearTimeout(timer);
  }
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
