/**
 * The machine a benchmark ran on (CPU model as lscpu names it, cores, load) and which Python,
 * if any, can run the PyTorch comparison: $TRANSFER_LAB_PYTHON, python3, then /usr/bin/python3
 * (Debian's python3-torch installs there, out of sight of a pyenv python3).
 */
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { runChild } from './children';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly os: string;
  readonly node: string;
  readonly loadAverage: readonly number[];
}

async function lscpuModel(): Promise<string | null> {
  try {
    const out = await runChild('lscpu', [], 10_000);
    const line = out.stdout.split('\n').find((l) => /^Model name:/.test(l));
    return line === undefined ? null : line.replace(/^Model name:\s*/, '').trim();
  } catch {
    return null;
  }
}

export async function describeMachine(): Promise<MachineInfo> {
  return {
    cpuModel: (await lscpuModel()) ?? cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export type TorchAvailability = { readonly python: string; readonly version: string } | { readonly python: null; readonly reason: string };

export async function findTorch(): Promise<TorchAvailability> {
  const candidates = [process.env['TRANSFER_LAB_PYTHON'], 'python3', '/usr/bin/python3'].filter((p): p is string => p !== undefined && p !== '');
  const reasons: string[] = [];
  for (const python of candidates) {
    try {
      const out = await runChild(python, ['-c', 'import torch, numpy; print(torch.__version__)'], 60_000);
      if (out.code === 0) return { python, version: out.stdout.trim() };
      reasons.push(`${python}: ${out.stderr.trim().split('\n').slice(-1)[0] ?? `exit ${out.code}`}`);
    } catch (err) {
      reasons.push(`${python}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { python: null, reason: reasons.join('; ') };
}
