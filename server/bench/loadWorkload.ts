/**
 * `load`: a model saved as a Hugging Face folder (config.json + model.safetensors) with
 * saveModelFolder, then loaded with loadModelFolder, as opening a downloaded checkpoint does.
 * The headline is the load time; the save time is a detail.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModelFolder, saveModelFolder } from '../checkpoints/modelFolder';
import { TextTokenizer } from '../tokenizers/textTokenizer';
import { trainWordPiece } from '../tokenizers/trainWordPiece';
import type { BenchSpec } from './benchSpec';
import { liveTensors, timeMs } from './measure';
import { median } from './stats';
import { randomModel } from './randomModel';
import { timedResult, type WorkloadResult } from './workloadResult';

export async function loadWorkload(spec: BenchSpec): Promise<WorkloadResult> {
  const dir = await mkdtemp(join(tmpdir(), 'transfer-lab-bench-'));
  const folder = join(dir, 'model');
  try {
    const tensorsBefore = liveTensors();
    const model = randomModel(spec.shape, 'base', spec.seed);
    const tokenizer = TextTokenizer.fromJson(trainWordPiece(['a small text to build a vocabulary from'], { vocabSize: 64, minFrequency: 1 }), 'bench tokenizer');
    let saveMs: number;
    try {
      saveMs = await timeMs(() => saveModelFolder(folder, model, tokenizer, spec.shape.seq));
    } finally {
      model.dispose();
    }
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
