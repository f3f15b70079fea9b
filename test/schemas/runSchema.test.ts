// schemas/run.schema.json (contributed for *.tlab.json files) against the server's run
// configuration: the same keys at every level, the same enums and defaults, and the same verdict
// as resolveFineTuneConfig on values at and beyond each range's ends, so the two cannot drift.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { DEFAULT_FINETUNE_CONFIG, DEFAULT_LORA_CONFIG, DEFAULT_MITIGATIONS, resolveFineTuneConfig } from '../../server/finetune/fineTuneConfig';
import { TASKS } from '../../server/tasks/task';

const ROOT = join(__dirname, '..', '..');
const SCHEMA_PATH = join(ROOT, 'schemas', 'run.schema.json');

interface SchemaNode {
  readonly properties?: Readonly<Record<string, SchemaNode & { readonly default?: unknown; readonly enum?: readonly unknown[]; readonly description?: string }>>;
  readonly additionalProperties?: boolean;
  readonly required?: readonly string[];
}

const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as SchemaNode;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
const properties = schema.properties ?? {};

/** Both verdicts on one configuration: the schema's and the server's. */
function verdicts(config: Record<string, unknown>): { schema: boolean; server: boolean } {
  let server = true;
  try {
    resolveFineTuneConfig(config, '/tmp');
  } catch {
    server = false;
  }
  return { schema: validate(config), server };
}

/** `{ a: { b: v } }` for the path "a.b". */
function withValue(path: string, value: unknown): Record<string, unknown> {
  const [head = '', tail] = path.split('.');
  return { dataset: 'train.csv', [head]: tail === undefined ? value : { [tail]: value } };
}

describe('run.schema.json ↔ the server’s run configuration', () => {
  it('has exactly the server’s keys at every level, and no others', () => {
    const serverKeys = [...Object.keys(DEFAULT_FINETUNE_CONFIG), 'dataset', 'learningRate'].sort();
    assert.deepEqual(Object.keys(properties).sort(), serverKeys);
    assert.deepEqual(Object.keys(properties['lora']?.properties ?? {}).sort(), Object.keys(DEFAULT_LORA_CONFIG).sort());
    assert.deepEqual(Object.keys(properties['mitigations']?.properties ?? {}).sort(), Object.keys(DEFAULT_MITIGATIONS).sort());
    assert.equal(schema.additionalProperties, false);
    assert.equal(properties['lora']?.additionalProperties, false);
    assert.equal(properties['mitigations']?.additionalProperties, false);
    assert.deepEqual(schema.required, ['dataset']);
  });

  it('describes every key, with the server’s enums and defaults', () => {
    for (const [key, node] of Object.entries(properties)) assert.ok((node.description ?? '').length > 10, `${key} needs a description`);
    assert.deepEqual(properties['task']?.enum, [...TASKS]);
    for (const [key, value] of Object.entries(DEFAULT_FINETUNE_CONFIG)) {
      if (key === 'lora' || key === 'mitigations') continue;
      assert.deepEqual(properties[key]?.default, value, `default of ${key}`);
    }
    for (const [key, value] of Object.entries(DEFAULT_LORA_CONFIG)) assert.deepEqual(properties['lora']?.properties?.[key]?.default, value, `default of lora.${key}`);
    for (const [key, value] of Object.entries(DEFAULT_MITIGATIONS)) assert.deepEqual(properties['mitigations']?.properties?.[key]?.default, value, `default of mitigations.${key}`);
  });

  it('accepts every resolved configuration the server writes', () => {
    for (const partial of [{ dataset: 'a.csv' }, { dataset: 'a.csv', strategy: 'lora', task: 'token-classification' }, { dataset: 'a.csv', strategy: 'features' }]) {
      const resolved = resolveFineTuneConfig(partial, '/tmp');
      assert.ok(validate(JSON.parse(JSON.stringify(resolved))), JSON.stringify(validate.errors));
    }
  });

  const BAD: readonly (readonly [string, unknown])[] = [
    ['epochs', 0], ['epochs', 1.5], ['epochs', 1001], ['batchSize', 0], ['batchSize', 4097], ['learningRate', 0], ['learningRate', 1.5],
    ['learningRate', '5e-5'], ['maxLength', 3], ['maxLength', 8193], ['valFraction', 0], ['valFraction', 1], ['warmupRatio', 1], ['warmupRatio', -0.1],
    ['weightDecay', 1], ['vocabSize', 99], ['vocabSize', 250001], ['seed', -1], ['seed', 0.5], ['strategy', 'freeze'], ['strategy', 'lorax'],
    ['strategy', 'freeze:x'], ['task', 'summarization'], ['schedule', 'step'], ['gradAccumulation', 0], ['gradAccumulation', 1025], ['maxGradNorm', 0],
    ['evalEvery', -1], ['earlyStoppingPatience', 1.5], ['limit', -1], ['model', ''], ['textColumn', 3], ['valDataset', 3], ['epoch', 3],
    ['lora.rank', 0], ['lora.rank', 1025], ['lora.alpha', 0], ['lora.dropout', 1], ['lora.dropout', -0.1], ['lora.targetModules', []],
    ['lora.targetModules', ['']], ['lora.ranks', 4], ['mitigations.layerwiseLrDecay', 0], ['mitigations.layerwiseLrDecay', 1.1],
    ['mitigations.l2sp', -1], ['mitigations.l2sp', 101], ['mitigations.rehearsal', 11], ['mitigations.ewc', 1], ['lora', 'yes'], ['fromScratch', 'yes'], ['fromScratch', 1],
  ];
  it('rejects what the server rejects: values beyond each range, wrong types, unknown keys', () => {
    for (const [path, value] of BAD) {
      const v = verdicts(withValue(path, value));
      assert.equal(v.server, false, `the server should reject ${path} = ${JSON.stringify(value)}`);
      assert.equal(v.schema, false, `the schema should reject ${path} = ${JSON.stringify(value)}`);
    }
    assert.equal(validate({ epochs: 3 }), false, 'dataset is required');
  });

  const GOOD: readonly (readonly [string, unknown])[] = [
    ['epochs', 1], ['epochs', 1000], ['batchSize', 4096], ['learningRate', 1], ['learningRate', 1e-6], ['maxLength', 4], ['maxLength', 8192],
    ['valFraction', 0.5], ['warmupRatio', 0], ['weightDecay', 0], ['vocabSize', 100], ['vocabSize', 250000], ['seed', 0], ['strategy', 'freeze:0'],
    ['strategy', 'freeze:12'], ['strategy', 'lp-ft'], ['strategy', 'gradual'], ['task', 'causal-lm'], ['schedule', 'cosine'], ['gradAccumulation', 1024],
    ['maxGradNorm', 0.5], ['evalEvery', 0], ['limit', 400], ['model', './models/bert'], ['lora.rank', 1024], ['lora.alpha', 0.5], ['lora.dropout', 0.99],
    ['lora.targetModules', ['query', 'key', 'value']], ['mitigations.layerwiseLrDecay', 1], ['mitigations.l2sp', 100], ['mitigations.rehearsal', 10], ['fromScratch', true],
  ];
  it('accepts what the server accepts at each range’s ends', () => {
    for (const [path, value] of GOOD) {
      const v = verdicts(withValue(path, value));
      assert.equal(v.server, true, `the server should accept ${path} = ${JSON.stringify(value)}`);
      assert.equal(v.schema, true, `the schema should accept ${path} = ${JSON.stringify(value)}: ${JSON.stringify(validate.errors)}`);
    }
  });

  it('is contributed for *.tlab.json files and packaged in the .vsix', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { jsonValidation?: { fileMatch: string | string[]; url: string }[] } };
    const entry = pkg.contributes.jsonValidation?.find((j) => ([] as string[]).concat(j.fileMatch).includes('*.tlab.json'));
    assert.ok(entry !== undefined, 'no contributes.jsonValidation for *.tlab.json');
    assert.equal(join(ROOT, entry.url), SCHEMA_PATH);
    assert.match(readFileSync(join(ROOT, '.vscodeignore'), 'utf8'), /^!schemas\/\*\.json$/m);
  });
});
