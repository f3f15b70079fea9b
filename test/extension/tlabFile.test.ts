// *.tlab.json files (extension/wizard/tlabFile.ts): the name beside a dataset, relative paths in
// the written JSON, and parse errors that name the file, line and column.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FineTuneConfig } from '../../server/protocol';
import { isTlabPath, lineColumn, parseTlabJson, tlabPathFor, toTlabJson, TlabFileError } from '../../extension/wizard/tlabFile';

const CONFIG = {
  task: 'sequence-classification', textColumn: 'text', labelColumn: 'label', textPairColumn: '', targetColumn: '', model: 'tiny', fromScratch: false,
  epochs: 3, batchSize: 32, maxLength: 64, valFraction: 0.1, warmupRatio: 0.1, weightDecay: 0.01, vocabSize: 8000, seed: 42, strategy: 'full',
  lora: { rank: 8, alpha: 16, dropout: 0.1, targetModules: ['query', 'value'] }, mitigations: { layerwiseLrDecay: 1, l2sp: 0, rehearsal: 0 },
  schedule: 'linear', gradAccumulation: 1, maxGradNorm: 1, evalEvery: 0, earlyStoppingPatience: 0, valDataset: '', limit: 0, probe: '/elsewhere/probe.txt',
  dataset: '/work/data/sms_spam.csv', learningRate: 5e-4,
} satisfies FineTuneConfig;

describe('*.tlab.json files', () => {
  it('sits beside the dataset, named after it', () => {
    assert.equal(tlabPathFor('/work/data/sms_spam.csv'), '/work/data/sms_spam.tlab.json');
    assert.equal(tlabPathFor('/work/data/train.v2.jsonl'), '/work/data/train.v2.tlab.json');
    assert.ok(isTlabPath('/a/B.TLAB.JSON'));
    assert.ok(!isTlabPath('/a/b.json'));
  });

  it('writes every key, the editable ones first, with paths inside its folder relative', () => {
    const text = toTlabJson(CONFIG, '/work/data');
    const json = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json).slice(0, 4), ['dataset', 'task', 'textColumn', 'textPairColumn']);
    assert.deepEqual(new Set(Object.keys(json)), new Set(Object.keys(CONFIG)));
    assert.equal(json['dataset'], './sms_spam.csv');
    assert.equal(json['probe'], '/elsewhere/probe.txt', 'a path outside the folder stays absolute');
    assert.equal(json['model'], 'tiny', 'a preset name is not a path');
    assert.equal(json['valDataset'], '');
    assert.ok(text.endsWith('}\n'));
  });

  it('parses a file back, and names the file, line and column of a syntax error', () => {
    assert.deepEqual(parseTlabJson('{"dataset": "./a.csv", "epochs": 2}', 'a.tlab.json'), { dataset: './a.csv', epochs: 2 });
    assert.throws(() => parseTlabJson('{\n  "dataset": "./a.csv",\n}', 'a.tlab.json'), (err: unknown) => {
      assert.ok(err instanceof TlabFileError);
      assert.match(err.message, /^a\.tlab\.json is not valid JSON at line 3, column 1 \(Expected double-quoted property name\)/);
      return true;
    });
    assert.throws(() => parseTlabJson('{\n  "dataset": }', 'b.tlab.json'), /b\.tlab\.json is not valid JSON \(Unexpected token '}'\)\. Fix it/);
    assert.throws(() => parseTlabJson('[1]', 'c.tlab.json'), /c\.tlab\.json must hold one JSON object/);
    assert.throws(() => parseTlabJson('{"epochs": 2}', 'd.tlab.json'), /d\.tlab\.json has no "dataset"/);
  });

  it('counts lines and columns from 1', () => {
    assert.deepEqual(lineColumn('ab\ncd', 0), { line: 1, column: 1 });
    assert.deepEqual(lineColumn('ab\ncd', 4), { line: 2, column: 2 });
  });
});
