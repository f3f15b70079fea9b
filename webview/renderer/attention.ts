// The `application/vnd.transfer-lab.attention+json` payload (docs/notebook-mime.md): validation of
// the untrusted JSON into a flat Float32Array [layers, heads, query, key]. No DOM (tested in
// test/webview/), so a bad payload is a message, never a broken output.
import { decodeFloat32 } from '../attention/decode';

/** Most tokens per axis drawn: a longer text makes labels unreadable and the grid huge. */
export const MAX_TOKENS = 512;
/** Most layers × heads thumbnails in the grid. */
export const MAX_MAPS = 1024;

export interface AttentionPayload {
  readonly title: string | null;
  readonly model: string | null;
  readonly text: string | null;
  readonly layers: number;
  readonly heads: number;
  readonly queryTokens: readonly string[];
  readonly keyTokens: readonly string[];
  /** Row-major [layers, heads, queryTokens, keyTokens]. */
  readonly values: Float32Array;
}

const isPositiveInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x > 0;

function tokenList(x: unknown, name: string): string[] {
  if (!Array.isArray(x) || x.length === 0 || !x.every((t) => typeof t === 'string')) {
    throw new Error(`"${name}" must be a non-empty array of strings (the tokens on that axis)`);
  }
  if (x.length > MAX_TOKENS) throw new Error(`"${name}" has ${x.length} tokens; at most ${MAX_TOKENS} can be drawn`);
  return x as string[];
}

/** Flattens `weights` [layer][head][query][key], checking every dimension against the header. */
function flattenWeights(weights: unknown, dims: readonly number[]): Float32Array {
  const out = new Float32Array(dims.reduce((a, b) => a * b, 1));
  const names = ['layers', 'heads', 'queryTokens', 'keyTokens'];
  let at = 0;
  const walk = (node: unknown, depth: number, path: string): void => {
    if (depth === dims.length) {
      if (typeof node !== 'number' || !Number.isFinite(node)) throw new Error(`"weights${path}" is not a finite number`);
      out[at++] = node;
      return;
    }
    if (!Array.isArray(node) || node.length !== dims[depth]) {
      throw new Error(`"weights${path}" must be an array of ${dims[depth]} (one per entry of ${names[depth]})`);
    }
    node.forEach((child: unknown, i) => walk(child, depth + 1, `${path}[${i}]`));
  };
  walk(weights, 0, '');
  return out;
}

/** Reads an attention payload; throws with what is wrong (the renderer shows it instead of a map). */
export function parseAttention(json: unknown): AttentionPayload {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('expected a JSON object with "layers", "heads", "queryTokens", "keyTokens" and "data" or "weights"');
  const r = json as Record<string, unknown>;
  const { layers, heads } = r;
  if (!isPositiveInt(layers)) throw new Error('"layers" must be a positive integer');
  if (!isPositiveInt(heads)) throw new Error('"heads" must be a positive integer');
  if (layers * heads > MAX_MAPS) throw new Error(`${layers} layers × ${heads} heads is more than the ${MAX_MAPS} maps that can be drawn`);
  const queryTokens = tokenList(r['queryTokens'], 'queryTokens');
  const keyTokens = tokenList(r['keyTokens'], 'keyTokens');
  const expected = layers * heads * queryTokens.length * keyTokens.length;
  let values: Float32Array;
  if (typeof r['data'] === 'string') {
    try {
      values = decodeFloat32(r['data']);
    } catch (error) {
      throw new Error(`"data" is not base64 of float32 values (${error instanceof Error ? error.message : String(error)})`);
    }
    if (values.length !== expected) {
      throw new Error(`"data" holds ${values.length} values; ${layers} layers × ${heads} heads × ${queryTokens.length} × ${keyTokens.length} tokens need ${expected}`);
    }
    if (!values.every(Number.isFinite)) throw new Error('"data" holds NaN or infinite values');
  } else if (r['weights'] !== undefined) {
    values = flattenWeights(r['weights'], [layers, heads, queryTokens.length, keyTokens.length]);
  } else {
    throw new Error('give the maps as "data" (base64 of little-endian float32) or "weights" (nested arrays)');
  }
  const str = (x: unknown): string | null => (typeof x === 'string' && x !== '' ? x : null);
  return { title: str(r['title']), model: str(r['model']), text: str(r['text']), layers, heads, queryTokens, keyTokens, values };
}

/** The [query, key] matrix of one layer and head (a view, no copy). */
export function mapOf(p: AttentionPayload, layer: number, head: number): Float32Array {
  const size = p.queryTokens.length * p.keyTokens.length;
  return p.values.subarray((layer * p.heads + head) * size, (layer * p.heads + head + 1) * size);
}
