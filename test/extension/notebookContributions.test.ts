// package.json's notebook contributions: the renderer takes both Transfer Lab MIME types from the
// bundle scripts/build.mjs writes, every selection command is in the notebook cell menu (cell
// toolbar "…" and right-click), and Export Run to Notebook sits on runs and in the palette.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ATTENTION_MIME, CURVES_MIME } from '../../webview/renderer/mime';

const ROOT = join(__dirname, '..', '..');

interface MenuEntry {
  readonly command: string;
  readonly when?: string;
}
interface Manifest {
  readonly contributes: {
    readonly notebookRenderer: readonly { readonly id: string; readonly entrypoint: string; readonly mimeTypes: readonly string[] }[];
    readonly menus: Readonly<Record<string, readonly MenuEntry[]>>;
    readonly configuration: { readonly properties: Readonly<Record<string, { readonly default?: unknown }>> };
  };
}

const manifest = (): Manifest => JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const entries = (menu: string, command: string): MenuEntry[] => (manifest().contributes.menus[menu] ?? []).filter((e) => e.command === command);

describe('notebook contributions', () => {
  it('renders both MIME types with the ES module bundle of webview/renderer', () => {
    const renderers = manifest().contributes.notebookRenderer;
    assert.equal(renderers.length, 1);
    assert.deepEqual([...renderers[0]!.mimeTypes].sort(), [ATTENTION_MIME, CURVES_MIME].sort());
    assert.equal(renderers[0]!.entrypoint, './dist/webview/renderer.js');
    assert.match(readFileSync(join(ROOT, 'scripts', 'build.mjs'), 'utf8'), /RENDERER = 'renderer'[\s\S]*format: 'esm'/);
  });

  it('puts every selection command in the notebook cell menu and the editor context menu', () => {
    for (const command of ['transferLab.runPrompt', 'transferLab.classifySelection', 'transferLab.fillMask', 'transferLab.inspectAttention']) {
      assert.equal(entries('notebook/cell/title', command).length, 1, `${command} in notebook/cell/title`);
      assert.equal(entries('editor/context', command).length, 1, `${command} in editor/context (cell editors too)`);
    }
  });

  it('offers Export Run to Notebook on every run and in the palette', () => {
    const onRuns = entries('view/item/context', 'transferLab.exportRunNotebook');
    assert.equal(onRuns.length, 1);
    const re = /viewItem =~ \/(.+?)\//.exec(onRuns[0]!.when ?? '');
    assert.ok(re !== null && /view == transferLab\.runs/.test(onRuns[0]!.when ?? ''));
    for (const state of ['completed', 'failed', 'cancelled', 'interrupted', 'running']) assert.match(`run.${state}`, new RegExp(re[1]!));
    assert.deepEqual(entries('commandPalette', 'transferLab.exportRunNotebook').map((e) => e.when), [undefined]);
  });

  it('compares with a fine-tuned run unless turned off', () => {
    assert.equal(manifest().contributes.configuration.properties['transferLab.prompt.compareWithFineTuned']?.default, true);
  });
});
