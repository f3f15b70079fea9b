// Paths and named timeouts of the end-to-end tests. Every wait in test/e2e waits for a condition
// (a DOM state, a process exit, a log line) with one of these limits; none sleeps blindly.
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
/** Screenshots and, for failed tests, logs; git-ignored. */
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts', 'e2e');
export const FIXTURE_DATASET = join(REPO_ROOT, 'test', 'fixtures', 'datasets', 'tiny-sentiment.csv');

/** `npm run package` (production build + vsce), when the .vsix is older than the sources. */
export const PACKAGE_TIMEOUT_MS = 120_000;
/** `code-server --install-extension <vsix>`. */
export const INSTALL_EXTENSION_TIMEOUT_MS = 60_000;
/** From spawning code-server to its "HTTP server listening on …" line. */
export const SERVER_LISTEN_TIMEOUT_MS = 30_000;
/** From navigation to a workbench whose Explorer shows the workspace's files. */
export const WORKBENCH_READY_TIMEOUT_MS = 60_000;
/** Until the extension host has registered our contributions (the context menu item appears). */
export const EXTENSION_READY_TIMEOUT_MS = 60_000;
/** One UI reaction: a menu, a quick pick step, a notification, a webview to load. */
export const UI_TIMEOUT_MS = 20_000;
/** Starting the training server and a 3-epoch run of the tiny model on 60 rows. */
export const TRAINING_TIMEOUT_MS = 180_000;
/** After SIGTERM to code-server's process group, before SIGKILL. */
export const PROCESS_EXIT_TIMEOUT_MS = 10_000;
/** Poll interval while waiting for a process group to exit (a condition check, not a delay). */
export const PROCESS_POLL_MS = 100;

/** The viewport of every scenario, and of the README screenshot. */
export const VIEWPORT = { width: 1400, height: 900 } as const;

/** Chromium flags from /work/shared/E2E-NOTES.md: headless, no sandbox, no background traffic. */
export const CHROMIUM_PATH = process.env['TRANSFER_LAB_E2E_CHROMIUM'] ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;
