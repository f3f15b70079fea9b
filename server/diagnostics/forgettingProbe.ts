/**
 * measureForgetting: the current model against the base model's reference, at an evaluation —
 * weight drift per layer, CKA of the probe representations per layer, JS drift of every head's
 * attention. Leaves the number of live tensors unchanged.
 */
import { tf, type Tensor } from '../backend/tf';
import { ckaFromProducts } from './cka';
import { meanAttentionJs } from './divergence';
import type { ForgettingProbe } from './probeBatches';
import { ckaTerms, runProbe, type ProbedModel } from './probeForward';
import type { AttentionReference, ForgettingReference, RepresentationReference } from './snapshot';
import { DriftAccumulator, type LayerDrift } from './weightDrift';

export interface LayerCka {
  readonly layer: string;
  /** Linear CKA with the base model's representation of the probe: 1 = same up to rotation and scale. */
  readonly cka: number;
}

export interface HeadAttentionDrift {
  readonly layer: string;
  readonly head: number;
  /** Mean JS divergence (nats, ≤ ln 2) between the base and current attention rows of real tokens. */
  readonly js: number;
}

export interface ForgettingMeasurement {
  readonly weightDrift: LayerDrift[];
  readonly cka: LayerCka[];
  readonly attentionDrift: HeadAttentionDrift[];
}

/** Weight drift per layer, reading the current weights one tensor at a time. */
export async function measureWeightDrift(params: ProbedModel['params'], base: ReadonlyMap<string, Float32Array>): Promise<LayerDrift[]> {
  const acc = new DriftAccumulator();
  for (const name of params.names()) {
    const values = base.get(name);
    if (values !== undefined) acc.add(name, values, (await params.get(name).data()) as Float32Array);
  }
  return acc.result();
}

/** Adds one batch's JS divergences to per-layer, per-head sums weighted by real query rows. */
function accumulateJs(sums: Float64Array[], rowCounts: number[], reference: readonly AttentionReference[], batchIndex: number, maps: readonly Float32Array[], lengths: readonly number[]): void {
  if (maps.length !== reference.length) throw new Error(`measureForgetting: the model has ${maps.length} attention layers, the reference ${reference.length}`);
  maps.forEach((map, l) => {
    const ref = reference[l] as AttentionReference;
    const before = ref.batches[batchIndex];
    if (before === undefined || before.length !== map.length) throw new Error('measureForgetting: the reference was captured with a different probe');
    const T = Math.round(Math.sqrt(map.length / (lengths.length * ref.heads)));
    const size = T * T;
    lengths.forEach((len, b) => {
      for (let h = 0; h < ref.heads; h++) {
        const at = (b * ref.heads + h) * size; // [B, heads, T, T] row-major
        const js = meanAttentionJs(before.subarray(at, at + size), map.subarray(at, at + size), T, len);
        (sums[l] as Float64Array)[h] = ((sums[l] as Float64Array)[h] ?? 0) + js * len;
      }
      rowCounts[l] = (rowCounts[l] ?? 0) + len;
    });
  });
}

/** CKA per layer: the three products on the backend, one read for all layers. */
async function layerCkas(reference: readonly RepresentationReference[], layers: readonly string[], current: readonly Tensor[]): Promise<LayerCka[]> {
  if (current.length !== reference.length) throw new Error(`measureForgetting: ${current.length} representation layers now, ${reference.length} in the reference`);
  const terms = tf.tidy(() => tf.stack(current.map((y, l) => {
    const ref = reference[l] as RepresentationReference;
    if (y.shape[0] !== ref.rows) throw new Error('measureForgetting: the reference was captured with a different probe');
    return ckaTerms(y, tf.tensor2d(ref.centered, [ref.rows, ref.cols])); // [2]
  }))); // [layers, 2]
  try {
    const values = await terms.data();
    return reference.map((ref, l) => ({
      layer: layers[l] ?? ref.layer,
      cka: ckaFromProducts(values[2 * l] ?? 0, ref.selfNorm, Math.sqrt(values[2 * l + 1] ?? 0)),
    }));
  } finally {
    terms.dispose();
  }
}

/**
 * Compares the current model with the base model's reference on the same probe. Call it at
 * every evaluation; it runs the probe once in inference mode and reads every weight once.
 */
export async function measureForgetting(model: ProbedModel, reference: ForgettingReference, probe: ForgettingProbe): Promise<ForgettingMeasurement> {
  const weightDrift = await measureWeightDrift(model.params, reference.weights);
  const sums = reference.attentions.map((a) => new Float64Array(a.heads));
  const rowCounts = reference.attentions.map(() => 0);
  const run = await runProbe(model, probe, (batchIndex, maps) => {
    accumulateJs(sums, rowCounts, reference.attentions, batchIndex, maps, probe.batches[batchIndex]?.lengths ?? []);
  });
  try {
    const cka = await layerCkas(reference.representations, run.representationLayers, run.representations);
    const attentionDrift = reference.attentions.flatMap((a, l) =>
      Array.from(sums[l] ?? [], (sum, head) => ({ layer: a.layer, head, js: sum / Math.max(1, rowCounts[l] ?? 0) })));
    return { weightDrift, cka, attentionDrift };
  } finally {
    tf.dispose(run.representations);
  }
}
