/**
 * The forgetting reference: what the base model looks like before fine-tuning — a copy of every
 * weight, the probe's token representations per layer and its attention maps — held as plain
 * typed arrays so that it outlives any tensor and could be written to a run folder.
 */
import { tf, tidyKeep, type Tensor } from '../backend/tf';
import type { ForgettingProbe } from './probeBatches';
import { ckaTerms, runProbe, type ProbedModel } from './probeForward';

/** One layer's probe representations X [rows, cols], column-centred, with ‖XᵀX‖_F. */
export interface RepresentationReference {
  readonly layer: string;
  readonly rows: number;
  readonly cols: number;
  readonly centered: Float32Array;
  readonly selfNorm: number;
}

/** One layer's attention maps: per probe batch a Float32Array [B, heads, T, T]. */
export interface AttentionReference {
  readonly layer: string;
  readonly heads: number;
  readonly batches: Float32Array[];
}

export interface ForgettingReference {
  /** Parameter name → values (engine orientation; norms do not care). */
  readonly weights: ReadonlyMap<string, Float32Array>;
  readonly representations: readonly RepresentationReference[];
  readonly attentions: readonly AttentionReference[];
}

/** A copy of every parameter, read asynchronously one tensor at a time. */
export async function snapshotWeights(params: ProbedModel['params']): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const name of params.names()) {
    // Copy: some backends hand back their own storage, which the next update overwrites.
    out.set(name, new Float32Array((await params.get(name).data()) as Float32Array));
  }
  return out;
}

/** Centres each layer's vectors and computes ‖XᵀX‖_F on the backend, then reads both back. */
async function representationReferences(layers: readonly string[], vectors: readonly Tensor[]): Promise<RepresentationReference[]> {
  const out: RepresentationReference[] = [];
  for (const [l, x] of vectors.entries()) {
    const [rows, cols] = x.shape as [number, number];
    const { centered, terms } = tidyKeep(() => {
      const xc = tf.sub(x, tf.mean(x, 0, true)); // [n, d]
      return { centered: xc, terms: ckaTerms(xc, xc) };
    });
    try {
      const selfSq = (await terms.data())[1] ?? 0;
      out.push({ layer: layers[l] ?? '', rows, cols, centered: (await centered.data()) as Float32Array, selfNorm: Math.sqrt(selfSq) });
    } finally {
      tf.dispose([centered, terms]);
    }
  }
  return out;
}

/**
 * Captures the reference of the BASE model, before any fine-tuning step: call it once per run,
 * with the probe that every later measureForgetting call will use. Leaves no tensor behind.
 */
export async function captureReference(model: ProbedModel, probe: ForgettingProbe): Promise<ForgettingReference> {
  const weights = await snapshotWeights(model.params);
  let attentions: AttentionReference[] = [];
  const run = await runProbe(model, probe, (batchIndex, maps, heads) => {
    if (batchIndex === 0) attentions = maps.map(() => ({ layer: '', heads, batches: [] }));
    maps.forEach((m, l) => attentions[l]?.batches.push(m));
  });
  try {
    attentions = attentions.map((a, l) => ({ ...a, layer: run.attentionLayers[l] ?? '' }));
    const representations = await representationReferences(run.representationLayers, run.representations);
    return { weights, representations, attentions };
  } finally {
    tf.dispose(run.representations);
  }
}
