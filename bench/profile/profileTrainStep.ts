/**
 * Where a training step's time goes on the current backend (report only; nothing is changed):
 * `node --import tsx bench/profile/profileTrainStep.ts [--shape bert-mini] [--batch 32] [--workload train|mlm] [--runs 3]`.
 * Prints per-phase and per-kernel times, the costliest kernel shapes, and what-if estimates for
 * candidate engine changes; writes bench/results/<date>-profile-<workload>-<shape>[-b<batch>].json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../../server/backend/selectBackend';
import { NAMED_SHAPES, resolveBenchSpec, type ShapeName } from '../../server/bench/benchSpec';
import { repeat } from '../../server/bench/measure';
import { median } from '../../server/bench/stats';
import { trainSetup } from '../../server/bench/trainWorkloads';
import { kernelTable, profileStep, sumMs, withShapes, type KernelRow, type StepProfile } from './kernelProfile';
import { engineRevision } from '../gitRevision';
import { whatIfs, type WhatIf } from './whatIf';

const { values: o } = parseArgs({ options: { shape: { type: 'string', default: 'bert-mini' }, workload: { type: 'string', default: 'train' }, runs: { type: 'string', default: '3' }, batch: { type: 'string' } } });
const f = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 1 : 0 });
const pct = (n: number, of: number): string => `${((100 * n) / of).toFixed(1)}%`;

function kernelLines(rows: readonly KernelRow[], wall: number, limit: number): string[] {
  return [
    '| kernel | forward ms | backward ms | norm + AdamW ms | total ms | share of step | calls |', '|---|---|---|---|---|---|---|',
    ...rows.slice(0, limit).map((r) => `| ${r.key} | ${f(r.forwardMs)} | ${f(r.backwardMs)} | ${f(r.optimizerMs)} | ${f(r.totalMs)} | ${pct(r.totalMs, wall)} | ${r.calls} |`),
  ];
}

/** What-ifs read straight off the profile: transposes, the embedding scatter, time outside kernels. */
function profileWhatIfs(p: StepProfile, adamW: WhatIf | undefined, tableShare: number): WhatIf[] {
  const transposes = p.kernels.filter((k) => k.name === 'Transpose');
  const heads = sumMs(transposes.filter((k) => k.inputShapes[0]?.length === 4));
  const all = sumMs(transposes);
  const out: WhatIf[] = [
    { change: 'transposes: matmul kernels that take transposed operands at plain speed (no explicit Transpose)', currentMs: all, afterMs: 0, how: `${transposes.length} Transpose kernels: ${f(heads)} ms on 4-D head tensors, ${f(all - heads)} ms on matmul operands (upper bound)` },
    { change: 'embedding gradient: ScatterNd into a dense [V, H] table', currentMs: sumMs(p.kernels.filter((k) => k.name === 'ScatterNd')), afterMs: 0, how: 'ScatterNd kernel time (upper bound of a sparse row update)' },
    { change: 'time outside kernels (JS: dropout random numbers, tape, tensor bookkeeping, profiler)', currentMs: p.outsideKernelsMs, afterMs: 0, how: 'profiled step wall − Σ kernel times; the dropout row above is the part of it we can name' },
  ];
  if (adamW !== undefined) {
    out.push({ change: `word-embedding rows in AdamW (${pct(tableShare, 1)} of parameters, updated densely every step)`, currentMs: adamW.currentMs * tableShare, afterMs: 0, how: 'AdamW time × table share; a sparse (lazy) update changes the maths: information only' });
  }
  return out;
}

async function main(): Promise<void> {
  const shapeName = o.shape as ShapeName;
  if (!(shapeName in NAMED_SHAPES)) throw new Error(`--shape must be one of ${Object.keys(NAMED_SHAPES).join(', ')}`);
  const backend = await initBackend('wasm');
  const runs = Number(o.runs);
  const shape = o.batch === undefined ? NAMED_SHAPES[shapeName] : { ...NAMED_SHAPES[shapeName], batch: Number(o.batch) };
  const spec = resolveBenchSpec({ workload: o.workload === 'mlm' ? 'mlm' : 'train', shape, steps: runs, warmup: 1 });
  const setup = trainSetup(spec);
  const load = loadavg()[0] ?? 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const wall = median(await repeat(spec.warmup, spec.steps, () => setup.trainer.trainStep(setup.loss)));
    const profile = await profileStep(setup, runs);
    const measured = await whatIfs(spec.shape, setup.model.params.variables());
    const cpu = process.cpuUsage(cpu0);
    const cpuShare = (cpu.user + cpu.system) / 1000 / (performance.now() - t0);
    const tableShare = (spec.shape.vocab * spec.shape.hidden) / setup.model.params.parameterCount();
    const all = [...measured, ...profileWhatIfs(profile, measured.find((w) => w.change.startsWith('AdamW')), tableShare)]
      .sort((a, b) => b.currentMs - b.afterMs - (a.currentMs - a.afterMs));
    const phase = (p: string): number => sumMs(profile.kernels.filter((k) => k.phase === p));
    const byName = kernelTable(profile);
    const byShape = kernelTable(profile, withShapes);
    const tokens = spec.shape.batch * spec.shape.seq;
    const lines = [
      `# ${spec.workload} step profile: ${shapeName}, T${spec.shape.seq} × B${spec.shape.batch}, ${backend.backend} (${backend.device})`, '',
      `Engine ${engineRevision(join(__dirname, '..', '..'))}; ${cpus()[0]?.model ?? '?'}, load average ${load.toFixed(1)} at start, this process got ${Math.round(cpuShare * 100)}% of a core.`,
      `Step wall ${f(wall)} ms (median of ${runs}, unprofiled) = ${f(tokens / (wall / 1000))} tokens/s. Profiled (median of ${runs}): ${profile.kernels.length} kernels,`,
      `forward ${f(phase('forward'))} ms, backward ${f(phase('backward'))} ms, gradient norm + AdamW ${f(phase('optimizer'))} ms, outside kernels ${f(profile.outsideKernelsMs)} ms (wall ${f(profile.wallMs)} ms).`, '',
      '## By kernel', '', ...kernelLines(byName, profile.wallMs, 25), '',
      '## Costliest kernel shapes', '', ...kernelLines(byShape, profile.wallMs, 25), '',
      '## What each change would buy (per step, ranked)', '',
      '| change | today ms | after ms | saves ms | saves % of step | how estimated |', '|---|---|---|---|---|---|',
      ...all.map((w) => `| ${w.change} | ${f(w.currentMs)} | ${f(w.afterMs)} | ${f(w.currentMs - w.afterMs)} | ${pct(w.currentMs - w.afterMs, profile.wallMs)} | ${w.how} |`),
    ];
    process.stdout.write(lines.join('\n') + '\n');
    const dir = join(__dirname, '..', 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${new Date().toISOString().slice(0, 10)}-profile-${spec.workload}-${shapeName}${o.batch === undefined ? '' : `-b${o.batch}`}.json`);
    const summary = { backend, engine: engineRevision(join(__dirname, '..', '..')), loadAverage: load, cpuShare, shape: spec.shape, stepWallMs: wall, profile: { wallMs: profile.wallMs, outsideKernelsMs: profile.outsideKernelsMs, forwardMs: phase('forward'), backwardMs: phase('backward'), optimizerMs: phase('optimizer') } };
    writeFileSync(file, JSON.stringify({ ...summary, byName, byShape: byShape.slice(0, 60), whatIfs: all }, null, 2) + '\n');
    process.stderr.write(`wrote ${file}\n`);
  } finally {
    setup.dispose();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`profile: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});
