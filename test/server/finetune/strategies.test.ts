/**
 * Each strategy trains exactly the variables it promises: the others stay bit-identical (no
 * update, no weight decay), checked on the saved weights; and the live tensor count is flat from
 * step to step within each phase and back to where it started after the run.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../../../server/backend/tf';
import { loadModelFolder } from '../../../server/checkpoints/modelFolder';
import type { NamedArray } from '../../../server/models/parameters';
import { FEATURE_HEAD_FILE } from '../../../server/finetune/strategies/featureHead';
import { bitIdentical, maxAbsDiff, runOnFixture, tempDir, testBackend, tinyModelFolder, weightsOf, type RunOutcome } from './finetuneFixtures';

let folder = '';
let base = new Map<string, NamedArray>();
/** The classifier head a run starts from (fresh, seeded like the run). */
let initialHead = new Map<string, NamedArray>();
const runsDir = tempDir('tl-strategies-');
const LABELS = ['negative', 'positive'];
const ENCODER = /^bert\./;

before(async () => {
  await testBackend();
  folder = await tinyModelFolder('bert');
  base = await weightsOf(folder);
  const loaded = await loadModelFolder(folder, { head: 'sequence-classification', labels: LABELS, seed: 42 });
  const all = await loaded.model.params.toCheckpointArrays();
  initialHead = new Map([...all].filter(([n]) => !ENCODER.test(n) || n.startsWith('bert.pooler')));
  loaded.model.dispose();
});

const encoderNames = (): string[] => [...base.keys()].filter((n) => ENCODER.test(n));

function assertChanged(after: Map<string, NamedArray>, names: readonly string[], reference: Map<string, NamedArray>, what: string): void {
  for (const n of names) assert.ok(!bitIdentical(after.get(n), reference.get(n)), `${what}: ${n} should have changed`);
}
function assertFrozen(after: Map<string, NamedArray>, names: readonly string[], reference: Map<string, NamedArray>, what: string): void {
  for (const n of names) assert.ok(bitIdentical(after.get(n), reference.get(n)), `${what}: ${n} should be bit-identical`);
}

/** Step tensor counts are equal within each phase (phases start after the given steps). */
function assertFlat(run: RunOutcome, boundaries: readonly number[], before: number): void {
  const phaseOf = (step: number): number => boundaries.filter((b) => step > b).length;
  const byPhase = new Map<number, Set<number>>();
  for (const { step, count } of run.stepTensors) byPhase.set(phaseOf(step), (byPhase.get(phaseOf(step)) ?? new Set()).add(count));
  for (const [phase, counts] of byPhase) assert.equal(counts.size, 1, `phase ${phase}: live tensors varied between steps: ${[...counts].join(', ')}`);
  assert.ok(run.stepTensors.length >= 14, 'too few steps to show anything');
  assert.equal(tf.memory().numTensors, before, 'tensors leaked by the run');
}

/** Copies each evaluation's checkpoint weights before pruning can delete them. */
function snapshotter(into: string, file = 'model.safetensors') {
  return (e: { type: string; step: number }, runDir: string): void => {
    if (e.type === 'eval') copyFileSync(join(runDir, 'checkpoints', String(e.step), file), join(into, `${e.step}.safetensors`));
  };
}

const run = async (strategy: string, extra: Record<string, unknown> = {}, onEvent?: (e: { type: string; step: number }, runDir: string) => void) => {
  const before = tf.memory().numTensors;
  const r = await runOnFixture(runsDir, { model: folder, strategy, epochs: 3, ...extra }, onEvent === undefined ? {} : { onEvent });
  assert.equal(r.record.state, 'completed', r.record.message ?? '');
  return { r, before };
};

test('full: every encoder tensor and the head change', async () => {
  const { r, before } = await run('full');
  const after = await weightsOf(join(r.runDir, 'final'));
  assertChanged(after, encoderNames(), base, 'full');
  assertChanged(after, ['classifier.weight', 'bert.pooler.dense.weight'], initialHead, 'full');
  assertFlat(r, [], before);
  assert.equal(r.record.result?.strategy, 'full');
});

test('freeze:1: embeddings and layer 0 bit-identical; layer 1, pooler and classifier trained', async () => {
  const { r, before } = await run('freeze:1');
  const after = await weightsOf(join(r.runDir, 'final'));
  const frozen = encoderNames().filter((n) => n.startsWith('bert.embeddings.') || n.startsWith('bert.encoder.layer.0.'));
  assert.ok(frozen.length > 10);
  assertFrozen(after, frozen, base, 'freeze:1');
  assertChanged(after, encoderNames().filter((n) => n.startsWith('bert.encoder.layer.1.')), base, 'freeze:1');
  assertChanged(after, ['classifier.weight', 'classifier.bias', 'bert.pooler.dense.weight'], initialHead, 'freeze:1');
  assertFlat(r, [], before);
});

test('gradual: epoch 1 trains layer 1 only, epoch 2 adds layer 0, epoch 3 the embeddings', async () => {
  const snaps = tempDir('tl-gradual-snap-');
  const { r, before } = await run('gradual', {}, snapshotter(snaps));
  const [s1, s2] = [await weightsOf(snaps, '7.safetensors'), await weightsOf(snaps, '14.safetensors')];
  const final = await weightsOf(join(r.runDir, 'final'));
  const embeddings = encoderNames().filter((n) => n.startsWith('bert.embeddings.'));
  const layer0 = encoderNames().filter((n) => n.startsWith('bert.encoder.layer.0.'));
  const layer1 = encoderNames().filter((n) => n.startsWith('bert.encoder.layer.1.'));
  assertFrozen(s1, [...embeddings, ...layer0], base, 'after epoch 1');
  assertChanged(s1, layer1, base, 'after epoch 1');
  assertFrozen(s2, embeddings, base, 'after epoch 2');
  assertChanged(s2, layer0, s1, 'after epoch 2');
  assertChanged(final, embeddings, s2, 'after epoch 3');
  assertFlat(r, [7, 14], before);
});

test('lp-ft: the first half trains the head only, the second every weight', async () => {
  const snaps = tempDir('tl-lpft-snap-');
  const { r, before } = await run('lp-ft', { epochs: 2 }, snapshotter(snaps));
  const probe = await weightsOf(snaps, '7.safetensors');
  assertFrozen(probe, encoderNames(), base, 'after the linear probe');
  assertChanged(probe, ['classifier.weight', 'bert.pooler.dense.weight'], initialHead, 'after the linear probe');
  assertChanged(await weightsOf(join(r.runDir, 'final')), encoderNames(), base, 'after fine-tuning');
  assertFlat(r, [7], before);
});

test('lora: only adapters and the head train; the merged export is base + A·B·alpha/r on query/value', async () => {
  const { r, before } = await run('lora', { lora: { rank: 4, alpha: 8, dropout: 0.1, targetModules: ['query', 'value'] } });
  const merged = await weightsOf(join(r.runDir, 'final'));
  const adapter = await weightsOf(join(r.runDir, 'adapter'), 'adapter_model.safetensors');
  const targeted = encoderNames().filter((n) => /\.(query|value)\.weight$/.test(n));
  assert.equal(targeted.length, 4);
  assertFrozen(merged, encoderNames().filter((n) => !targeted.includes(n)), base, 'lora');
  for (const n of targeted) {
    const module = n.slice(0, -'.weight'.length);
    const a = adapter.get(`base_model.model.${module}.lora_A.weight`) as NamedArray; // [r, in]
    const b = adapter.get(`base_model.model.${module}.lora_B.weight`) as NamedArray; // [out, r]
    const w = base.get(n) as NamedArray; // [out, in]
    const [out, inDim] = w.shape as [number, number];
    const expected = new Float32Array(out * inDim);
    for (let o = 0; o < out; o++) for (let i = 0; i < inDim; i++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += (b.data[o * 4 + k] ?? 0) * (a.data[k * inDim + i] ?? 0);
      expected[o * inDim + i] = (w.data[o * inDim + i] ?? 0) + s * 2;
    }
    assert.ok(maxAbsDiff(merged.get(n)?.data ?? new Float32Array(0), expected) < 1e-6, `${n} is not base + BA·alpha/r`);
    assert.ok(!bitIdentical(merged.get(n), w), `${n}: the adapter learnt nothing`);
  }
  assertChanged(merged, ['classifier.weight', 'bert.pooler.dense.weight'], initialHead, 'lora head');
  const ckpts = readdirSync(join(r.runDir, 'checkpoints'));
  assert.ok(ckpts.every((s) => existsSync(join(r.runDir, 'checkpoints', s, 'adapter_model.safetensors')) && !existsSync(join(r.runDir, 'checkpoints', s, 'model.safetensors'))), 'LoRA checkpoints hold the adapter, not the model');
  assertFlat(r, [], before);
});

test('features: the encoder in final/ is bit-identical to the base; only the head trains', async () => {
  const { r, before } = await run('features', { epochs: 20 });
  const encoder = await weightsOf(join(r.runDir, 'final'));
  for (const n of encoderNames().filter((x) => !x.startsWith('bert.pooler'))) {
    assert.ok(bitIdentical(encoder.get(n.slice('bert.'.length)), base.get(n)), `features: ${n} changed`);
  }
  const head = await weightsOf(join(r.runDir, 'final'), FEATURE_HEAD_FILE);
  assert.deepEqual(head.get('classifier.weight')?.shape, [2, 16]);
  assert.ok((head.get('classifier.weight')?.data ?? []).some((v) => v !== 0), 'the head did not train');
  assertFlat(r, [], before);
});
