/**
 * The soak workload at the tiniest size: a real fine-tuning run of 60 steps whose live tensor
 * count is the same at every step after warm-up and whose figures reach the table's note; and
 * the slope and window arithmetic on literal values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../server/backend/selectBackend';
import { resolveBenchSpec } from '../../server/bench/benchSpec';
import { runWorkload } from '../../server/bench/runWorkload';
import { slopePer1000, soakFigures } from '../../server/bench/soakWorkload';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchSummary } from '../../server/bench/runWorkload';

/** bench/rows.ts by URL: test/tsconfig.json's project does not include bench/. */
async function soakNote(s: BenchSummary): Promise<string> {
  const rows = (await import(pathToFileURL(join(__dirname, '..', '..', 'bench', 'rows.ts')).href)) as { soakNote: (s: BenchSummary) => string };
  return rows.soakNote(s);
}

test('slope per 1,000 steps and the start/end windows, on literal values', () => {
  assert.equal(slopePer1000([{ x: 0, y: 5 }, { x: 500, y: 6 }, { x: 1000, y: 7 }]), 2);
  assert.equal(slopePer1000([{ x: 10, y: 3 }]), 0);
  const samples = Array.from({ length: 100 }, (_, i) => ({ step: i + 1, tensors: 40, rssMb: i === 99 ? 500 : 200 + (i % 2) }));
  const f = soakFigures(samples, 0);
  assert.deepEqual([f['fromStep'], f['steps'], f['tensorsMin'], f['tensorsMax']], [1, 100, 40, 40]);
  assert.equal(f['rssStartMb'], 200.5, 'median of the first tenth');
  assert.equal(f['rssEndMb'], 200.5, 'one bump at the end does not decide the end');
  assert.equal(f['rssMaxMb'], 500);
  assert.throws(() => soakFigures(samples, 100), /no step after warm-up/);
});

test('bench soak: 60 real fine-tuning steps keep the live tensor count flat', async () => {
  const backend = await initBackend('wasm');
  const spec = resolveBenchSpec({ workload: 'soak', steps: 60, warmup: 10, shape: { family: 'bert', layers: 1, hidden: 16, heads: 2, ffn: 32, vocab: 300, seq: 8, batch: 2, positions: 32 } });
  const s = await runWorkload(spec, backend);
  assert.equal(s.unit, 'tokens/s');
  assert.ok(Number.isFinite(s.value) && s.value > 0, `headline ${s.value}`);
  assert.equal(s.details['steps'], 100, 'whole epochs of 50 steps: 60 steps round up to 2 epochs');
  assert.equal(s.details['fromStep'], 11);
  assert.equal(s.details['tensorsMin'], s.details['tensorsMax'], 'live tensors changed between steps');
  assert.equal(s.tensorsAfter, s.tensorsBefore);
  assert.equal(s.tensorsAtEnd, s.tensorsAtStart, 'tensors outlived the run');
  assert.equal(s.leaked, false);
  assert.ok((s.details['rssStartMb'] ?? 0) > 0 && (s.details['rssEndMb'] ?? 0) > 0);
  assert.match(await soakNote(s), /steps 11–100: live tensors \d+ at every step, RSS \d+ → \d+ MiB/);
});
