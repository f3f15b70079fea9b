/**
 * The engine against an independent reference of Hugging Face's semantics (test/reference,
 * plain float64 arrays): for every family and head, a random-weight checkpoint written in HF
 * layout loads and `forward` (hidden states, logits, every attention map) matches to 1e-4.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModelFolder } from '../../../server/checkpoints/modelFolder';
import { forwardDump } from '../../../server/inference/forwardDump';
import { exampleInput, supportedCombinations, writeHfCheckpoint, type FixtureOptions } from '../../helpers/hfCheckpoints';
import { compareOutputs, referenceForward } from '../../reference';
import { useTestBackend } from '../../helpers/backend';

before(useTestBackend);

async function check(opts: FixtureOptions): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `tl-parity-${opts.family}-`));
  const fixture = writeHfCheckpoint(dir, opts);
  const { ids, decoderIds } = exampleInput(opts.family);
  const expected = referenceForward(fixture.config, fixture.weights, ids, decoderIds);
  const { model } = await loadModelFolder(dir);
  try {
    const actual = JSON.parse(JSON.stringify(await forwardDump(model, ids, decoderIds))) as unknown;
    const cmp = compareOutputs(actual, expected, 1e-4);
    assert.ok(cmp.ok, `${opts.family}/${opts.head}${opts.variant ? ` (${opts.variant})` : ''}: ${cmp.problems.join('; ')}`);
  } finally {
    model.dispose();
  }
}

for (const { family, head } of supportedCombinations()) {
  test(`${family} ${head} matches the reference`, () => check({ family, head, seed: 11 }));
}

test('t5 v1.1 (gated-gelu, untied LM head) matches the reference', () => check({ family: 't5', head: 'seq2seq-lm', variant: 'v1.1', seed: 12 }));
test('bert with tiny embeddings (eps matters) matches the reference', () => check({ family: 'bert', head: 'masked-lm', variant: 'tiny-embeddings', seed: 13 }));
test('distilbert with tiny embeddings (hard-coded eps) matches the reference', () => check({ family: 'distilbert', head: 'base', variant: 'tiny-embeddings', seed: 14 }));
test('configs that omit default keys load with HF defaults', () => check({ family: 'roberta', head: 'masked-lm', variant: 'omit-defaults', seed: 15 }));
