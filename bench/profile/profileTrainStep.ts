/**
 * Where a training step's time goes on the current backend (report only; nothing is changed):
 * `node --import tsx bench/profile/profileTrainStep.ts [--shape bert-mini] [--workload train|mlm]`.
 * Prints per-phase and per-kernel times, the costliest kernel shapes, and what-if estimates for
 * candidate engine changes; writes bench/results/<date>-profile-<workload>-<shape>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../../server/backend/selectBackend';
import { NAMED_SHAPES, resolveBenchSpec, type ShapeName } from '../../server/bench/benchSpec';
import { repeat } from '../../server/bench/measure';
import { median } from '../../server/bench/stats';
import { trainSetup } from '../../server/bench/trainWorkloads';
import { kernelMs, kernelTable, profileStep, sumMs, withShapes, type KernelRow, type StepProfile } from './kernelProfile';
import { whatIfs, type WhatIf } from './whatIf';

const { values: o } = parseArgs({ options: { shape: { type: 'string', default: 'bert-mini' }, workload: { type: 'string', default: 'train' }, steps: { type: 'string', default: '3' } } });
const f = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 1 : 0 });
const pct = (n: number, of: number): string => `${((100 * n) / of).toFixed(1)}%`;

function kernelLines(rows: readonly KernelRow[], wall: number, limit: number): string[] {
  return [
    '| kernel | forward ms | backward ms | optimizer ms | total ms | share of step | calls |', '|---|---|---|---|---|---|---|',
    ...rows.slice(0, limit).map((r) => `| ${r.key} | ${f(r.forwardMs)} | ${f(r.backwardMs)} | ${f(r.optimizerMs)} | ${f(r.totalMs)} | ${pct(r.totalMs, wall)} | ${r.calls} |`),
  ];
}

/** What-ifs read straight off the profile: transposes, the embedding scatter, time outside kernels. */
function profileWhatIfs(p: StepProfile, wall: number, adamW: WhatIf | undefined, tableShare: number): WhatIf[] {
  const transposes = p.step.kernels.filter((k) => k.name === 'Transpose');
  const heads = transposes.filter((k) => (k.inputShapes[0]?.length ?? 0) === 4).reduce((a, k) => a + kernelMs(k), 0);
  const all = sumMs(transposes);
  const scatter = sumMs(p.step.kernels.filter((k) => k.name === 'ScatterNd'));
  const outside = wall - sumMs(p.step.kernels);
  const out: WhatIf[] = [
    { change: 'transposes: matmul kernels that take transposed operands at plain speed (no explicit Transpose)', currentMs: all, afterMs: 0, how: `${transposes.length} Transpose kernels; ${f(heads)} ms of them on 4-D head tensors, ${f(all - heads)} ms on 2-D/3-D matmul operands (upper bound)` },
    { change: 'embedding gradient: ScatterNd into a dense [V, H] table', currentMs: scatter, afterMs: 0, how: 'ScatterNd kernel time (upper bound of a sparse row update)' },
    { change: 'time outside kernels (JS: random numbers, tape, tensor bookkeeping)', currentMs: outside, afterMs: 0, how: 'unprofiled step wall − Σ kernel times (not all removable)' },
  ];
  if (adamW !== undefined) {
    const trainerKernels = sumMs(p.step.kernels) - sumMs(p.gradients.kernels);
    out.push({ change: 'Trainer extras: the ÷1 of a single micro-batch and the separate clip multiply (fold the scale into AdamW)', currentMs: Math.max(0, trainerKernels - adamW.currentMs), afterMs: 0, how: 'optimizer-phase kernels − AdamW.apply alone (norm still needs one pass)' });
    out.push({ change: `word-embedding rows in AdamW (${pct(tableShare, 1)} of parameters, updated densely every step)`, currentMs: adamW.currentMs * tableShare, afterMs: 0, how: 'AdamW time × table share; a sparse (lazy) update would change the maths: information only' });
  }
  return out;
}

async function main(): Promise<void> {
  const shapeName = o.shape as ShapeName;
  if (!(shapeName in NAMED_SHAPES)) throw new Error(`--shape must be one of ${Object.keys(NAMED_SHAPES).join(', ')}`);
  const backend = await initBackend('wasm');
  const spec = resolveBenchSpec({ workload: o.workload === 'mlm' ? 'mlm' : 'train', shape: NAMED_SHAPES[shapeName], steps: Number(o.steps), warmup: 1 });
  const setup = trainSetup(spec);
  try {
    const wall = median(await repeat(spec.warmup, spec.steps, () => setup.trainer.trainStep(setup.loss)));
    const profile = await profileStep(setup);
    const byName = kernelTable(profile);
    const byShape = kernelTable(profile, withShapes);
    const vars = setup.model.params.variables();
    const measured = await whatIfs(spec.shape, vars);
    const tableShare = (spec.shape.vocab * spec.shape.hidden) / setup.model.params.parameterCount();
    const all = [...measured, ...profileWhatIfs(profile, wall, measured.find((w) => w.change.startsWith('AdamW')), tableShare)]
      .sort((a, b) => b.currentMs - b.afterMs - (a.currentMs - a.afterMs));
    const phases = {
      stepWallMs: wall, profiledWallMs: profile.step.wallMs, kernelsMs: sumMs(profile.step.kernels),
      forwardKernelsMs: sumMs(profile.forward.kernels), backwardKernelsMs: sumMs(profile.gradients.kernels) - sumMs(profile.forward.kernels),
      optimizerKernelsMs: sumMs(profile.step.kernels) - sumMs(profile.gradients.kernels), kernelCalls: profile.step.kernels.length,
    };
    const tokens = spec.shape.batch * spec.shape.seq;
    const lines = [
      `# ${spec.workload} step profile: ${shapeName}, T${spec.shape.seq} × B${spec.shape.batch}, ${backend.backend} (${backend.device})`, '',
      `Step wall ${f(wall)} ms (median of ${spec.steps}, unprofiled) = ${f(tokens / (wall / 1000))} tokens/s; ${phases.kernelCalls} kernel calls totalling ${f(phases.kernelsMs)} ms:`,
      `forward ${f(phases.forwardKernelsMs)} ms, backward ${f(phases.backwardKernelsMs)} ms, clip + AdamW ${f(phases.optimizerKernelsMs)} ms, outside kernels ${f(wall - phases.kernelsMs)} ms.`, '',
      '## By kernel', '', ...kernelLines(byName, wall, 25), '',
      '## Costliest kernel shapes', '', ...kernelLines(byShape, wall, 25), '',
      '## What each change would buy (per step, ranked)', '',
      '| change | today ms | after ms | saves ms | saves % of step | how estimated |', '|---|---|---|---|---|---|',
      ...all.map((w) => `| ${w.change} | ${f(w.currentMs)} | ${f(w.afterMs)} | ${f(w.currentMs - w.afterMs)} | ${pct(w.currentMs - w.afterMs, wall)} | ${w.how} |`),
    ];
    process.stdout.write(lines.join('\n') + '\n');
    const dir = join(__dirname, '..', 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${new Date().toISOString().slice(0, 10)}-profile-${spec.workload}-${shapeName}.json`);
    writeFileSync(file, JSON.stringify({ backend, shape: spec.shape, phases, byName, byShape: byShape.slice(0, 60), whatIfs: all }, null, 2) + '\n');
    process.stderr.write(`wrote ${file}\n`);
  } finally {
    setup.dispose();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`profile: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});
