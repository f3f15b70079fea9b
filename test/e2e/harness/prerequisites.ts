// What a scenario needs before it starts: code-server (installed by scripts/e2eSetup.mjs into its
// cache folder, run with its own Node 24) and a .vsix no older than the sources it is built from.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_TIMEOUT_MS, REPO_ROOT } from './constants';

export interface CodeServerInstall {
  /** Node 24 binary code-server runs under. */
  readonly nodeBin: string;
  /** code-server's entry script, run as `<nodeBin> <codeServerBin> …`. */
  readonly codeServerBin: string;
  readonly codeServerVersion: string;
}

/** Runs the (idempotent) setup script and returns its install record. */
export function ensureCodeServer(): CodeServerInstall {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'e2eSetup.mjs')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`scripts/e2eSetup.mjs failed (exit ${String(r.status ?? r.signal)}); see its output above.`);
  const lastLine = r.stdout.trim().split('\n').pop() ?? '';
  const record: unknown = JSON.parse(lastLine);
  if (!isInstall(record)) throw new Error(`scripts/e2eSetup.mjs printed an unexpected record: ${lastLine}`);
  return record;
}

function isInstall(x: unknown): x is CodeServerInstall {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return typeof r['nodeBin'] === 'string' && typeof r['codeServerBin'] === 'string' && typeof r['codeServerVersion'] === 'string';
}

/** Everything that goes into the .vsix; a newer file here means the package is stale. */
const PACKAGE_INPUTS = ['extension', 'server', 'webview', 'media', 'package.json', 'README.md', 'scripts/build.mjs', '.vscodeignore'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/**
 * The .vsix to install: $TRANSFER_LAB_E2E_VSIX if set (used as is), else the package.json
 * version's `transfer-lab-<version>.vsix`, rebuilt with `npm run package` when any source is newer.
 */
export function ensureVsix(): string {
  const given = process.env['TRANSFER_LAB_E2E_VSIX'];
  if (given !== undefined && given !== '') {
    if (!existsSync(given)) throw new Error(`TRANSFER_LAB_E2E_VSIX=${given} does not exist`);
    return given;
  }
  const manifest: unknown = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  const version = typeof manifest === 'object' && manifest !== null ? (manifest as Record<string, unknown>)['version'] : undefined;
  if (typeof version !== 'string') throw new Error('package.json has no version');
  const vsix = join(REPO_ROOT, `transfer-lab-${version}.vsix`);
  const inputs = PACKAGE_INPUTS.map((p) => join(REPO_ROOT, p)).filter((p) => existsSync(p));
  const fresh = existsSync(vsix) && statSync(vsix).mtimeMs >= Math.max(...inputs.map(newestMtime));
  if (!fresh) {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(npm, ['run', 'package'], { cwd: REPO_ROOT, stdio: 'inherit', timeout: PACKAGE_TIMEOUT_MS });
    if (r.status !== 0) throw new Error(`npm run package failed (exit ${String(r.status ?? r.signal)})`);
  }
  return vsix;
}
