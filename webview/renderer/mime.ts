// The notebook output MIME types Transfer Lab draws and their JSON payloads as written
// (docs/notebook-mime.md). Types and constants only: the renderer validates what arrives
// (curves.ts, attention.ts) and the extension's "Export Run to Notebook" writes them.

/** A run's training curves: its step and eval metric events. */
export const CURVES_MIME = 'application/vnd.transfer-lab.curves+json';
/** Every attention map of a model for one text: [layers, heads, query tokens, key tokens]. */
export const ATTENTION_MIME = 'application/vnd.transfer-lab.attention+json';
/** Where the payloads are documented (named in the renderer's messages about bad payloads). */
export const MIME_DOCS = 'docs/notebook-mime.md';

/** One metric event of a curves payload (a line of a run's metrics.jsonl; extra fields are ignored). */
export type CurveEventJson =
  | { readonly type: 'step'; readonly step: number; readonly loss: number }
  | { readonly type: 'eval'; readonly step: number; readonly valLoss: number; readonly valAccuracy: number };

export interface CurvesPayloadJson {
  readonly title?: string;
  readonly events: readonly CurveEventJson[];
}

/**
 * The attention payload: `data` (base64 of little-endian float32 values, row-major
 * [layers, heads, queryTokens, keyTokens]) or `weights` (the same as nested arrays).
 */
export interface AttentionPayloadJson {
  readonly title?: string;
  readonly model?: string;
  readonly text?: string;
  readonly layers: number;
  readonly heads: number;
  readonly queryTokens: readonly string[];
  readonly keyTokens: readonly string[];
  readonly data?: string;
  readonly weights?: readonly (readonly (readonly (readonly number[])[])[])[];
}

/** The one line a renderer shows instead of a chart when a payload is unusable. */
export function payloadProblem(mime: string, error: unknown): string {
  const why = error instanceof Error ? error.message : String(error);
  return `Transfer Lab cannot draw this ${mime} output: ${why}. The payload is described in ${MIME_DOCS}.`;
}
