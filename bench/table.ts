/**
 * Renders benchmark rows as a Markdown table (printed, saved beside the JSON, pasted into the
 * README). "CPU share" is CPU time over wall time (× threads): below ~90% other processes took
 * the cores during that run and its figures understate the machine.
 */
import type { HeadlineUnit } from '../server/bench/workloadResult';
import type { Row, Side } from './rows';

function num(n: number, unit: HeadlineUnit | 'GFLOP/s' | 'MiB'): string {
  const digits = unit === 's' ? 2 : unit === 'GFLOP/s' ? 1 : n < 10 ? 2 : n < 100 ? 1 : 0;
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function figure(side: Side | null, unit: HeadlineUnit): string {
  if (side === null) return 'n/a';
  if (side.error !== null) return `failed (${side.error.replace(/\|/g, '/')})`;
  return side.value === null ? 'n/a' : `${num(side.value, unit)} ${unit}`;
}

function gflops(side: Side | null): string {
  if (side === null || side.gflops === null) return 'n/a';
  return `${num(side.gflops, 'GFLOP/s')}${side.peakShare === null ? '' : ` (${Math.round(side.peakShare * 100)}%)`}`;
}

const cpu = (side: Side | null): string => (side === null || side.cpuShare === null ? 'n/a' : `${Math.round(side.cpuShare * 100)}%`);
const rss = (side: Side | null): string => (side === null || side.peakRssMb === null ? 'n/a' : num(side.peakRssMb, 'MiB'));

export function markdownTable(rows: readonly Row[]): string {
  const header = [
    'workload', 'shape', 'Transfer Lab', 'PyTorch', 'speed vs PyTorch', 'GFLOP/s (% of peak): ours · PyTorch',
    'peak RSS MiB: ours · PyTorch', 'CPU share: ours · PyTorch', 'live tensors', 'backend · device', 'note',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const devices = [r.ours.backend, r.torch !== null && r.torch.error === null ? r.torch.backend : null].filter((d) => d !== null && d !== '');
    const cells = [
      r.workload, r.shape, figure(r.ours, r.unit), figure(r.torch, r.unit),
      r.speedVsTorch === null ? 'n/a' : `${r.speedVsTorch.toFixed(2)}×`,
      `${gflops(r.ours)} · ${gflops(r.torch)}`, `${rss(r.ours)} · ${rss(r.torch)}`, `${cpu(r.ours)} · ${cpu(r.torch)}`,
      (r.tensors ?? 'n/a') + (r.leaked ? ' **LEAK**' : ''), devices.join('; '), r.note,
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
