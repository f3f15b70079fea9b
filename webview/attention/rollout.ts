// Attention rollout (Abnar & Zuidema, 2020, "Quantifying Attention Flow in Transformers"):
// average each layer's heads, add the identity for the residual path, renormalise the rows and
// multiply the layers bottom to top. Pure functions over row-major Float32Arrays.

/** One [T, T] matrix of `maps` (float32 [layers, heads, T, T]), as a view (no copy). */
export function headMatrix(maps: Float32Array, heads: number, tokens: number, layer: number, head: number): Float32Array {
  const size = tokens * tokens;
  const offset = (layer * heads + head) * size;
  return maps.subarray(offset, offset + size);
}

/** Mean over the heads of one layer: [T, T]. */
export function meanOverHeads(maps: Float32Array, heads: number, tokens: number, layer: number): Float32Array {
  const size = tokens * tokens;
  const mean = new Float32Array(size);
  for (let h = 0; h < heads; h++) {
    const m = headMatrix(maps, heads, tokens, layer, h);
    for (let i = 0; i < size; i++) mean[i]! += m[i]! / heads;
  }
  return mean;
}

/** a · b for [T, T] row-major matrices. */
function matmul(a: Float32Array, b: Float32Array, t: number): Float32Array {
  const out = new Float32Array(t * t);
  for (let i = 0; i < t; i++) {
    for (let k = 0; k < t; k++) {
      const aik = a[i * t + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < t; j++) out[i * t + j]! += aik * b[k * t + j]!;
    }
  }
  return out;
}

/**
 * One rollout step: Ã_l = norm(mean_h A_l + I) multiplied onto `previous` (the rollout through
 * layer l − 1; undefined for layer 0, whose rollout is Ã_0 itself).
 */
export function rolloutStep(maps: Float32Array, heads: number, tokens: number, layer: number, previous: Float32Array | undefined): Float32Array {
  const a = meanOverHeads(maps, heads, tokens, layer);
  for (let i = 0; i < tokens; i++) {
    a[i * tokens + i]! += 1; // the residual connection carries the token itself
    let sum = 0;
    for (let j = 0; j < tokens; j++) sum += a[i * tokens + j]!;
    for (let j = 0; j < tokens; j++) a[i * tokens + j]! /= sum;
  }
  return previous === undefined ? a : matmul(a, previous, tokens); // later layers on the left
}

/**
 * Rollout up to and including `upToLayer` (default: the last layer): Ã_l = norm(mean_h A_l + I),
 * R = Ã_L · … · Ã_1. Row i of the result says how much each input token flows into position i.
 */
export function attentionRollout(maps: Float32Array, layers: number, heads: number, tokens: number, upToLayer = layers - 1): Float32Array {
  if (maps.length !== layers * heads * tokens * tokens) {
    throw new Error(`attentionRollout: expected ${layers}×${heads}×${tokens}×${tokens} values, got ${maps.length}`);
  }
  let rollout: Float32Array | undefined;
  for (let l = 0; l <= upToLayer; l++) rollout = rolloutStep(maps, heads, tokens, l, rollout);
  return rollout ?? new Float32Array(tokens * tokens);
}
