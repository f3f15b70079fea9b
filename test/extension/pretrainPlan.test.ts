// "Pretrain…" choices and its default output folder (extension/pretrain/pretrainPlan.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAMILIES, SIZES } from '../../server/models/config';
import { defaultOutputFolder, isPretrainTextFile, PRETRAIN_FAMILIES, PRETRAIN_SIZES, PRETRAIN_STEPS } from '../../extension/pretrain/pretrainPlan';

describe('pretrain plan', () => {
  it('offers exactly the engine’s families and sizes, the CLI’s default steps first', () => {
    assert.deepEqual(PRETRAIN_FAMILIES.map((f) => f.family), [...FAMILIES]);
    assert.deepEqual(PRETRAIN_SIZES.map((s) => s.size), [...SIZES]);
    assert.equal(PRETRAIN_STEPS[0], 300);
  });
  it('writes to models/<corpus>-<family>-<size> in the workspace, never over an existing folder', () => {
    const taken = new Set(['/ws/models/wiki-valid-bert-tiny', '/ws/models/wiki-valid-bert-tiny-2']);
    assert.equal(defaultOutputFolder('/ws/data/wiki.valid.raw', 'gpt2', 'mini', '/ws', () => false), '/ws/models/wiki-valid-gpt2-mini');
    assert.equal(defaultOutputFolder('/ws/data/wiki.valid.raw', 'bert', 'tiny', '/ws', (p) => taken.has(p)), '/ws/models/wiki-valid-bert-tiny-3');
    assert.equal(defaultOutputFolder('/tmp/notes', 'bert', 'tiny', undefined, () => false), '/tmp/notes-bert-tiny');
  });
  it('accepts .txt, .md and .raw files', () => {
    assert.ok(isPretrainTextFile('/a/b.TXT') && isPretrainTextFile('/a/b.md') && isPretrainTextFile('/a/wiki.valid.raw'));
    assert.ok(!isPretrainTextFile('/a/b.csv'));
  });
});
