/**
 * Runs a model over the forgetting probe and collects, per layer, the sampled token vectors (for
 * CKA) and the attention maps (for JS drift). Reads model outputs through a narrow structural
 * type; a model (or wrapper) without per-layer hidden states is measured on its last one.
 */
import { tf, tidyKeep, type Tensor } from '../backend/tf';
import { INFERENCE, type ForwardOptions } from '../models/blocks';
import type { ModelInputs } from '../models/modelIo';
import type { ForgettingProbe, ProbeBatch } from './probeBatches';

/**
 * The outputs read. `hiddenStates` / `encoderHiddenStates` follow HF's `output_hidden_states`:
 * the embedding output, then each layer's output, the last one equal to `hidden` (after the final
 * norm where the family has one). Absent or empty: only the last hidden state is compared.
 */
export interface ProbeForwardOutput {
  readonly hidden: Tensor;
  readonly attentions: readonly Tensor[];
  readonly hiddenStates?: readonly Tensor[];
  readonly encoderHidden?: Tensor;
  readonly encoderAttentions?: readonly Tensor[];
  readonly encoderHiddenStates?: readonly Tensor[];
}

/** What the diagnostics need of a model; TransformerModel satisfies it. */
export interface ProbedModel {
  readonly params: {
    names(): string[];
    get(name: string): Tensor;
  };
  forward(inputs: ModelInputs, opts: ForwardOptions): ProbeForwardOutput;
}

/** Inference mode (no dropout) with every attention map and hidden state. */
const PROBE_OPTIONS: ForwardOptions = Object.freeze({
  ...INFERENCE, outputAttentions: true, outputHiddenStates: true,
});

/** One batch's measurements, still on the backend; the caller disposes them. */
export interface BatchTensors {
  /** Labels of `representations`: "embeddings", "layer N" (T5: "encoder N"). */
  readonly representationLayers: string[];
  /** Per layer [n_b, H]: the sampled real-token vectors of this batch. */
  readonly representations: Tensor[];
  /** Labels of `attentions`: "layer N" (T5: "encoder N"). */
  readonly attentionLayers: string[];
  /** Per layer [B, heads, T, T]. */
  readonly attentions: Tensor[];
}

/** T5 is measured on its encoder (the decoder sees only the start token here). */
function pickSide(out: ProbeForwardOutput): { prefix: string; attentions: readonly Tensor[]; states: readonly Tensor[] | null; last: Tensor } {
  const nonEmpty = (states: readonly Tensor[] | undefined): readonly Tensor[] | null => (states !== undefined && states.length > 0 ? states : null);
  if (out.encoderHidden !== undefined) {
    return { prefix: 'encoder', attentions: out.encoderAttentions ?? [], states: nonEmpty(out.encoderHiddenStates), last: out.encoderHidden };
  }
  return { prefix: 'layer', attentions: out.attentions, states: nonEmpty(out.hiddenStates), last: out.hidden };
}

/** Synchronous: call inside tidy. Labels every hidden state and gathers its sampled token rows. */
function representations(side: ReturnType<typeof pickSide>, batch: ProbeBatch): { layers: string[]; vectors: Tensor[] } {
  const L = side.attentions.length;
  const states = side.states ?? [side.last];
  if (side.states !== null && states.length !== L + 1) {
    throw new Error(`forgetting probe: expected ${L + 1} hidden states (embeddings + ${L} layers), got ${states.length}`);
  }
  const layers = side.states !== null ? states.map((_, i) => (i === 0 ? 'embeddings' : `${side.prefix} ${i - 1}`)) : [`${side.prefix} ${L - 1}`];
  const rows = tf.tensor1d(batch.sampleRows, 'int32');
  const vectors = states.map((h) => {
    const [B, T, H] = h.shape as [number, number, number];
    return tf.gather(tf.reshape(h, [B * T, H]), rows); // [B, T, H] -> [B·T, H] -> [n_b, H]
  });
  return { layers, vectors };
}

/** Forward pass of one probe batch (inference mode) and the per-layer tensors kept from it. */
export function probeBatchTensors(model: ProbedModel, batch: ProbeBatch): BatchTensors {
  return tidyKeep(() => {
    const side = pickSide(model.forward(batch.inputs, PROBE_OPTIONS));
    if (side.attentions.length === 0) throw new Error('forgetting probe: the model returned no attention maps');
    const [B, , T] = side.attentions[0]?.shape as [number, number, number, number];
    if (B !== batch.lengths.length || T !== batch.seqLength) throw new Error(`forgetting probe: attention maps are [${B}, ·, ${T}, ·], expected batch ${batch.lengths.length} × ${batch.seqLength}`);
    const reps = representations(side, batch);
    return {
      representationLayers: reps.layers,
      representations: reps.vectors,
      attentionLayers: side.attentions.map((_, i) => `${side.prefix} ${i}`),
      attentions: [...side.attentions],
    };
  });
}

export interface ProbeRun {
  readonly representationLayers: string[];
  /** Per layer [n, H]: the sampled vectors of every batch, concatenated. The caller disposes them. */
  readonly representations: Tensor[];
  readonly attentionLayers: string[];
}

/**
 * Runs every probe batch; hands each batch's attention maps (read to the CPU, one Float32Array
 * [B, heads, T, T] per layer) to `onAttentions`, and returns the representations still on the
 * backend. Tensors are released on every path.
 */
export async function runProbe(model: ProbedModel, probe: ForgettingProbe, onAttentions: (batchIndex: number, maps: Float32Array[], heads: number) => void): Promise<ProbeRun> {
  const parts: Tensor[][] = [];
  let layers: { representation: string[]; attention: string[] } = { representation: [], attention: [] };
  try {
    for (const [i, batch] of probe.batches.entries()) {
      const t = probeBatchTensors(model, batch);
      parts.push(t.representations);
      layers = { representation: t.representationLayers, attention: t.attentionLayers };
      try {
        const maps: Float32Array[] = [];
        for (const a of t.attentions) maps.push((await a.data()) as Float32Array);
        onAttentions(i, maps, t.attentions[0]?.shape[1] ?? 0);
      } finally {
        tf.dispose(t.attentions);
      }
    }
    const representations = layers.representation.map((_, l) => tf.tidy(() => tf.concat(parts.map((p) => p[l] as Tensor), 0)));
    return { representationLayers: layers.representation, representations, attentionLayers: layers.attention };
  } finally {
    for (const p of parts) tf.dispose(p);
  }
}

/**
 * Synchronous, inside tidy: ‖YᵀX‖²_F and ‖YᵀY‖²_F for Y [n, d2] (centred here) against an
 * already centred X [n, d1]; see cka.ts. On the backend, where n·d² products are fast.
 */
export function ckaTerms(y: Tensor, xCentered: Tensor): Tensor {
  const yc = tf.sub(y, tf.mean(y, 0, true)); // [n, d2]
  // An explicit transpose: WebAssembly's matMul(…, transposeA) is 10–40× slower (ENGINE-NOTES, trap 2).
  const ycT = tf.transpose(yc); // [n, d2] -> [d2, n]
  const cross = tf.matMul(ycT, xCentered); // [d2, n]·[n, d1] -> [d2, d1]
  const self = tf.matMul(ycT, yc); // [d2, n]·[n, d2] -> [d2, d2]
  return tf.stack([tf.sum(tf.square(cross)), tf.sum(tf.square(self))]); // [2]
}
