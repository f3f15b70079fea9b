/**
 * Nothing is downloaded at run time: a full fine-tune from the CLI runs with every outbound
 * connection and DNS lookup refused by a preloaded guard, completes, and attempted none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

test('a full fine-tune attempts no network access', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'tl-nonet-'));
  const report = join(tmp, 'attempts.json');
  const r = spawnSync(process.execPath, [
    '--require', join(__dirname, 'networkGuard.cjs'), join(ROOT, 'dist', 'cli.js'),
    'finetune', join(ROOT, 'test', 'fixtures', 'datasets', 'tiny-sentiment.csv'), '--epochs', '1', '--runs-dir', join(tmp, 'runs'), '--json',
  ], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NETWORK_GUARD_REPORT: report } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /"type":"summary","state":"completed"/);
  assert.deepEqual(JSON.parse(readFileSync(report, 'utf8')), []);
});
