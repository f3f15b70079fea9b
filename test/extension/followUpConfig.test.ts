// A follow-up run's config: the alert suggestion's patch over the run's config, with
// `mitigations` (and `lora`) merged key by key rather than replaced.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

type Config = Record<string, unknown> & { mitigations: Record<string, number>; lora: Record<string, unknown> };
type Apply = (config: Config, patch: Record<string, unknown>) => Config;

/** Imported by URL, like commandTable.test.ts: test/tsconfig.json does not list extension/. */
async function load(): Promise<Apply> {
  const mod = (await import(pathToFileURL(join(__dirname, '..', '..', 'extension', 'panels', 'followUpConfig.ts')).href)) as { applyConfigPatch?: unknown };
  assert.equal(typeof mod.applyConfigPatch, 'function');
  return mod.applyConfigPatch as Apply;
}

const BASE: Config = {
  dataset: '/d/train.csv', model: '/m/bert', strategy: 'full', learningRate: 5e-5,
  mitigations: { layerwiseLrDecay: 0.9, l2sp: 0, rehearsal: 0 },
  lora: { rank: 8, alpha: 16, dropout: 0.05, targetModules: ['query', 'value'] },
};

test('a mitigations patch keeps the mitigations it does not name', async () => {
  const apply = await load();
  const merged = apply(BASE, { mitigations: { l2sp: 0.01 } });
  assert.deepEqual(merged.mitigations, { layerwiseLrDecay: 0.9, l2sp: 0.01, rehearsal: 0 });
  assert.equal(merged['strategy'], 'full');
  assert.deepEqual(BASE.mitigations, { layerwiseLrDecay: 0.9, l2sp: 0, rehearsal: 0 }, 'the run config is not mutated');
});

test('top-level keys replace; lora merges key by key', async () => {
  const apply = await load();
  const merged = apply(BASE, { strategy: 'lora', learningRate: 1e-4, lora: { rank: 4 } });
  assert.equal(merged['strategy'], 'lora');
  assert.equal(merged['learningRate'], 1e-4);
  assert.deepEqual(merged.lora, { rank: 4, alpha: 16, dropout: 0.05, targetModules: ['query', 'value'] });
  assert.equal(merged['dataset'], '/d/train.csv');
});
