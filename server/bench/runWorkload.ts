/**
 * Runs one benchmark spec in this process and returns its summary: the workload's figures plus
 * backend, device, peak RSS and whether live tensors grew (a leak). `transfer-lab bench` prints
 * it; `npm run bench` runs each spec in its own process so peak RSS is per workload.
 */
import type { BackendInfo } from '../protocol';
import type { BenchSpec, WorkloadKind } from './benchSpec';
import { encoderInferenceWorkload, generateWorkload } from './inferenceWorkloads';
import { loadWorkload } from './loadWorkload';
import { matmulPeakWorkload } from './matmulPeak';
import { liveTensors, peakRssMb } from './measure';
import { trainWorkload } from './trainWorkloads';
import { soakWorkload } from './soakWorkload';
import type { WorkloadResult } from './workloadResult';

export interface BenchSummary extends WorkloadResult {
  readonly type: 'summary';
  readonly backend: string;
  readonly device: string;
  readonly tfjsVersion: string;
  readonly peakRssMb: number;
  /** Live tensors before the model was built and after everything was disposed. */
  readonly tensorsAtStart: number;
  readonly tensorsAtEnd: number;
  /** True when the live count grew across the timed repetitions or across the whole workload. */
  readonly leaked: boolean;
  /**
   * CPU time of this process over wall time while the workload ran: about 1 for one busy thread
   * on an idle machine; well below 1 means other processes took the core and the figures are low.
   */
  readonly cpuShare: number;
}

const RUNNERS: Record<WorkloadKind, (spec: BenchSpec) => Promise<WorkloadResult>> = {
  train: trainWorkload,
  mlm: trainWorkload,
  features: encoderInferenceWorkload,
  attention: encoderInferenceWorkload,
  generate: generateWorkload,
  load: loadWorkload,
  matmul: matmulPeakWorkload,
  soak: soakWorkload,
};

/** A leak: live tensors grew across the timed repetitions, or outlived the workload's disposal. */
export function isLeak(counts: { tensorsBefore: number; tensorsAfter: number; tensorsAtStart: number; tensorsAtEnd: number }): boolean {
  return counts.tensorsAfter > counts.tensorsBefore || counts.tensorsAtEnd > counts.tensorsAtStart;
}

export async function runWorkload(spec: BenchSpec, backend: BackendInfo): Promise<BenchSummary> {
  const tensorsAtStart = liveTensors();
  const cpuAtStart = process.cpuUsage();
  const wallAtStart = performance.now();
  const result = await RUNNERS[spec.workload](spec);
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuShare = (cpu.user + cpu.system) / 1000 / (performance.now() - wallAtStart);
  const tensorsAtEnd = liveTensors();
  return {
    type: 'summary', ...result, backend: backend.backend, device: backend.device, tfjsVersion: backend.tfjsVersion,
    peakRssMb: peakRssMb(), tensorsAtStart, tensorsAtEnd, cpuShare,
    leaked: isLeak({ ...result, tensorsAtStart, tensorsAtEnd }),
  };
}
