/** Shorthands that build ParamSpecs in Hugging Face orientation conventions. */
import type { ParamSpec } from './parameters';

/** nn.Linear: HF stores weight [out, in]; the engine holds [in, out]. */
export function linearSpec(name: string, inDim: number, outDim: number, bias = true): ParamSpec[] {
  const w: ParamSpec = { name: `${name}.weight`, shape: [inDim, outDim], init: 'normal', transposedInCheckpoint: true };
  return bias ? [w, { name: `${name}.bias`, shape: [outDim], init: 'zeros', transposedInCheckpoint: false }] : [w];
}

/** GPT-2's Conv1D: HF stores weight [in, out] already. */
export function conv1dSpec(name: string, inDim: number, outDim: number): ParamSpec[] {
  return [
    { name: `${name}.weight`, shape: [inDim, outDim], init: 'normal', transposedInCheckpoint: false },
    { name: `${name}.bias`, shape: [outDim], init: 'zeros', transposedInCheckpoint: false },
  ];
}

export function layerNormSpec(name: string, dim: number, bias = true): ParamSpec[] {
  const w: ParamSpec = { name: `${name}.weight`, shape: [dim], init: 'ones', transposedInCheckpoint: false };
  return bias ? [w, { name: `${name}.bias`, shape: [dim], init: 'zeros', transposedInCheckpoint: false }] : [w];
}

export function embeddingSpec(name: string, rows: number, dim: number): ParamSpec {
  return { name: `${name}.weight`, shape: [rows, dim], init: 'normal', transposedInCheckpoint: false };
}

export function biasSpec(name: string, dim: number): ParamSpec {
  return { name, shape: [dim], init: 'zeros', transposedInCheckpoint: false };
}
