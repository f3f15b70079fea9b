/**
 * Relative weight drift per layer, ‖θ − θ₀‖₂ / ‖θ₀‖₂ over all tensors of a layer, with tensors
 * grouped into layers by their Hugging Face names. Pure: plain typed arrays in, numbers out.
 */

/** A layer's drift: 0 means unchanged, 0.01 means the layer's weights moved by 1% of their norm. */
export interface LayerDrift {
  readonly layer: string;
  readonly drift: number;
}

const EMBEDDINGS = 'embeddings';
const SHARED = 'shared layers';
const HEAD = 'head';

/** Numbered blocks: BERT/RoBERTa "….encoder.layer.3.", DistilBERT "….transformer.layer.3.", GPT-2 "transformer.h.3.". */
const NUMBERED_LAYER = /(?:^|\.)(?:encoder\.layer|transformer\.layer|h)\.(\d+)\./;
/** T5 "encoder.block.3." / "decoder.block.3.": two stacks, two groups per index. */
const T5_BLOCK = /(?:^|\.)(encoder|decoder)\.block\.(\d+)\./;
/** ALBERT's one set of layer weights, shared by every layer. */
const ALBERT_SHARED = /(?:^|\.)albert_layer_groups\./;
/** Token/position/segment tables and what maps them to the hidden size (ALBERT's projection). */
const EMBEDDING = /(?:^|\.)embeddings\.|(?:^|\.)(?:wte|wpe)\.|^shared\.|(?:^|\.)embedding_hidden_mapping_in\./;

/**
 * The layer a parameter belongs to: "embeddings", "layer N" (BERT, RoBERTa, DistilBERT, GPT-2),
 * "encoder N" / "decoder N" (T5), "shared layers" (ALBERT), or "head" for everything above the
 * last layer (final norms, poolers, task heads).
 */
export function layerOf(name: string): string {
  const t5 = T5_BLOCK.exec(name);
  if (t5 !== null) return `${t5[1] ?? ''} ${t5[2] ?? ''}`;
  const numbered = NUMBERED_LAYER.exec(name);
  if (numbered !== null) return `layer ${numbered[1] ?? ''}`;
  if (ALBERT_SHARED.test(name)) return SHARED;
  if (EMBEDDING.test(name)) return EMBEDDINGS;
  return HEAD;
}

/** [stack, index]: embeddings, layer 0…, encoder 0…, decoder 0…, shared layers, head. */
function layerRank(layer: string): [number, number] {
  if (layer === EMBEDDINGS) return [0, 0];
  const m = /^(layer|encoder|decoder) (\d+)$/.exec(layer);
  if (m !== null) return [{ layer: 1, encoder: 2, decoder: 3 }[m[1] as 'layer' | 'encoder' | 'decoder'], Number(m[2])];
  if (layer === SHARED) return [4, 0];
  return [5, 0];
}

/** Orders layer labels bottom to top (for charts and reports). */
export function compareLayers(a: string, b: string): number {
  const [sa, ia] = layerRank(a);
  const [sb, ib] = layerRank(b);
  return sa - sb || ia - ib || a.localeCompare(b);
}

/** Sums ‖θ − θ₀‖² and ‖θ₀‖² per layer one tensor at a time, so no second full snapshot is held. */
export class DriftAccumulator {
  private readonly sums = new Map<string, { delta: number; base: number }>();

  add(name: string, base: ArrayLike<number>, current: ArrayLike<number>): void {
    if (base.length !== current.length) throw new Error(`weight drift: "${name}" has ${current.length} values now but ${base.length} in the snapshot`);
    const layer = layerOf(name);
    const s = this.sums.get(layer) ?? { delta: 0, base: 0 };
    for (let i = 0; i < base.length; i++) {
      const b = base[i] ?? 0;
      const d = (current[i] ?? 0) - b;
      s.delta += d * d;
      s.base += b * b;
    }
    this.sums.set(layer, s);
  }

  /**
   * Drift per layer, bottom to top. A layer whose snapshot norm is 0 (only zero-initialised
   * tensors, which no real layer is) reports its absolute change instead.
   */
  result(): LayerDrift[] {
    return [...this.sums.entries()]
      .map(([layer, s]) => ({ layer, drift: s.base > 0 ? Math.sqrt(s.delta / s.base) : Math.sqrt(s.delta) }))
      .sort((a, b) => compareLayers(a.layer, b.layer));
  }
}

/**
 * Drift per layer between two weight snapshots (name → values). Tensors present in only one
 * snapshot (e.g. LoRA adapters, which live outside the model's parameters) are skipped.
 */
export function weightDrift(base: ReadonlyMap<string, ArrayLike<number>>, current: ReadonlyMap<string, ArrayLike<number>>): LayerDrift[] {
  const acc = new DriftAccumulator();
  for (const [name, values] of base) {
    const now = current.get(name);
    if (now !== undefined) acc.add(name, values, now);
  }
  return acc.result();
}
