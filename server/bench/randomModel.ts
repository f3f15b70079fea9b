/**
 * Benchmark models with random weights made fast: a seeded xorshift fill of uniform values with
 * the init's standard deviation (±std·√3) instead of Box–Muller normals, so GPT-2-small's 124M
 * parameters take well under a second instead of several. Timings do not depend on the values.
 */
import type { HeadKind } from '../models/config';
import { TransformerModel } from '../models/transformerModel';
import { hfConfigFor, type BenchShape } from './benchSpec';

/** Labels of the benchmark's sequence classifier (two classes, as in the SMS-spam demo). */
export const BENCH_LABELS: readonly string[] = ['ham', 'spam'];

function fill(data: Float32Array, std: number, seed: number): void {
  let s = (seed * 0x9e3779b1) >>> 0 || 1;
  const scale = (std * Math.sqrt(3) * 2) / 4294967296;
  const offset = std * Math.sqrt(3);
  for (let i = 0; i < data.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    data[i] = (s >>> 0) * scale - offset;
  }
}

/** A model of `shape` with head `head` and every tensor filled (normal-init ones randomly). */
export function randomModel(shape: BenchShape, head: HeadKind, seed: number): TransformerModel {
  const labels = head === 'sequence-classification' ? BENCH_LABELS : [];
  const model = TransformerModel.fromHfConfig(hfConfigFor(shape), `bench ${shape.family}`, head, labels);
  try {
    model.params.specs.forEach((spec, i) => {
      const checkpointShape = model.params.checkpointShape(spec);
      const data = new Float32Array(checkpointShape.reduce((a, b) => a * b, 1));
      if (spec.init === 'normal') fill(data, spec.std ?? model.config.initializerRange, seed + i);
      else if (spec.init === 'ones') data.fill(1);
      model.params.loadFromCheckpoint(spec.name, { shape: checkpointShape, data });
    });
  } catch (err) {
    model.dispose();
    throw err;
  }
  return model;
}
