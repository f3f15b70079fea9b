/**
 * A diverging run stops with the step, what happened and the fix, and keeps what it wrote before:
 * the guard's rule on literal losses, then a real run at learning rate 1 with clipping off, whose
 * loss explodes within a few steps of the first evaluation.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DivergenceGuard, EXPLODING_LOSS_STEPS } from '../../server/finetune/loop/divergence';
import { loadModelFolder } from '../../server/checkpoints/modelFolder';
import { readMetrics } from '../../server/runs/runStore';
import { runOnFixture, tempDir, testBackend } from '../server/finetune/finetuneFixtures';

before(async () => {
  await testBackend();
});

test('a NaN or infinite loss or gradient norm diverges at once', () => {
  assert.match(new DivergenceGuard().afterStep(1, NaN, 1)?.reason ?? '', /training loss became NaN/);
  const g = new DivergenceGuard();
  assert.equal(g.afterStep(1, 0.69, 0.5), null);
  assert.match(g.afterStep(2, 0.7, Infinity)?.reason ?? '', /gradient norm became Infinity \(loss 0\.700\)/);
  assert.match(g.afterEval(4, NaN)?.reason ?? '', /validation loss became NaN/);
  assert.equal(g.afterEval(4, 0.3), null);
});

test('an exploding loss needs several steps in a row far above the first step', () => {
  const g = new DivergenceGuard();
  assert.equal(g.afterStep(1, 0.69, 1), null);
  assert.equal(g.threshold, 0.69 + 10, 'the additive margin rules for a small first loss');
  // One wild batch, then a normal one: not a divergence.
  assert.equal(g.afterStep(2, 50, 1), null);
  assert.equal(g.afterStep(3, 0.5, 1), null);
  for (let s = 4; s < 4 + EXPLODING_LOSS_STEPS - 1; s++) assert.equal(g.afterStep(s, 60, 1), null);
  const d = g.afterStep(4 + EXPLODING_LOSS_STEPS - 1, 80, 1);
  assert.equal(d?.step, 6);
  assert.match(d?.reason ?? '', /exploded from 0\.690 at step 1 to 80\.0 and stayed above 10\.7 for 3 steps/);
  const lm = new DivergenceGuard();
  lm.afterStep(1, 9, 1);
  assert.equal(lm.threshold, 90, 'the factor rules for an LM-sized first loss');
});

test('learning rate 1 without clipping: the run fails at the exploding step and keeps best/ and its checkpoints', async () => {
  const run = await runOnFixture(tempDir('tl-diverge-'), { learningRate: 1, maxGradNorm: 1e6, evalEvery: 1, epochs: 3 });
  assert.equal(run.record.state, 'failed');
  const message = run.record.message ?? '';
  const m = /^Training diverged at step (\d+) \(epoch 1\): the training loss exploded from [\d.]+ at step 1 to [\d.e+]+ and stayed above [\d.]+ for 3 steps\. Lower the learning rate \(learningRate \/ --lr, this run used 1; .*keep gradient clipping on \(maxGradNorm, this run used 1000000\)/.exec(message);
  assert.ok(m !== null, message);
  const divergedAt = Number(m[1]);
  assert.ok(divergedAt >= 4 && divergedAt < 21, `stopped at step ${divergedAt}`);
  assert.match(message, new RegExp(`The model of step \\d+ \\(val loss [\\d.]+\\) is kept in ${join(run.runDir, 'best').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.doesNotMatch(message, /\n/);

  // The curve shows the explosion up to the step that stopped it; nothing after it.
  const steps = (await readMetrics(run.runDir)).filter((e) => e.type === 'step');
  assert.equal(steps.at(-1)?.step, divergedAt);
  assert.ok(run.logs.every((l) => !l.startsWith('Error')), 'a divergence is not an internal error');

  // What was written before is intact and loads; nothing was written after.
  assert.ok(!existsSync(join(run.runDir, 'final')), 'a diverged run writes no final/ model');
  const best = await loadModelFolder(join(run.runDir, 'best'));
  assert.deepEqual(best.fresh, [], 'best/ holds every tensor of its model');
  best.model.dispose();
  const checkpoints = readdirSync(join(run.runDir, 'checkpoints')).filter((n) => /^\d+$/.test(n)).map(Number);
  assert.ok(checkpoints.length > 0 && checkpoints.every((s) => s < divergedAt), `checkpoints ${checkpoints.join(', ')}`);
});
