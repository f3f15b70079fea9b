// Keeps extension/commandIds.ts and package.json's `contributes` in step: every command in the
// table is contributed with the same title, every menu entry names a known command, and back.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

const ROOT = join(__dirname, '..', '..');

interface CommandEntry {
  readonly id: string;
  readonly title: string;
}
interface CommandTable {
  readonly COMMAND_CATEGORY: string;
  readonly COMMANDS: Readonly<Record<string, CommandEntry>>;
  readonly CONTEXT_KEYS: Readonly<Record<string, string>>;
  readonly DATASET_EXTENSIONS: readonly string[];
  readonly VIEW_CONTAINER_ID: string;
  readonly VIEW_IDS: Readonly<Record<string, string>>;
}
interface Contributes {
  readonly commands: readonly { readonly command: string; readonly title: string; readonly category?: string }[];
  readonly menus: Readonly<Record<string, readonly { readonly command: string; readonly when?: string; readonly group?: string }[]>>;
  readonly viewsContainers?: { readonly activitybar?: readonly { readonly id: string; readonly icon: string }[] };
  readonly views?: Readonly<Record<string, readonly { readonly id: string }[]>>;
  readonly viewsWelcome?: readonly { readonly view: string; readonly contents: string }[];
  readonly configuration: { readonly properties: Readonly<Record<string, { readonly default?: unknown; readonly markdownDescription?: string }>> };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

/**
 * Imported by URL at run time rather than statically: test/tsconfig.json's project does not list
 * extension/, and a static import would pull the file into it (TS6307). The shape is checked here.
 */
async function loadTable(): Promise<CommandTable> {
  const mod: unknown = await import(pathToFileURL(join(ROOT, 'extension', 'commandIds.ts')).href);
  assert.ok(isRecord(mod), 'extension/commandIds.ts did not load as a module');
  const { COMMAND_CATEGORY, COMMANDS, CONTEXT_KEYS, DATASET_EXTENSIONS } = mod;
  assert.equal(typeof COMMAND_CATEGORY, 'string', 'COMMAND_CATEGORY must be a string');
  assert.ok(isRecord(COMMANDS) && isRecord(CONTEXT_KEYS) && Array.isArray(DATASET_EXTENSIONS), 'commandIds.ts lacks COMMANDS, CONTEXT_KEYS or DATASET_EXTENSIONS');
  for (const [key, entry] of Object.entries(COMMANDS)) {
    assert.ok(isRecord(entry) && typeof entry['id'] === 'string' && typeof entry['title'] === 'string', `COMMANDS.${key} needs a string id and title`);
  }
  return mod as unknown as CommandTable;
}

function loadContributes(): Contributes {
  const pkg: unknown = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.ok(isRecord(pkg) && isRecord(pkg['contributes']), 'package.json has no contributes');
  const contributes = pkg['contributes'];
  assert.ok(Array.isArray(contributes['commands']), 'contributes.commands must be an array');
  assert.ok(isRecord(contributes['menus']), 'contributes.menus must be an object');
  return contributes as unknown as Contributes;
}

describe('command table ↔ package.json', () => {
  it('contributes every command of the table with the same title and category', async () => {
    const table = await loadTable();
    const contributed = new Map(loadContributes().commands.map((c) => [c.command, c]));
    for (const { id, title } of Object.values(table.COMMANDS)) {
      const c = contributed.get(id);
      assert.ok(c !== undefined, `${id} is in extension/commandIds.ts but not in contributes.commands`);
      assert.equal(c.title, title, `title of ${id}`);
      assert.equal(c.category, table.COMMAND_CATEGORY, `category of ${id}`);
    }
  });

  it('has every contributed command in the table, once', async () => {
    const ids = Object.values((await loadTable()).COMMANDS).map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length, 'duplicate command id in extension/commandIds.ts');
    const contributed = loadContributes().commands.map((c) => c.command);
    assert.equal(new Set(contributed).size, contributed.length, 'a command is contributed twice');
    for (const id of contributed) assert.ok(ids.includes(id), `${id} is contributed but missing from extension/commandIds.ts`);
  });

  it('refers only to known commands and context keys in menus', async () => {
    const table = await loadTable();
    const ids = new Set(Object.values(table.COMMANDS).map((c) => c.id));
    // `view == transferLab.models` names a view id, which the pattern below also matches.
    const keys = new Set([...Object.values(table.CONTEXT_KEYS), ...Object.values(table.VIEW_IDS ?? {})]);
    for (const [menu, entries] of Object.entries(loadContributes().menus)) {
      for (const entry of entries) {
        assert.ok(ids.has(entry.command), `menus.${menu} names unknown command ${entry.command}`);
        for (const [key] of (entry.when ?? '').matchAll(/(?<![\w.])transferLab\.\w+/g)) {
          assert.ok(keys.has(key), `menus.${menu} (${entry.command}) uses context key ${key}, not in CONTEXT_KEYS`);
        }
      }
    }
  });

  it('offers fine-tuning on exactly the dataset extensions', async () => {
    const table = await loadTable();
    const { menus } = loadContributes();
    const entries = ['explorer/context', 'editor/title'].flatMap((m) => (menus[m] ?? []).filter((e) => e.command === 'transferLab.fineTune'));
    assert.equal(entries.length, 2, 'transferLab.fineTune belongs in explorer/context and editor/title');
    for (const entry of entries) {
      const match = /resourceExtname =~ \/(.+?)\/(\w*)/.exec(entry.when ?? '');
      assert.ok(match !== null, `no resourceExtname regex in "${entry.when}"`);
      const re = new RegExp(match[1]!, match[2]);
      for (const ext of table.DATASET_EXTENSIONS) assert.ok(re.test(`.${ext}`), `.${ext} should show Fine-tune`);
      for (const other of ['.txt', '.ts', '.jsonc', '.csv.bak']) assert.ok(!re.test(other), `${other} should not show Fine-tune`);
    }
  });

  it('offers Run on *.tlab.json files instead of Fine-tune, and Pretrain on folders and text files', () => {
    const { menus } = loadContributes();
    /** A when clause evaluated for one Explorer resource (only the keys these menus use). */
    const holds = (when: string, file: string, folder = false): boolean =>
      when.split(' || ').some((alternative) => alternative.split(' && ').every((clause) => {
        const negated = clause.startsWith('!');
        const key = clause.replace(/^!/, '');
        if (key === 'explorerResourceIsFolder') return negated !== folder;
        if (key === 'resourceScheme == file') return true;
        const m = /^(resourceExtname|resourceFilename) =~ \/(.+)\/(\w*)$/.exec(key);
        assert.ok(m !== null, `unexpected clause ${clause}`);
        const value = m[1] === 'resourceExtname' ? (/\.[^.]*$/.exec(file)?.[0] ?? '') : file;
        return new RegExp(m[2]!, m[3]).test(value) !== negated;
      }));
    const shows = (menu: string, command: string, file: string, folder = false): boolean =>
      (menus[menu] ?? []).some((e) => e.command === command && holds(e.when ?? '', file, folder));
    for (const menu of ['explorer/context', 'editor/title']) {
      assert.ok(shows(menu, 'transferLab.fineTune', 'sms_spam.csv'), `${menu}: Fine-tune on a CSV`);
      assert.ok(!shows(menu, 'transferLab.fineTune', 'sms_spam.tlab.json'), `${menu}: no Fine-tune on a run configuration`);
      assert.ok(shows(menu, 'transferLab.runConfigFile', 'sms_spam.tlab.json'), `${menu}: Run on a run configuration`);
      assert.ok(!shows(menu, 'transferLab.runConfigFile', 'data.json'), `${menu}: no Run on other JSON`);
    }
    for (const file of ['corpus.txt', 'notes.md', 'wiki.valid.raw']) assert.ok(shows('explorer/context', 'transferLab.pretrain', file), `Pretrain on ${file}`);
    assert.ok(shows('explorer/context', 'transferLab.pretrain', 'texts', true), 'Pretrain on a folder');
    assert.ok(!shows('explorer/context', 'transferLab.pretrain', 'data.csv'), 'no Pretrain on a CSV');
  });

  it('documents the four settings with their defaults', () => {
    const { properties } = loadContributes().configuration;
    const expected: Record<string, unknown> = {
      'transferLab.backend': 'auto',
      'transferLab.nodePath': '',
      'transferLab.runsDirectory': '',
      'transferLab.defaultEpochs': 3,
    };
    for (const [key, value] of Object.entries(expected)) {
      assert.equal(properties[key]?.default, value, `default of ${key}`);
      assert.ok((properties[key]?.markdownDescription ?? '').length > 20, `${key} needs a markdownDescription`);
    }
  });

  it('contributes the Transfer Lab container with the views of VIEW_IDS, each with a welcome text', async () => {
    const table = await loadTable();
    const c = loadContributes();
    const container = c.viewsContainers?.activitybar?.find((v) => v.id === table.VIEW_CONTAINER_ID);
    assert.ok(container !== undefined, `no activity-bar container ${table.VIEW_CONTAINER_ID}`);
    const icon = readFileSync(join(ROOT, container.icon), 'utf8');
    assert.ok(icon.includes('currentColor'), `${container.icon} should draw with currentColor (themed by VS Code)`);
    const views = (c.views?.[table.VIEW_CONTAINER_ID] ?? []).map((v) => v.id);
    assert.deepEqual([...views].sort(), Object.values(table.VIEW_IDS).sort());
    for (const id of views) {
      const welcome = c.viewsWelcome?.find((w) => w.view === id);
      assert.ok(welcome !== undefined && /\(command:transferLab\.fineTune\)/.test(welcome.contents), `${id} needs a welcome text with a Fine-tune button`);
    }
  });

  it('offers Cancel Run only on queued or running runs, and Delete Run only on finished ones', () => {
    const items = loadContributes().menus['view/item/context'] ?? [];
    const when = (command: string): string[] => items.filter((e) => e.command === command).map((e) => e.when ?? '');
    const matches = (clause: string, state: string): boolean => {
      const re = /viewItem =~ \/(.+?)\//.exec(clause);
      return re !== null && new RegExp(re[1]!).test(`run.${state}`);
    };
    for (const clause of when('transferLab.cancelRun')) {
      for (const state of ['running', 'queued']) assert.ok(matches(clause, state), `Cancel Run should show on ${state}`);
      for (const state of ['completed', 'failed', 'cancelled', 'interrupted']) assert.ok(!matches(clause, state), `Cancel Run should not show on ${state}`);
    }
    for (const clause of when('transferLab.deleteRun')) {
      assert.ok(!matches(clause, 'running') && !matches(clause, 'queued'), 'Delete Run must not show on active runs');
      assert.ok(matches(clause, 'completed'), 'Delete Run should show on completed runs');
    }
    assert.ok(when('transferLab.cancelRun').length > 0 && when('transferLab.deleteRun').length > 0);
    // Cancel Run is a button on the row and an entry of its right-click menu, like Resume Run.
    const places = (command: string): string[] => items.filter((e) => e.command === command).map((e) => (e.group === 'inline' ? 'inline' : 'menu')).sort();
    assert.deepEqual(places('transferLab.cancelRun'), ['inline', 'menu']);
    assert.deepEqual(places('transferLab.resumeRun'), ['inline', 'menu']);
  });

  it('activates on every panel view type, so each panel\'s serializer can restore it after a reload', async () => {
    const mod: unknown = await import(pathToFileURL(join(ROOT, 'extension', 'commandIds.ts')).href);
    const types = isRecord(mod) && isRecord(mod['PANEL_VIEW_TYPES']) ? Object.values(mod['PANEL_VIEW_TYPES']) : [];
    assert.ok(types.length >= 4, 'PANEL_VIEW_TYPES lists the Training, Forgetting, Attention and Prompt panels');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { activationEvents?: string[] };
    for (const type of types) assert.ok((pkg.activationEvents ?? []).includes(`onWebviewPanel:${String(type)}`), `activationEvents lacks onWebviewPanel:${String(type)}`);
  });

  it('offers Compare with… on every run of the Runs view', () => {
    const items = loadContributes().menus['view/item/context'] ?? [];
    const entry = items.find((e) => e.command === 'transferLab.compareRuns');
    assert.ok(entry !== undefined && /view == transferLab\.runs/.test(entry.when ?? '') && /viewItem =~ \/\^run\\\./.test(entry.when ?? ''), `Compare with… on run items: ${entry?.when}`);
  });

  it('documents transferLab.modelPaths as an array defaulting to []', () => {
    const setting = loadContributes().configuration.properties['transferLab.modelPaths'];
    assert.deepEqual(setting?.default, []);
    assert.ok((setting?.markdownDescription ?? '').length > 20);
  });
});

describe('prompt commands in package.json', () => {
  const PROMPT_COMMANDS = ['transferLab.runPrompt', 'transferLab.classifySelection', 'transferLab.fillMask'];
  interface PromptContributes {
    readonly keybindings?: readonly { readonly command: string; readonly key: string; readonly mac?: string; readonly when?: string }[];
  }
  const contributes = (): Contributes & PromptContributes => loadContributes() as Contributes & PromptContributes;

  it('offers the three commands in the palette, the editor context menu and the notebook cell toolbar', async () => {
    const ids = new Set(Object.values((await loadTable()).COMMANDS).map((c) => c.id));
    const { menus } = contributes();
    for (const id of PROMPT_COMMANDS) {
      assert.ok(ids.has(id), `${id} missing from extension/commandIds.ts`);
      for (const menu of ['commandPalette', 'editor/context', 'notebook/cell/title']) {
        assert.ok((menus[menu] ?? []).some((e) => e.command === id), `${id} missing from menus.${menu}`);
      }
    }
  });

  it('binds Run Prompt to ctrl+alt+enter (cmd+alt+enter on macOS) in a focused editor', () => {
    const binding = (contributes().keybindings ?? []).find((k) => k.command === 'transferLab.runPrompt');
    assert.ok(binding !== undefined, 'no keybinding for transferLab.runPrompt');
    assert.equal(binding.key, 'ctrl+alt+enter');
    assert.equal(binding.mac, 'cmd+alt+enter');
    assert.equal(binding.when, 'editorTextFocus');
  });

  it('documents the prompt settings with the defaults extension/config.ts falls back to', () => {
    const { properties } = contributes().configuration;
    const expected: Record<string, unknown> = {
      'transferLab.prompt.maxTokens': 64,
      'transferLab.prompt.temperature': 0.7,
      'transferLab.prompt.topK': 0,
      'transferLab.prompt.topP': 0.9,
      'transferLab.prompt.seed': 0,
      'transferLab.prompt.insertInEditor': false,
      'transferLab.prompt.classifyTemplate': '',
      'transferLab.prompt.fillMaskTopK': 5,
    };
    const configTs = readFileSync(join(ROOT, 'extension', 'config.ts'), 'utf8');
    const defaults = /DEFAULT_PROMPT_SAMPLING: PromptSampling = Object\.freeze\((\{[^}]*\})\)/.exec(configTs);
    assert.ok(defaults !== null, 'extension/config.ts has no DEFAULT_PROMPT_SAMPLING');
    for (const [key, value] of Object.entries(expected)) {
      assert.equal(properties[key]?.default, value, `default of ${key}`);
      assert.ok((properties[key]?.markdownDescription ?? '').length > 20, `${key} needs a markdownDescription`);
      const short = key.slice('transferLab.prompt.'.length);
      if (['maxTokens', 'temperature', 'topK', 'topP', 'seed'].includes(short)) {
        assert.match(defaults[1]!, new RegExp(`\\b${short}: ${String(value).replace('.', '\\.')}\\b`), `config.ts default of ${short}`);
      }
    }
  });
});
