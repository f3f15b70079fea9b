// The Runs view's exports: which folder or file each copies out of a run folder (final/ before
// best/, adapter/ before final/adapter/, report.html), and the message when there is none yet.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

interface Run { runId: string; runDir: string; state: string; config: { strategy?: string } }
type Source = { ok: true; source: string; isFolder: boolean; suggestedName: string } | { ok: false; message: string; offer?: string };
type ExportSource = (run: Run, kind: 'model' | 'adapter' | 'report', exists: (p: string) => boolean) => Source;

/** Imported by URL, like commandTable.test.ts: test/tsconfig.json does not list extension/. */
async function load(): Promise<ExportSource> {
  const mod = (await import(pathToFileURL(join(__dirname, '..', '..', 'extension', 'views', 'runExportSource.ts')).href)) as { exportSource?: unknown };
  assert.equal(typeof mod.exportSource, 'function');
  return mod.exportSource as ExportSource;
}

const DIR = join('/runs', '20260101-abc');
const run = (state: string, strategy?: string): Run => ({ runId: '20260101-abc', runDir: DIR, state, config: strategy === undefined ? {} : { strategy } });
const files = (...paths: string[][]): ((p: string) => boolean) => {
  const set = new Set(paths.map((p) => join(DIR, ...p)));
  return (p) => set.has(p);
};

test('the model export copies final/, else best/, named after the run', async () => {
  const exportSource = await load();
  assert.deepEqual(exportSource(run('completed'), 'model', files(['final', 'config.json'], ['best', 'config.json'])), { ok: true, source: join(DIR, 'final'), isFolder: true, suggestedName: '20260101-abc-model' });
  assert.deepEqual(exportSource(run('cancelled'), 'model', files(['best', 'config.json'])), { ok: true, source: join(DIR, 'best'), isFolder: true, suggestedName: '20260101-abc-model' });
  const none = exportSource(run('failed'), 'model', files());
  assert.equal(none.ok, false);
  assert.match(none.ok ? '' : none.message, /no model folder yet: final\/ is written when a run completes/);
  const running = exportSource(run('running'), 'model', files());
  assert.match(running.ok ? '' : running.message, /It is running: wait until it ends\./);
});

test('the adapter export needs a LoRA run; other strategies are offered the model export', async () => {
  const exportSource = await load();
  assert.deepEqual(exportSource(run('completed', 'lora'), 'adapter', files(['adapter', 'adapter_config.json'])), { ok: true, source: join(DIR, 'adapter'), isFolder: true, suggestedName: '20260101-abc-adapter' });
  assert.deepEqual(exportSource(run('completed', 'lora'), 'adapter', files(['final', 'adapter', 'adapter_config.json'])).ok, true);
  const full = exportSource(run('completed', 'full'), 'adapter', files(['final', 'config.json']));
  assert.deepEqual(full, { ok: false, message: 'Run 20260101-abc was trained with strategy "full": only LoRA runs have a PEFT adapter. Export its Hugging Face model folder instead.', offer: 'model' });
  const defaulted = exportSource(run('completed'), 'adapter', files());
  assert.match(defaulted.ok ? '' : defaulted.message, /strategy "full"/, 'a config without a strategy was a full fine-tune');
  const lora = exportSource(run('interrupted', 'lora'), 'adapter', files());
  assert.match(lora.ok ? '' : lora.message, /no PEFT adapter yet/);
});

test('the report export saves report.html as <run>-report.html', async () => {
  const exportSource = await load();
  assert.deepEqual(exportSource(run('completed'), 'report', files(['report.html'])), { ok: true, source: join(DIR, 'report.html'), isFolder: false, suggestedName: '20260101-abc-report.html' });
  const none = exportSource(run('failed'), 'report', files());
  assert.match(none.ok ? '' : none.message, /no report\.html: it is written when a run ends, once it has recorded metrics/);
});
