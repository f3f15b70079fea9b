// One code-server on a free loopback port: fresh user-data and extensions folders under a temp
// root, the .vsix installed offline, settings written before start. Started in its own process
// group (it forks an extension host, a file watcher, our training server…) and stopped by
// signalling that group, also if the test process exits early.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  INSTALL_EXTENSION_TIMEOUT_MS,
  PROCESS_EXIT_TIMEOUT_MS,
  PROCESS_POLL_MS,
  SERVER_LISTEN_TIMEOUT_MS,
} from './constants';
import type { CodeServerInstall } from './prerequisites';

export interface CodeServerOptions {
  readonly install: CodeServerInstall;
  readonly vsix: string;
  /** Temp folder that holds user data, extensions, config and the log. */
  readonly root: string;
  /** User settings (settings.json), e.g. workspace trust on or off. */
  readonly settings: Readonly<Record<string, unknown>>;
}

/** "HTTP server listening on http://127.0.0.1:40123/" in code-server's log. */
const LISTENING = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+\/)/;

/** Process groups of code-servers still running, killed if this process ends first. */
const liveGroups = new Set<number>();
let exitHooksInstalled = false;

/**
 * code-server's group is not ours, so neither Ctrl-C in the terminal nor the end of this process
 * reaches it: on exit, SIGINT, SIGTERM or SIGHUP, SIGKILL every live group first.
 */
function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  const killAll = (): void => {
    for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
    liveGroups.clear();
  };
  process.on('exit', killAll);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(code);
    });
  }
}

export class CodeServer {
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    /** Base URL, e.g. http://127.0.0.1:40123/ */
    readonly url: string,
    /** code-server's own stdout and stderr. */
    readonly logFile: string,
    /** VS Code's logs: window, extension host, and the "Transfer Lab" output channel. */
    readonly logsDir: string,
  ) {
    child.once('exit', () => (this.exited = true));
  }

  static async start(options: CodeServerOptions): Promise<CodeServer> {
    const userData = join(options.root, 'user-data');
    const extensions = join(options.root, 'extensions');
    mkdirSync(join(userData, 'User'), { recursive: true });
    writeFileSync(join(userData, 'User', 'settings.json'), `${JSON.stringify(options.settings, null, 2)}\n`);
    const env = codeServerEnv(options.root);
    const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
    const { nodeBin, codeServerBin } = options.install;

    const installed = spawnSync(nodeBin, [codeServerBin, ...common, '--install-extension', options.vsix], {
      env,
      encoding: 'utf8',
      timeout: INSTALL_EXTENSION_TIMEOUT_MS,
    });
    if (installed.status !== 0 || !/successfully installed/.test(installed.stdout)) {
      throw new Error(`code-server --install-extension ${options.vsix} failed:\n${installed.stdout}\n${installed.stderr}`);
    }

    const logFile = join(options.root, 'code-server.log');
    const log = createWriteStream(logFile);
    const args = [
      codeServerBin,
      ...common,
      '--auth', 'none',
      '--bind-addr', '127.0.0.1:0', // the OS picks a free port; the log line below names it
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
    ];
    // detached: a new process group (pgid = pid), so stop() reaches every helper it forks.
    const child = spawn(nodeBin, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    installExitHooks();
    if (child.pid !== undefined) liveGroups.add(child.pid);
    return new Promise<CodeServer>((resolve, reject) => {
      let output = '';
      let settled = false;
      const settle = (result: CodeServer | Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (result instanceof CodeServer) {
          resolve(result);
        } else {
          if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
          reject(result);
        }
      };
      const timer = setTimeout(() => settle(new Error(`code-server did not listen within ${SERVER_LISTEN_TIMEOUT_MS} ms:\n${output}`)), SERVER_LISTEN_TIMEOUT_MS);
      const onData = (chunk: Buffer): void => {
        log.write(chunk); // the whole log, also after start, for failure diagnostics
        if (settled) return;
        output += chunk.toString();
        const url = LISTENING.exec(output)?.[1];
        if (url !== undefined) settle(new CodeServer(child, url, logFile, join(userData, 'logs')));
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('error', (error) => settle(error));
      child.once('exit', (code, signal) => settle(new Error(`code-server exited (${String(code ?? signal)}) before listening:\n${output}`)));
    });
  }

  /** SIGTERM to the whole group, SIGKILL to what is left after PROCESS_EXIT_TIMEOUT_MS. */
  async stop(): Promise<void> {
    this.killGroup('SIGTERM');
    if (!(await this.waitForGroupExit(PROCESS_EXIT_TIMEOUT_MS))) {
      this.killGroup('SIGKILL');
      if (!(await this.waitForGroupExit(PROCESS_EXIT_TIMEOUT_MS))) {
        throw new Error(`code-server's process group ${String(this.child.pid)} survived SIGKILL`);
      }
    }
    if (this.child.pid !== undefined) liveGroups.delete(this.child.pid);
  }

  private killGroup(signal: NodeJS.Signals): void {
    if (this.child.pid !== undefined) signalGroup(this.child.pid, signal);
  }

  /** True once no process of the group is left (and the leader has been reaped). */
  private async waitForGroupExit(timeoutMs: number): Promise<boolean> {
    const pid = this.child.pid;
    if (pid === undefined) return true;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited && !groupAlive(pid)) return true;
      await new Promise((resolve) => setTimeout(resolve, PROCESS_POLL_MS));
    }
    return false;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The environment code-server runs in: config and data under the temp root instead of ~/.config
 * and ~/.local/share, and nothing inherited from a VS Code this test may itself run inside.
 */
function codeServerEnv(root: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE' || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  env['XDG_CONFIG_HOME'] = join(root, 'xdg-config');
  env['XDG_DATA_HOME'] = join(root, 'xdg-data');
  env['XDG_CACHE_HOME'] = join(root, 'xdg-cache');
  return env;
}
