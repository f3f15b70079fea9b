/**
 * `npm run bench` (`-- --quick`, `--backend <name>`, `--no-torch`, `--only train,mlm`): every
 * workload in its own process on our engine and on PyTorch, then a Markdown table on stdout and
 * bench/results/<date>-<backend>[-quick][-only-<workloads>].json/.md. Exit code 1 only on a crash or a tensor leak.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { BenchSummary } from '../server/bench/runWorkload';
import { ROOT, runOurs, runTorch, type Outcome, type TorchSummary } from './children';
import { removeSnapshot, snapshotDist } from './distSnapshot';
import { engineRevision } from './gitRevision';
import { describeMachine, findTorch, type TorchAvailability } from './machine';
import { engineArgs, FULL_PLAN, QUICK_PLAN, workloadArgs } from './plan';
import { measureAttentionRequest } from './attentionRequest';
import { attentionRequestRow, rowsFor, startupRow, type Peaks, type Row } from './rows';
import { measureStartup } from './startup';
import { markdownTable } from './table';

const { values: opts } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, backend: { type: 'string', default: 'auto' }, 'no-torch': { type: 'boolean', default: false }, only: { type: 'string' } },
});
const log = (line: string): void => void process.stderr.write(line + '\n');
/** Per child process: generous for bert-base on one core, tight for the quick mode. */
const CHILD_TIMEOUT_MS = opts.quick ? 120_000 : 45 * 60_000;

function oneLine(o: Outcome<{ value: number; unit: string }> | null): string {
  if (o === null) return 'n/a';
  return o.ok ? `${o.summary.value.toFixed(o.summary.value < 10 ? 2 : 0)} ${o.summary.unit}` : `failed: ${o.error}`;
}

/** --only's workloads, or undefined for the whole plan. */
const only = opts.only?.split(',');

async function runPlan(dist: string, torch: TorchAvailability, backend: string) {
  const plan = (opts.quick ? QUICK_PLAN : FULL_PLAN).filter((p) => p.workload === 'matmul' || only === undefined || only.includes(p.workload));
  const rows: Row[] = [];
  const raw: { args: string[]; ours: Outcome<BenchSummary>; torch: Outcome<TorchSummary> | null }[] = [];
  let peaks: Peaks = { ours: null, torch: null };
  for (const [i, item] of plan.entries()) {
    const args = workloadArgs(item);
    log(`[${i + 1}/${plan.length}] ${item.workload} ${item.shapeName} …`);
    const ours = await runOurs(dist, engineArgs(item), backend, CHILD_TIMEOUT_MS);
    const theirs = torch.python === null || item.torch === false ? null : await runTorch(torch.python, args, CHILD_TIMEOUT_MS);
    log(`    ours ${oneLine(ours)} · PyTorch ${oneLine(theirs)}`);
    if (item.workload === 'matmul') peaks = { ours: ours.ok ? ours.summary.value : null, torch: theirs?.ok === true ? theirs.summary.value : null };
    rows.push(...rowsFor(item, ours, theirs, peaks));
    raw.push({ args, ours, torch: theirs });
  }
  const attention = plan.findIndex((p) => p.workload === 'attention');
  const attentionItem = plan[attention];
  if (attentionItem !== undefined) {
    log('attention request through the server …');
    const r = await measureAttentionRequest(dist, backend, attentionItem.shape, attentionItem.steps, CHILD_TIMEOUT_MS)
      .catch((err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }));
    rows.push(attentionRequestRow(attentionItem, r, raw[attention]?.torch ?? null, peaks));
  }
  if (only === undefined || only.includes('startup')) {
    log('startup …');
    rows.push(startupRow(await measureStartup(dist, backend, opts.quick ? 2 : 3, 60_000).catch((err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }))));
  }
  return { rows, raw, peaks };
}

async function main(): Promise<number> {
  const dist = snapshotDist();
  try {
    return await measureAndReport(dist);
  } finally {
    removeSnapshot(dist);
  }
}

async function measureAndReport(dist: string): Promise<number> {
  const machine = await describeMachine();
  const torch: TorchAvailability = opts['no-torch'] ? { python: null, reason: '--no-torch' } : await findTorch();
  log(`${machine.cpuModel}, ${machine.cores} cores, load ${machine.loadAverage.join(' ')}; PyTorch: ${torch.python === null ? `n/a (${torch.reason})` : `${torch.version} via ${torch.python}`}`);
  const { rows, raw, peaks } = await runPlan(dist, torch, opts.backend);
  const first = raw.find((r) => r.ours.ok)?.ours;
  const ours = first?.ok === true ? first.summary : null;
  const torchRun = raw.find((r) => r.torch?.ok === true)?.torch;
  const torchInfo = torchRun?.ok === true
    ? { python: torch.python, version: torchRun.summary.torchVersion, threads: torchRun.summary.threads, blas: torchRun.summary.blas, ompWaitPolicy: process.env['OMP_WAIT_POLICY'] ?? 'PASSIVE' }
    : { unavailable: torch.python === null ? torch.reason : 'every PyTorch run failed' };
  const date = new Date().toISOString().slice(0, 10);
  const backendName = ours?.backend ?? opts.backend;
  const table = markdownTable(rows);
  const args = [...(opts.quick ? ['--quick'] : []), ...(only !== undefined ? ['--only', only.join(',')] : [])];
  const command = `npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
  const report = {
    date, mode: opts.quick ? 'quick' : 'full', command, engine: engineRevision(ROOT), machine: { ...machine, loadAverageEnd: loadavg().map((l) => Math.round(l * 100) / 100) },
    backend: backendName, device: ours?.device ?? null, tfjsVersion: ours?.tfjsVersion ?? null, torch: torchInfo, peaks, rows, raw,
  };
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  // A partial run (--only) keeps its own file: it never replaces the full table of the day.
  const base = join(dir, `${date}-${backendName}${opts.quick ? '-quick' : ''}${only !== undefined ? `-only-${only.join('-')}` : ''}`);
  writeFileSync(`${base}.json`, JSON.stringify(report, null, 2) + '\n');
  const heading = `${date} · ${machine.cpuModel}, ${machine.cores} cores, load average ${machine.loadAverage[0] ?? '?'} · backend ${backendName} (${ours?.device ?? '?'}) · engine ${report.engine} · \`${command}\``;
  writeFileSync(`${base}.md`, `${heading}\n\n${table}\n`);
  process.stdout.write(`\n${heading}\n\n${table}\n\nwrote ${base}.json\n`);
  const bad = rows.filter((r) => r.crashed || r.leaked);
  for (const r of bad) log(`FAIL ${r.workload} ${r.shape}: ${r.crashed ? `crashed (${r.ours.error ?? ''})` : `tensor leak (${r.tensors ?? ''})`}`);
  return bad.length > 0 ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    log(`bench: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
