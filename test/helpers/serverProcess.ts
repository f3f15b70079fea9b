/**
 * Starts dist/server.js as a real process (stdio transport) and speaks JSON-RPC to it like the
 * extension does: initialize with work-done-progress support, answer progress creation.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  createProtocolConnection, InitializeRequest, InitializedNotification, StreamMessageReader, StreamMessageWriter,
  WorkDoneProgressCreateRequest, type ProtocolConnection, type InitializeResult,
} from 'vscode-languageserver-protocol/node';
import type { TransferLabInitializeResult } from '../../server/protocol';

export const SERVER_JS = join(__dirname, '..', '..', 'dist', 'server.js');

export interface ServerHandle {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  readonly initializeResult: InitializeResult & { transferLab: TransferLabInitializeResult };
  readonly stderr: () => string;
  readonly progressTokens: (string | number)[];
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Node options before the script, e.g. ['--require', 'faultHook.cjs']. */
  readonly nodeArgs?: readonly string[];
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
}

export async function startServer(backend = 'auto', opts: ServerOptions = {}): Promise<ServerHandle> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const progressTokens: (string | number)[] = [];
  connection.onRequest(WorkDoneProgressCreateRequest.type, (p) => {
    progressTokens.push(p.token);
  });
  connection.listen();
  const initializeResult = (await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid, rootUri: null, capabilities: { window: { workDoneProgress: true } },
    initializationOptions: { backend },
  })) as ServerHandle['initializeResult'];
  await connection.sendNotification(InitializedNotification.type, {});
  return {
    connection, process: child, initializeResult, stderr: () => stderr, progressTokens,
    async stop() {
      connection.dispose();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill();
        await exited;
      }
    },
  };
}

/** Resolves with the first value `pick` returns non-undefined for, or rejects after `ms`. */
export function waitFor<T>(subscribe: (cb: (value: T) => void) => void, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    subscribe((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}
