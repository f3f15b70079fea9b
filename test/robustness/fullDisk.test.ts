/**
 * A full disk while a checkpoint is written: the CLI run fails with one line naming the disk, the
 * fix and what is kept; the previous checkpoint is complete and loads, no temp folder is left
 * behind; once there is space again, `resume` finishes the run from that checkpoint. The disk is
 * filled by a preloaded fs guard (fullDiskGuard.cjs), so this runs the same as root, in CI, with
 * no tmpfs to mount. The atomic writers are also checked directly against a failing write.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import fsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic, writeFolderAtomic } from '../../server/checkpoints/atomicWrite';
import { readSafetensors } from '../../server/checkpoints/safetensors';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const DATASET = join(ROOT, 'test', 'fixtures', 'datasets', 'tiny-sentiment.csv');
/** A tiny run takes seconds; the budget covers a busy two-core CI machine. */
const CLI_TIMEOUT_MS = 180_000;

function cli(args: readonly string[], env: Record<string, string> = {}, preload: string[] = []) {
  return spawnSync(process.execPath, [...preload, CLI, ...args], { encoding: 'utf8', timeout: CLI_TIMEOUT_MS, env: { ...process.env, ...env } });
}

const ENOSPC = (path: string): NodeJS.ErrnoException => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', path });

test('the disk fills while the checkpoint of step 6 is written: the run fails, those of steps 2 and 4 stay whole, resume finishes it', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'tl-fulldisk-'));
  const runsDir = join(tmp, 'runs');
  // 7 steps an epoch, a checkpoint every 2 steps: 2, 4, then the disk fills at step 6.
  const run = cli(['finetune', DATASET, '--epochs', '2', '--batch-size', '8', '--eval-every', '2', '--runs-dir', runsDir, '--json'],
    { FULL_DISK_DIR: runsDir, FULL_DISK_AT_CHECKPOINT: '3' }, ['--require', join(__dirname, 'fullDiskGuard.cjs')]);
  assert.equal(run.status, 1, run.stderr);
  const runDir = join(runsDir, readdirSync(runsDir)[0] ?? '');
  const line = run.stderr.trim().split('\n').at(-1) ?? '';
  assert.equal(line, `transfer-lab: The disk is full (ENOSPC) writing ${join(runDir, 'checkpoints', '6', 'optimizer.safetensors')}. ` +
    `Free space on that disk (the checkpoints/ folders of old runs are the largest), then resume the run (Resume in the Runs view, or transfer-lab resume ${runDir}); its last complete checkpoint is kept.`);
  assert.doesNotMatch(run.stderr, /Internal error|at .*\.js:\d+/, 'no stack trace for a full disk');
  assert.match(run.stderr, new RegExp(`report\\.html was not written: The disk is full \\(ENOSPC\\) writing ${runDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/report\\.html\\.`));
  const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { state: string; message: string };
  assert.equal(record.state, 'failed');
  assert.match(record.message, /^The disk is full/);

  // The checkpoints before the full disk are whole; the one being written left nothing behind.
  const entries = readdirSync(join(runDir, 'checkpoints'));
  assert.deepEqual(entries.sort(), ['2', '4'], `checkpoints/ holds ${entries.join(', ')}`);
  const state = JSON.parse(readFileSync(join(runDir, 'checkpoints', '4', 'trainer_state.json'), 'utf8')) as { step: number };
  assert.equal(state.step, 4);
  assert.ok((await readSafetensors(join(runDir, 'checkpoints', '4', 'optimizer.safetensors'))).size > 0);
  assert.ok((await readSafetensors(join(runDir, 'checkpoints', '4', 'model.safetensors'))).size > 0);

  // Space again: resume from step 4 to the end.
  const resumed = cli(['resume', runDir, '--json']);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming the failed run from step 4/);
  assert.match(resumed.stdout, /"type":"summary","state":"completed"/);
  assert.ok(existsSync(join(runDir, 'final', 'model.safetensors')));
});

test('writeFileAtomic: a write that fails half-way keeps the old file and leaves no temp file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tl-atomic-'));
  const file = join(dir, 'run.json');
  writeFileSync(file, 'old contents\n');
  const original = fsPromises.writeFile;
  t.mock.method(fsPromises, 'writeFile', async (path: string, data: string) => {
    await original(path, data.slice(0, 3));
    throw ENOSPC(path);
  });
  await assert.rejects(writeFileAtomic(file, 'new contents, much longer than the old ones\n'), (e: NodeJS.ErrnoException) => e.code === 'ENOSPC' && e.path === file);
  t.mock.restoreAll();
  assert.equal(readFileSync(file, 'utf8'), 'old contents\n');
  assert.deepEqual(readdirSync(dir), ['run.json']);
});

test('writeFolderAtomic: a fill that fails keeps the old folder whole and removes the half-written one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tl-atomic-'));
  const target = join(dir, '4');
  mkdirSync(target);
  writeFileSync(join(target, 'model.safetensors'), 'old weights');
  await assert.rejects(writeFolderAtomic(target, async (tmp) => {
    writeFileSync(join(tmp, 'model.safetensors'), 'new we');
    throw ENOSPC(join(tmp, 'optimizer.safetensors'));
  }), (e: NodeJS.ErrnoException) => e.code === 'ENOSPC' && e.path === join(target, 'optimizer.safetensors')); // the destination, not the temp name
  assert.deepEqual(readdirSync(dir), ['4']);
  assert.equal(readFileSync(join(target, 'model.safetensors'), 'utf8'), 'old weights');
});
