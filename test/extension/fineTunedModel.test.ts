// Choosing the fine-tuned model shown beside the prompt's model (extension/prompt/fineTunedModel.ts):
// the newest completed run of that base whose output has a usable head.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fineTunedModelOf } from '../../extension/prompt/fineTunedModel';
import { GENERATION_HEADS, FILL_MASK_HEADS } from '../../extension/prompt/promptText';
import type { ModelSummary, RunState, RunSummary } from '../../server/protocol';

const BASE = '/work/demo/models/tiny-gpt2';
const RUNS = '/work/demo/.transfer-lab/runs';

function run(runId: string, createdAt: string, model = BASE, state: RunState = 'completed'): RunSummary {
  return {
    runId, runDir: `${RUNS}/${runId}`, state, config: { dataset: '/work/demo/story.txt', model } as RunSummary['config'], backend: 'wasm',
    createdAt, finishedAt: createdAt, message: null, totalSteps: 1, lastStep: 1, lastLoss: 1, lastValAccuracy: 0,
  };
}

function output(runId: string, sub: 'final' | 'best', head: string): ModelSummary {
  return { dir: `${RUNS}/${runId}/${sub}`, name: `${runId} (${sub})`, family: 'gpt2', head, layers: 2, hidden: 32, heads: 4, tokenizer: 'tokenizer.json', source: 'run', runId };
}

describe('fine-tuned model beside the prompt model', () => {
  it('takes the newest completed run of the base, its final model first', () => {
    const runs = [run('old', '2026-01-01T00:00:00Z'), run('new', '2026-01-02T00:00:00Z'), run('running', '2026-01-03T00:00:00Z', BASE, 'running')];
    const models = [output('old', 'final', 'causal-lm'), output('new', 'best', 'causal-lm'), output('new', 'final', 'causal-lm'), output('running', 'best', 'causal-lm')];
    assert.deepEqual(fineTunedModelOf(BASE, runs, models, GENERATION_HEADS), { runId: 'new', dir: `${RUNS}/new/final`, name: 'new (final)' });
  });

  it('matches the base folder however it is written', () => {
    const runs = [run('r', '2026-01-01T00:00:00Z', `${BASE}/`)];
    assert.equal(fineTunedModelOf('/work/demo/models/../models/tiny-gpt2', runs, [output('r', 'final', 'causal-lm')], GENERATION_HEADS)?.runId, 'r');
  });

  it('skips runs of other bases, presets, and outputs whose head cannot do the task', () => {
    const runs = [run('other', '2026-01-03T00:00:00Z', '/work/demo/models/other'), run('preset', '2026-01-04T00:00:00Z', 'tiny'), run('classifier', '2026-01-02T00:00:00Z'), run('lm', '2026-01-01T00:00:00Z')];
    const models = [output('other', 'final', 'causal-lm'), output('preset', 'final', 'causal-lm'), output('classifier', 'final', 'sequence-classification'), output('lm', 'final', 'causal-lm')];
    assert.equal(fineTunedModelOf(BASE, runs, models, GENERATION_HEADS)?.runId, 'lm');
    assert.equal(fineTunedModelOf(BASE, runs, models, FILL_MASK_HEADS), undefined);
    assert.equal(fineTunedModelOf('tiny', runs, models, GENERATION_HEADS), undefined, 'a preset is no folder to compare with');
  });
});
