/**
 * One table row per figure: our value, PyTorch's from the same run, the speed ratio, achieved
 * matmul GFLOP/s and its share of each side's measured matmul peak, peak RSS, live tensors.
 */
import type { BenchSummary } from '../server/bench/runWorkload';
import type { HeadlineUnit } from '../server/bench/workloadResult';
import type { Outcome, TorchSummary } from './children';
import type { PlanItem } from './plan';
import { encoderForwardFlops } from '../server/bench/flops';
import type { AttentionRequestResult } from './attentionRequest';
import type { StartupResult } from './startup';

export interface Side {
  /** null when it crashed or does not apply. */
  readonly value: number | null;
  readonly gflops: number | null;
  /** gflops / this side's matmul peak. */
  readonly peakShare: number | null;
  readonly peakRssMb: number | null;
  /** "wasm · CPU (WebAssembly, SIMD, 1 thread)" or "torch 1.13 · CPU (2 threads), openblas". */
  readonly backend: string;
  /** Share of the CPU the process got while it ran (see BenchSummary.cpuShare). */
  readonly cpuShare: number | null;
  readonly error: string | null;
}

export interface Row {
  readonly workload: string;
  readonly shape: string;
  readonly unit: HeadlineUnit;
  readonly ours: Side;
  /** null: PyTorch unavailable or no counterpart. */
  readonly torch: Side | null;
  /** Our speed over PyTorch's (>1: we are faster), for rates and times alike. */
  readonly speedVsTorch: number | null;
  /** "209 → 209" live tensors before the first and after the last repetition. */
  readonly tensors: string | null;
  readonly leaked: boolean;
  readonly crashed: boolean;
  readonly note: string;
}

export interface Peaks {
  readonly ours: number | null;
  readonly torch: number | null;
}

export function shapeLabel(p: PlanItem): string {
  const s = p.shape;
  const dims = `L${s.layers} H${s.hidden} A${s.heads} F${s.ffn} V${s.vocab}`;
  if (p.workload === 'matmul') return `n = ${(p.sizes ?? []).join(', ')}`;
  if (p.workload === 'generate') return `${p.shapeName} (${dims}), ${s.seq}-token prompt + ${p.newTokens ?? 128}`;
  if (p.workload === 'load') return `${p.shapeName} (${dims})`;
  if (p.workload === 'soak') return `${p.shapeName} (${dims}), T${s.seq} × B${s.batch}, ${p.steps.toLocaleString('en-US')} fine-tuning steps`;
  return `${p.shapeName} (${dims}), T${s.seq} × B${s.batch}`;
}

const isRate = (u: HeadlineUnit): boolean => u === 'tokens/s' || u === 'GFLOP/s';
const share = (g: number | null, peak: number | null): number | null => (g === null || peak === null || peak <= 0 ? null : g / peak);

function speed(unit: HeadlineUnit, ours: number | null, torch: number | null): number | null {
  if (ours === null || torch === null || ours <= 0 || torch <= 0) return null;
  return isRate(unit) ? ours / torch : torch / ours;
}

function oursSide(o: Outcome<BenchSummary>, value: (s: BenchSummary) => number | null, gflops: (s: BenchSummary) => number | null, peak: number | null): Side {
  if (!o.ok) return { value: null, gflops: null, peakShare: null, peakRssMb: null, backend: '', cpuShare: null, error: o.error };
  const g = gflops(o.summary);
  return { value: value(o.summary), gflops: g, peakShare: share(g, peak), peakRssMb: o.summary.peakRssMb, backend: `${o.summary.backend} · ${o.summary.device}`, cpuShare: o.summary.cpuShare, error: null };
}

function torchSide(t: Outcome<TorchSummary> | null, value: (s: TorchSummary) => number | null, flops: number | null, ms: (s: TorchSummary) => number | null, peak: number | null): Side | null {
  if (t === null) return null;
  if (!t.ok) return { value: null, gflops: null, peakShare: null, peakRssMb: null, backend: 'torch', cpuShare: null, error: t.error };
  const m = ms(t.summary);
  const g = flops === null || m === null ? null : flops / (m / 1000) / 1e9;
  return {
    value: value(t.summary), gflops: g, peakShare: share(g, peak), peakRssMb: t.summary.peakRssMb, cpuShare: t.summary.cpuShare,
    backend: `torch ${t.summary.torchVersion} · ${t.summary.device}, ${t.summary.blas.split(',')[0] ?? ''}`, error: null,
  };
}

/** The rows of one plan item: one, or two for generate (tokens/s and time to first token). */
export function rowsFor(p: PlanItem, ours: Outcome<BenchSummary>, torch: Outcome<TorchSummary> | null, peaks: Peaks): Row[] {
  const unit: HeadlineUnit = ours.ok ? ours.summary.unit : p.workload === 'attention' ? 'ms' : p.workload === 'load' ? 's' : p.workload === 'matmul' ? 'GFLOP/s' : 'tokens/s';
  const flops = ours.ok ? ours.summary.matmulFlops : null;
  const base = {
    shape: shapeLabel(p), note: ours.ok && p.workload === 'soak' ? soakNote(ours.summary) : p.note ?? '', crashed: !ours.ok, leaked: ours.ok && ours.summary.leaked,
    tensors: ours.ok ? `${ours.summary.tensorsBefore} → ${ours.summary.tensorsAfter}; ${ours.summary.tensorsAtStart} → ${ours.summary.tensorsAtEnd} disposed` : null,
  };
  const isPeak = p.workload === 'matmul';
  const main: Row = (() => {
    const o = oursSide(ours, (s) => s.value, (s) => (isPeak ? null : s.gflops), peaks.ours);
    const t = torchSide(torch, (s) => s.value, isPeak ? null : flops, (s) => s.medianMs, peaks.torch);
    return { ...base, workload: isPeak ? 'matmul peak' : p.workload, unit, ours: o, torch: t, speedVsTorch: speed(unit, o.value, t?.value ?? null) };
  })();
  if (p.workload !== 'generate') return [main];
  const promptFlops = ours.ok ? (ours.summary.details['promptMatmulFlops'] ?? null) : null;
  const o = oursSide(ours, (s) => s.timeToFirstTokenMs, (s) => (s.timeToFirstTokenMs === null || promptFlops === null ? null : promptFlops / (s.timeToFirstTokenMs / 1000) / 1e9), peaks.ours);
  const t = torchSide(torch, (s) => s.timeToFirstTokenMs, promptFlops, (s) => s.timeToFirstTokenMs, peaks.torch);
  return [main, { ...base, workload: 'generate: first token', unit: 'ms', ours: o, torch: t, speedVsTorch: speed('ms', o.value, t?.value ?? null) }];
}

/** End-of-soak RSS over start-of-soak RSS above which the note flags growth (allocator noise stays well below). */
const SOAK_RSS_GROWTH = 1.25;

/** "…; steps 201–2000: live tensors 126 at every step, RSS 219 → 221 MiB (…; slope +0.4 MiB per 1,000 steps)". */
export function soakNote(s: BenchSummary): string {
  const d = s.details;
  const mb = (x: number | undefined): string => (x === undefined ? '?' : x.toFixed(0));
  const tensors = d['tensorsMin'] === d['tensorsMax'] ? `live tensors ${d['tensorsMin'] ?? '?'} at every step` : `live tensors between ${d['tensorsMin'] ?? '?'} and ${d['tensorsMax'] ?? '?'}`;
  const slope = d['rssSlopeMbPer1kSteps'] ?? NaN;
  const grew = (d['rssEndMb'] ?? 0) > SOAK_RSS_GROWTH * (d['rssStartMb'] ?? Infinity) ? ' **RSS GREW**' : '';
  return `real fine-tuning loop (evaluations, checkpoints, forgetting diagnostics); steps ${d['fromStep'] ?? '?'}–${d['steps'] ?? '?'}: ${tensors}, ` +
    `RSS ${mb(d['rssStartMb'])} → ${mb(d['rssEndMb'])} MiB (medians of the first and last tenth; max ${mb(d['rssMaxMb'])}; slope ${slope >= 0 ? '+' : ''}${slope.toFixed(1)} MiB per 1,000 steps)${grew}`;
}

export function startupRow(r: StartupResult | { error: string }): Row {
  const ok = !('error' in r);
  return {
    workload: 'startup', shape: `dist/server.js --stdio → initialize answered${ok ? ` (${r.timesMs.length} starts)` : ''}`, unit: 'ms',
    ours: ok
      ? { value: r.medianMs, gflops: null, peakShare: null, peakRssMb: r.peakRssMb, backend: `${r.backend} · ${r.device}`, cpuShare: null, error: null }
      : { value: null, gflops: null, peakShare: null, peakRssMb: null, backend: '', cpuShare: null, error: r.error },
    torch: null, speedVsTorch: null, tensors: null, leaked: false, crashed: !ok, note: 'no PyTorch counterpart',
  };
}

/** The attention request through the server; PyTorch's figure is its in-process forward (it has no server). */
export function attentionRequestRow(p: PlanItem, r: AttentionRequestResult | { error: string }, torch: Outcome<TorchSummary> | null, peaks: Peaks): Row {
  const flops = encoderForwardFlops({ ...p.shape, batch: 1 });
  const t = torchSide(torch, (s) => s.value, flops, (s) => s.medianMs, peaks.torch);
  const base = { workload: 'attention request', unit: 'ms' as const, tensors: null, leaked: false, torch: t };
  if ('error' in r) {
    return { ...base, shape: shapeLabel(p), ours: { value: null, gflops: null, peakShare: null, peakRssMb: null, backend: '', cpuShare: null, error: r.error }, speedVsTorch: null, crashed: true, note: '' };
  }
  const g = flops / (r.medianMs / 1000) / 1e9;
  return {
    ...base, shape: `${shapeLabel(p)} (${r.tokens} tokens answered)`,
    ours: { value: r.medianMs, gflops: g, peakShare: peaks.ours === null ? null : g / peaks.ours, peakRssMb: r.peakRssMb, backend: `${r.backend} · ${r.device}`, cpuShare: null, error: null },
    speedVsTorch: speed('ms', r.medianMs, t?.value ?? null), crashed: false,
    note: `server round trip (transferLab/model/attention, base64 maps); first request incl. model load ${Math.round(r.firstMs)} ms; PyTorch: in-process forward`,
  };
}
