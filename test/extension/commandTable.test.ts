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
}
interface Contributes {
  readonly commands: readonly { readonly command: string; readonly title: string; readonly category?: string }[];
  readonly menus: Readonly<Record<string, readonly { readonly command: string; readonly when?: string }[]>>;
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
    const keys = new Set(Object.values(table.CONTEXT_KEYS));
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
});
