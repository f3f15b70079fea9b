// One scenario's world: a temp workspace holding the fixture dataset, a code-server with the .vsix
// installed, and headless Chromium on its workbench. `scenario()` wraps a node:test test around it:
// on failure it saves a screenshot and VS Code's logs (the "Transfer Lab" output channel among
// them) under test-artifacts/e2e/<name>/, and it always tears everything down.
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CodeServer } from './codeServer';
import { ARTIFACTS_DIR, CHROMIUM_ARGS, CHROMIUM_PATH, FIXTURE_DATASET, VIEWPORT } from './constants';
import { ensureCodeServer, ensureVsix } from './prerequisites';
import { Workbench } from './workbench';

export interface SessionOptions {
  /** Folder name under test-artifacts/e2e/ (and of the test). */
  readonly name: string;
  /** false leaves workspace trust on, so the folder opens in Restricted Mode. */
  readonly trusted: boolean;
  /** Files copied into the workspace; tiny-sentiment.csv when not given. */
  readonly datasets?: readonly string[];
  /** The workspace folder's name (the Explorer root, part of run paths); "sentiment-demo". */
  readonly workspaceName?: string;
}

/** Settings for a quiet, dark workbench without AI panels, tips or update checks. */
function userSettings(trusted: boolean): Record<string, unknown> {
  return {
    'security.workspace.trust.enabled': !trusted,
    // With trust on, open untrusted folders in Restricted Mode without the modal prompt.
    'security.workspace.trust.startupPrompt': 'never',
    'workbench.startupEditor': 'none',
    'workbench.colorTheme': 'Default Dark Modern',
    'editor.minimap.enabled': false,
    'workbench.tips.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'chat.disableAIFeatures': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
  };
}

const DEFAULT_WORKSPACE_NAME = 'sentiment-demo';

export class E2ESession {
  private constructor(
    readonly workbench: Workbench,
    /** The workspace folder, holding the datasets. */
    readonly workspace: string,
    /** test-artifacts/e2e/<name>/ */
    readonly artifacts: string,
    private readonly root: string,
    private readonly server: CodeServer,
    private readonly browser: Browser,
  ) {}

  static async start(options: SessionOptions): Promise<E2ESession> {
    const install = ensureCodeServer();
    const vsix = ensureVsix();
    const root = mkdtempSync(join(tmpdir(), 'transfer-lab-e2e-'));
    const artifacts = join(ARTIFACTS_DIR, options.name);
    rmSync(artifacts, { recursive: true, force: true });
    mkdirSync(artifacts, { recursive: true });
    const workspace = join(root, options.workspaceName ?? DEFAULT_WORKSPACE_NAME);
    mkdirSync(workspace);
    const datasets = options.datasets ?? [FIXTURE_DATASET];
    for (const file of datasets) copyFileSync(file, join(workspace, basename(file)));

    let server: CodeServer | undefined;
    let browser: Browser | undefined;
    let page: Page | undefined;
    try {
      server = await CodeServer.start({ install, vsix, root, settings: userSettings(options.trusted) });
      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
      page = await browser.newPage({ viewport: VIEWPORT });
      const session = new E2ESession(new Workbench(page), workspace, artifacts, root, server, browser);
      await session.workbench.open(server.url, workspace, basename(datasets[0] ?? FIXTURE_DATASET));
      return session;
    } catch (error) {
      await page?.screenshot({ path: join(artifacts, 'failure.png') }).catch(() => undefined);
      await browser?.close().catch(() => undefined);
      await server?.stop().catch(() => undefined);
      if (server !== undefined) copyLogs(server, artifacts);
      rmSync(root, { recursive: true, force: true });
      throw error;
    }
  }

  get page(): Page {
    return this.workbench.page;
  }

  /** Saves a screenshot of the whole workbench to test-artifacts/e2e/<name>/<file>. */
  async screenshot(file: string): Promise<string> {
    const path = join(this.artifacts, file);
    await this.page.screenshot({ path });
    return path;
  }

  /** What helps to debug a failure: the screen and DOM as they were, and every log VS Code wrote. */
  async saveDiagnostics(): Promise<void> {
    await this.screenshot('failure.png').catch(() => undefined);
    const dom = await this.page.content().catch(() => '');
    writeFileSync(join(this.artifacts, 'failure-dom.html'), dom);
    copyLogs(this.server, this.artifacts);
  }

  /** Closes the browser, stops code-server's whole process group, removes the temp folder. */
  async close(): Promise<void> {
    try {
      await this.browser.close();
    } finally {
      await this.server.stop();
      if (process.env['TRANSFER_LAB_E2E_KEEP'] !== '1') rmSync(this.root, { recursive: true, force: true });
    }
  }
}

function copyLogs(server: CodeServer, artifacts: string): void {
  if (existsSync(server.logsDir)) cpSync(server.logsDir, join(artifacts, 'logs'), { recursive: true });
  if (existsSync(server.logFile)) copyFileSync(server.logFile, join(artifacts, 'code-server.log'));
}

/**
 * A node:test test that runs `body` in a fresh session, saving diagnostics if it throws and
 * tearing the session down either way.
 */
export function scenario(options: SessionOptions & { readonly timeoutMs: number }, body: (session: E2ESession) => Promise<void>): void {
  test(options.name, { timeout: options.timeoutMs }, async (t) => {
    const session = await E2ESession.start(options);
    try {
      // On timeout the runner aborts t.signal but does not stop `body`: stop waiting for it, so
      // that diagnostics show the screen as it was when the time ran out.
      await Promise.race([body(session), rejectOnAbort(t.signal)]);
    } catch (error) {
      await session.saveDiagnostics();
      throw error;
    } finally {
      await session.close();
    }
  });
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(new Error('the test was cancelled or timed out')), { once: true });
  });
}

