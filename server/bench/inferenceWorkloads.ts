/**
 * Forward-only workloads: `features` (BERT hidden states of a batch), `attention` (one text's
 * per-layer attention maps, read back as an attention request would send them) and `generate`
 * (greedy GPT-2 decoding with the KV cache, through inference/generate.ts).
 */
import { tf, tidyKeep, type Tensor } from '../backend/tf';
import { generate } from '../inference/generate';
import { INFERENCE } from '../models/blocks';
import { createRng } from '../random';
import type { BenchSpec } from './benchSpec';
import { classificationBatch } from './benchBatches';
import { encoderForwardFlops, generationFlops } from './flops';
import { liveTensors, repeat } from './measure';
import { median } from './stats';
import { randomModel } from './randomModel';
import { timedResult, type WorkloadResult } from './workloadResult';

/** `features` (whole batch, hidden states) or `attention` (batch of one, every layer's probabilities). */
export async function encoderInferenceWorkload(spec: BenchSpec): Promise<WorkloadResult> {
  const attention = spec.workload === 'attention';
  const shape = attention ? { ...spec.shape, batch: 1 } : spec.shape;
  const model = randomModel(shape, 'base', spec.seed);
  const batch = classificationBatch(shape, spec.seed);
  try {
    const tensorsBefore = liveTensors();
    const timesMs = await repeat(spec.warmup, spec.steps, async () => {
      const outputs: Tensor[] = tidyKeep(() => {
        const out = model.forward(batch.inputs, { ...INFERENCE, outputAttentions: attention });
        return attention ? out.attentions : [out.hidden];
      });
      try {
        await Promise.all(outputs.map((t) => t.data())); // what a request would serialise
      } finally {
        tf.dispose(outputs);
      }
    });
    const tensorsAfter = liveTensors();
    return timedResult(
      { workload: spec.workload, shape, timesMs, tensorsBefore, tensorsAfter },
      { tokensPerRun: shape.batch * shape.seq, matmulFlops: encoderForwardFlops(shape), unit: attention ? 'ms' : 'tokens/s', medianMs: median(timesMs) },
    );
  } finally {
    tf.dispose([batch.inputs.inputIds, batch.inputs.attentionMask, batch.labels, batch.inputs.tokenTypeIds as Tensor]);
    model.dispose();
  }
}

/** Greedy decoding of `newTokens` after a random `seq`-token prompt; never stops early (no eos). */
export async function generateWorkload(spec: BenchSpec): Promise<WorkloadResult> {
  const shape = { ...spec.shape, batch: 1 };
  const model = randomModel(shape, 'causal-lm', spec.seed);
  const rng = createRng(spec.seed);
  const prompt = Array.from({ length: shape.seq }, () => rng.int(shape.vocab));
  const run = (maxNewTokens: number) =>
    generate(model, prompt, { maxNewTokens, seed: spec.seed, temperature: 0, topK: 0, topP: 1, eosTokenId: null });
  try {
    const tensorsBefore = liveTensors();
    for (let i = 0; i < spec.warmup; i++) await run(Math.min(spec.newTokens, 8));
    const firstTokenMs: number[] = [];
    const timesMs = await repeat(0, spec.steps, async () => {
      const r = await run(spec.newTokens);
      if (r.ids.length !== spec.newTokens) throw new Error(`generated ${r.ids.length} of ${spec.newTokens} tokens`);
      firstTokenMs.push(r.timeToFirstTokenMs);
    });
    const tensorsAfter = liveTensors();
    const flops = generationFlops(shape, spec.newTokens);
    return timedResult(
      { workload: 'generate', shape, timesMs, tensorsBefore, tensorsAfter },
      {
        tokensPerRun: spec.newTokens, matmulFlops: flops.total, unit: 'tokens/s', medianMs: median(timesMs),
        timeToFirstTokenMs: median(firstTokenMs), details: { promptMatmulFlops: flops.prompt },
      },
    );
  } finally {
    model.dispose();
  }
}
