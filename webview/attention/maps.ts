// The Attention panel's matrices: decoded maps of one result and the [rows, cols] matrix the
// controls select (one head, the mean over heads, or the rollout through a layer). Rollouts are
// cached layer by layer, since for long inputs each step is a T×T×T product.
import type { AttentionSelection, PanelAttentionMaps, PanelAttentionResult } from '../messages';
import { decodeFloat32 } from './decode';
import { rolloutStep } from './rollout';
import { displayToken } from './tokens';

export interface Decoded {
  readonly maps: PanelAttentionMaps;
  /** float32 [layers, heads, rows, cols] */
  readonly values: Float32Array;
  /** Display labels of the query (rows) and key (columns) tokens. */
  readonly rows: readonly string[];
  readonly cols: readonly string[];
  /** Self-attention (keys are the queries): rollout applies. Cross-attention is not. */
  readonly self: boolean;
  /** Rollouts computed so far, by layer. */
  readonly rollouts: Float32Array[];
}

export interface MapSelection {
  readonly layer: number;
  readonly head: number;
  readonly mean: boolean;
  readonly rollout: boolean;
}

/** A result's maps of one attention kind (decoder and cross-attention: null for encoder-only models). */
export function mapsOf(result: PanelAttentionResult, kind: AttentionSelection['kind']): PanelAttentionMaps | null {
  return kind === 'encoder' ? result.attention : kind === 'decoder' ? result.decoderAttention : result.crossAttention;
}

/** Decodes `maps` and checks its size; `what` names them in the error. */
export function decodeMaps(maps: PanelAttentionMaps, what: string, self: boolean): Decoded {
  const values = decodeFloat32(maps.data);
  const expected = maps.layers * maps.heads * maps.queryTokens.length * maps.keyTokens.length;
  if (values.length !== expected) throw new Error(`The ${what} maps hold ${values.length} values, expected ${expected}.`);
  return { maps, values, rows: maps.queryTokens.map(displayToken), cols: maps.keyTokens.map(displayToken), self, rollouts: [] };
}

/** Rollout is defined for self-attention only (square maps whose keys are the queries). */
export function canRollout(d: Decoded): boolean {
  return d.self && d.rows.length === d.cols.length;
}

/** One head's [rows, cols] map, as a view (no copy). */
export function headOf(d: Decoded, layer: number, head: number): Float32Array {
  const size = d.rows.length * d.cols.length;
  const offset = (layer * d.maps.heads + head) * size;
  return d.values.subarray(offset, offset + size);
}

/** Mean over the heads of `layer`. */
export function meanOf(d: Decoded, layer: number): Float32Array {
  const heads = d.maps.heads;
  const mean = new Float32Array(d.rows.length * d.cols.length);
  for (let h = 0; h < heads; h++) {
    const m = headOf(d, layer, h);
    for (let i = 0; i < mean.length; i++) mean[i]! += m[i]! / heads;
  }
  return mean;
}

/** The rollout through `layer`, computing (and caching) the layers below it first. */
export function rolloutOf(d: Decoded, layer: number): Float32Array {
  for (let l = d.rollouts.length; l <= layer; l++) d.rollouts.push(rolloutStep(d.values, d.maps.heads, d.rows.length, l, d.rollouts[l - 1]));
  return d.rollouts[layer]!;
}

/** The matrix the controls select. */
export function selectedMatrix(d: Decoded, s: MapSelection): Float32Array {
  if (s.rollout && canRollout(d)) return rolloutOf(d, s.layer);
  if (s.mean) return meanOf(d, s.layer);
  return headOf(d, s.layer, s.head);
}

/** "layer 2, head 1" / "layer 2, mean over 4 heads" / "rollout through layer 2". */
export function selectionLabel(d: Decoded, s: MapSelection): string {
  if (s.rollout && canRollout(d)) return `rollout through layer ${s.layer}`;
  return s.mean ? `layer ${s.layer}, mean over ${d.maps.heads} heads` : `layer ${s.layer}, head ${s.head}`;
}
