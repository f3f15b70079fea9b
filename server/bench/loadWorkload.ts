/**
 * `load`: a model saved as a Hugging Face folder (config.json + model.safetensors) with
 * saveModelFolder, then loaded with loadModelFolder, as opening a downloaded checkpoint does.
 * The headline is the load time; the save time is a detail.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModelFolder } from '../checkpoints/modelFolder';
import type { BenchSpec } from './benchSpec';
import { saveRandomModelFolder } from './benchModelFolder';
import { liveTensors, timeMs } from './measure';
import { median } from './stats';
import { timedResult, type WorkloadResult } from './workloadResult';

export async function loadWorkload(spec: BenchSpec): Promise<WorkloadResult> {
  const dir = await mkdtemp(join(tmpdir(), 'transfer-lab-bench-'));
  const folder = join(dir, 'model');
  try {
    const tensorsBefore = liveTensors();
    const saveMs = await timeMs(() => saveRandomModelFolder(folder, spec.shape, 'base', spec.seed));
    const timesMs: number[] = [];
    for (let i = 0; i < spec.warmup + spec.steps; i++) {
      const t0 = performance.now();
      const loaded = await loadModelFolder(folder);
      const dt = performance.now() - t0;
      loaded.model.dispose();
      if (i >= spec.warmup) timesMs.push(dt);
    }
    return timedResult(
      { workload: 'load', shape: spec.shape, timesMs, tensorsBefore, tensorsAfter: liveTensors() },
      { tokensPerRun: null, matmulFlops: null, unit: 's', medianMs: median(timesMs), details: { saveSeconds: saveMs / 1000 } },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
