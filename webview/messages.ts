// Every message between the extension and a panel, as discriminated unions on `type`, with the
// guards that narrow an incoming `unknown`. Types only (plus guards): this file is compiled both
// into the extension and into the browser bundles, so it imports nothing.

// --- Structural copies of server/protocol.ts types (webview/ cannot import server/). The
// extension passes protocol values straight through, so the compiler checks they stay compatible.

export type PanelRunState = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

export type PanelMetricEvent =
  | {
      readonly type: 'step';
      readonly step: number;
      readonly epoch: number;
      readonly loss: number;
      readonly learningRate: number;
      readonly tokensPerSec: number;
      readonly elapsedMs: number;
    }
  | {
      readonly type: 'eval';
      readonly step: number;
      readonly epoch: number;
      readonly valLoss: number;
      readonly valAccuracy: number;
      readonly valMacroF1: number;
      readonly elapsedMs: number;
    };

/** The part of a run summary a panel shows. */
export interface PanelRunInfo {
  readonly runId: string;
  readonly runDir: string;
  readonly state: PanelRunState;
  readonly config: {
    readonly dataset: string;
    readonly model: string;
    readonly epochs: number;
    readonly textColumn: string;
    readonly labelColumn: string;
  };
  readonly backend: string | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly message: string | null;
  readonly totalSteps: number;
  readonly lastStep: number;
  readonly lastLoss: number | null;
  readonly lastValAccuracy: number | null;
}

/** What the server reported about its backend (null until known). */
export interface PanelBackendInfo {
  readonly backend: string;
  readonly device: string;
}

// --- Extension → Training panel

export type ExtensionToTrainingMessage =
  /** Everything known so far; sent after the panel says `ready` (and again after a server restart). */
  | {
      readonly type: 'init';
      readonly run: PanelRunInfo;
      readonly events: readonly PanelMetricEvent[];
      readonly backend: PanelBackendInfo | null;
    }
  /** New metric events of this run, in order (may repeat ones already sent; the panel dedupes). */
  | { readonly type: 'metrics'; readonly events: readonly PanelMetricEvent[] }
  /** The run changed state. */
  | { readonly type: 'state'; readonly run: PanelRunInfo }
  /** The extension could not load the run (the panel shows it in its error box). */
  | { readonly type: 'error'; readonly message: string };

// --- Training panel → extension

export type TrainingToExtensionMessage =
  /** The panel's script has loaded and listens: send `init`. */
  | { readonly type: 'ready' }
  /** The user pressed Cancel. */
  | { readonly type: 'cancelRun' }
  /** The user clicked the run folder in the summary. */
  | { readonly type: 'revealRunFolder' }
  /** The user pressed "Forgetting" (opens the run's Forgetting panel). */
  | { readonly type: 'openForgetting' };

const EXTENSION_TO_TRAINING_TYPES: ReadonlySet<string> = new Set<ExtensionToTrainingMessage['type']>(['init', 'metrics', 'state', 'error']);
const TRAINING_TO_EXTENSION_TYPES: ReadonlySet<string> = new Set<TrainingToExtensionMessage['type']>(['ready', 'cancelRun', 'revealRunFolder', 'openForgetting']);

function typeOf(x: unknown): string | undefined {
  if (typeof x !== 'object' || x === null || !('type' in x)) return undefined;
  return typeof x.type === 'string' ? x.type : undefined;
}

function isRunInfo(x: unknown): x is PanelRunInfo {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Partial<Record<keyof PanelRunInfo, unknown>>;
  return typeof r.runId === 'string' && typeof r.runDir === 'string' && typeof r.state === 'string' &&
    typeof r.config === 'object' && r.config !== null && typeof r.totalSteps === 'number';
}

function isEventList(x: unknown): x is readonly PanelMetricEvent[] {
  return Array.isArray(x) && x.every((e) => {
    const t = typeOf(e);
    return (t === 'step' || t === 'eval') && typeof (e as { step?: unknown }).step === 'number';
  });
}

/** Narrows a message received by the extension from the Training panel. */
export function isTrainingToExtensionMessage(x: unknown): x is TrainingToExtensionMessage {
  const t = typeOf(x);
  return t !== undefined && TRAINING_TO_EXTENSION_TYPES.has(t);
}

/** Narrows a message received by the Training panel from the extension (fields checked too). */
export function isExtensionToTrainingMessage(x: unknown): x is ExtensionToTrainingMessage {
  const t = typeOf(x);
  if (t === undefined || !EXTENSION_TO_TRAINING_TYPES.has(t)) return false;
  const m = x as Record<string, unknown>;
  switch (t) {
    case 'init': return isRunInfo(m['run']) && isEventList(m['events']);
    case 'metrics': return isEventList(m['events']);
    case 'state': return isRunInfo(m['run']);
    default: return typeof m['message'] === 'string';
  }
}

/** Alias with the generic name used across panels: every panel→extension message today. */
export type PanelToExtensionMessage = TrainingToExtensionMessage;
export const isPanelToExtensionMessage = isTrainingToExtensionMessage;

// --- Prompt panel (Run Prompt, Classify Selection, Fill Mask). Every string from the user or the
// model reaches the page as data and is set with textContent.

/** The sampling settings a generation used (structural copy of server SamplingParams, less stop). */
export interface PanelSamplingSettings {
  readonly maxTokens: number;
  readonly temperature: number;
  readonly topK: number;
  readonly topP: number;
  readonly seed: number;
}

export interface PanelLabelScore {
  readonly label: string;
  /** Calibrated against content-free inputs (equals raw when calibration is off). */
  readonly probability: number;
  readonly raw: number;
}

export interface PanelMaskPrediction {
  readonly token: string;
  readonly probability: number;
}

export type ExtensionToPromptMessage =
  /** A generation starts: show the prompt, the model and the settings; clear the output. */
  | {
      readonly type: 'generationStart';
      readonly requestId: string;
      readonly model: string;
      readonly prompt: string;
      readonly settings: PanelSamplingSettings;
    }
  /** The next decoded piece of generation `requestId`. */
  | { readonly type: 'piece'; readonly requestId: string; readonly piece: string }
  /** Generation `requestId` finished (or was stopped). */
  | {
      readonly type: 'generationEnd';
      readonly requestId: string;
      readonly tokens: number;
      readonly tokensPerSec: number;
      readonly timeToFirstTokenMs: number;
      readonly cancelled: boolean;
    }
  /** A classification or fill-mask request was sent: show its input while it runs. */
  | { readonly type: 'pending'; readonly task: 'classify' | 'fillMask'; readonly model: string; readonly text: string }
  /** Zero-shot classification result, ranked by calibrated probability. */
  | {
      readonly type: 'classification';
      readonly model: string;
      readonly text: string;
      readonly template: string;
      readonly calibrated: boolean;
      readonly ranking: readonly PanelLabelScore[];
    }
  /** Fill-mask result: the top predictions at each mask, in text order. */
  | {
      readonly type: 'fillMask';
      readonly model: string;
      readonly text: string;
      readonly predictions: readonly (readonly PanelMaskPrediction[])[];
    }
  /** The last request failed (the panel shows the message in its error box). */
  | { readonly type: 'error'; readonly message: string };

export type PromptToExtensionMessage =
  /** The panel's script has loaded and listens. */
  | { readonly type: 'ready' }
  /** The user pressed Stop during generation `requestId`. */
  | { readonly type: 'stop'; readonly requestId: string }
  /** The user pressed "Change model" (the next run asks for a model again). */
  | { readonly type: 'changeModel'; readonly task: 'generate' | 'classify' | 'fillMask' };

const EXTENSION_TO_PROMPT_TYPES: ReadonlySet<string> = new Set<ExtensionToPromptMessage['type']>([
  'generationStart', 'piece', 'generationEnd', 'pending', 'classification', 'fillMask', 'error',
]);

const isStr = (x: unknown): x is string => typeof x === 'string';
const isNum = (x: unknown): x is number => typeof x === 'number';

/** Narrows a message received by the Prompt panel from the extension (fields checked too). */
export function isExtensionToPromptMessage(x: unknown): x is ExtensionToPromptMessage {
  const t = typeOf(x);
  if (t === undefined || !EXTENSION_TO_PROMPT_TYPES.has(t)) return false;
  const m = x as Record<string, unknown>;
  switch (t) {
    case 'generationStart': return isStr(m['requestId']) && isStr(m['model']) && isStr(m['prompt']) && typeof m['settings'] === 'object' && m['settings'] !== null;
    case 'piece': return isStr(m['requestId']) && isStr(m['piece']);
    case 'generationEnd': return isStr(m['requestId']) && isNum(m['tokens']) && isNum(m['tokensPerSec']) && typeof m['cancelled'] === 'boolean';
    case 'pending': return (m['task'] === 'classify' || m['task'] === 'fillMask') && isStr(m['model']) && isStr(m['text']);
    case 'classification': return isStr(m['model']) && isStr(m['text']) && isStr(m['template']) && Array.isArray(m['ranking']) &&
      m['ranking'].every((r: unknown) => typeof r === 'object' && r !== null && isStr((r as Record<string, unknown>)['label']) && isNum((r as Record<string, unknown>)['probability']) && isNum((r as Record<string, unknown>)['raw']));
    case 'fillMask': return isStr(m['model']) && isStr(m['text']) && Array.isArray(m['predictions']) &&
      m['predictions'].every((ps: unknown) => Array.isArray(ps) && ps.every((p: unknown) => typeof p === 'object' && p !== null && isStr((p as Record<string, unknown>)['token']) && isNum((p as Record<string, unknown>)['probability'])));
    default: return isStr(m['message']);
  }
}

/** Narrows a message received by the extension from the Prompt panel. */
export function isPromptToExtensionMessage(x: unknown): x is PromptToExtensionMessage {
  const t = typeOf(x);
  if (t === 'ready') return true;
  const m = x as Record<string, unknown>;
  if (t === 'stop') return isStr(m['requestId']);
  return t === 'changeModel' && (m['task'] === 'generate' || m['task'] === 'classify' || m['task'] === 'fillMask');
}

/** Ends every `switch` over a union so adding a message type is a compile error until handled. */
export function assertNever(x: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(x)}`);
}

// --- Attention panel (structural copies of server/protocol.ts AttentionMaps / ModelAttention.Result)

export interface PanelAttentionMaps {
  readonly layers: number;
  readonly heads: number;
  readonly queryTokens: readonly string[];
  readonly keyTokens: readonly string[];
  /** float32 [layers, heads, T_query, T_key], little-endian, base64. */
  readonly data: string;
}

export interface PanelAttentionResult {
  readonly family: string;
  readonly truncated: boolean;
  readonly attention: PanelAttentionMaps;
  readonly decoderAttention: PanelAttentionMaps | null;
  readonly crossAttention: PanelAttentionMaps | null;
}

export type ExtensionToAttentionMessage =
  /** The request went out: show what is being computed. */
  | { readonly type: 'loading'; readonly model: string; readonly text: string }
  /** The maps of `text` under `model` (a display name). */
  | { readonly type: 'attention'; readonly model: string; readonly text: string; readonly result: PanelAttentionResult }
  | { readonly type: 'error'; readonly message: string };

export type AttentionToExtensionMessage =
  | { readonly type: 'ready' }
  /** Save a PNG (`data` is a data: URL) or JSON (`data` is the text) through a Save dialog. */
  | { readonly type: 'export'; readonly format: 'png' | 'json'; readonly data: string; readonly suggestedName: string };

function isAttentionMaps(x: unknown): x is PanelAttentionMaps {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Partial<Record<keyof PanelAttentionMaps, unknown>>;
  return typeof m.layers === 'number' && typeof m.heads === 'number' && typeof m.data === 'string' &&
    Array.isArray(m.queryTokens) && m.queryTokens.every((t) => typeof t === 'string') &&
    Array.isArray(m.keyTokens) && m.keyTokens.every((t) => typeof t === 'string');
}

/** Narrows a message received by the Attention panel from the extension. */
export function isExtensionToAttentionMessage(x: unknown): x is ExtensionToAttentionMessage {
  const t = typeOf(x);
  const m = x as Record<string, unknown>;
  switch (t) {
    case 'loading': return typeof m['model'] === 'string' && typeof m['text'] === 'string';
    case 'attention': {
      const r = m['result'] as Record<string, unknown> | null | undefined;
      return typeof m['model'] === 'string' && typeof m['text'] === 'string' && typeof r === 'object' && r !== null &&
        typeof r['family'] === 'string' && isAttentionMaps(r['attention']) &&
        (r['decoderAttention'] === null || isAttentionMaps(r['decoderAttention'])) &&
        (r['crossAttention'] === null || isAttentionMaps(r['crossAttention']));
    }
    case 'error': return typeof m['message'] === 'string';
    default: return false;
  }
}

/** Narrows a message received by the extension from the Attention panel. */
export function isAttentionToExtensionMessage(x: unknown): x is AttentionToExtensionMessage {
  const t = typeOf(x);
  if (t === 'ready') return true;
  if (t !== 'export') return false;
  const m = x as Record<string, unknown>;
  return (m['format'] === 'png' || m['format'] === 'json') && typeof m['data'] === 'string' && typeof m['suggestedName'] === 'string';
}

// --- Forgetting panel (structural copy of server/protocol.ts ForgettingEvent)

export interface PanelForgettingEvent {
  readonly type: 'forgetting';
  readonly step: number;
  readonly epoch: number;
  readonly elapsedMs: number;
  readonly probeLoss: number | null;
  readonly baseProbeLoss: number | null;
  readonly weightDrift: readonly { readonly layer: string; readonly drift: number }[];
  readonly cka: readonly { readonly layer: string; readonly cka: number }[];
  readonly attentionDrift: readonly { readonly layer: string; readonly head: number; readonly js: number }[];
  readonly alert: {
    readonly level: 'ok' | 'warning' | 'alert';
    readonly message: string;
    /** Only the labels reach the panel: the extension keeps the config patches. */
    readonly suggestions: readonly { readonly label: string }[];
  } | null;
}

export type ExtensionToForgettingMessage =
  /** Everything recorded so far (sent after `ready`); `strategy` decides the empty state. */
  | { readonly type: 'init'; readonly run: PanelRunInfo; readonly strategy: string; readonly events: readonly PanelForgettingEvent[] }
  | { readonly type: 'forgetting'; readonly events: readonly PanelForgettingEvent[] }
  | { readonly type: 'state'; readonly run: PanelRunInfo }
  | { readonly type: 'error'; readonly message: string };

export type ForgettingToExtensionMessage =
  | { readonly type: 'ready' }
  /** Start a follow-up run with suggestion `index` of the alert of the evaluation at `step`. */
  | { readonly type: 'applySuggestion'; readonly step: number; readonly index: number };

function isForgettingEvents(x: unknown): x is readonly PanelForgettingEvent[] {
  return Array.isArray(x) && x.every((e) => typeOf(e) === 'forgetting' && typeof (e as { step?: unknown }).step === 'number' &&
    Array.isArray((e as { weightDrift?: unknown }).weightDrift) && Array.isArray((e as { cka?: unknown }).cka) &&
    Array.isArray((e as { attentionDrift?: unknown }).attentionDrift));
}

/** Narrows a message received by the Forgetting panel from the extension. */
export function isExtensionToForgettingMessage(x: unknown): x is ExtensionToForgettingMessage {
  const m = x as Record<string, unknown>;
  switch (typeOf(x)) {
    case 'init': return isRunInfo(m['run']) && typeof m['strategy'] === 'string' && isForgettingEvents(m['events']);
    case 'forgetting': return isForgettingEvents(m['events']);
    case 'state': return isRunInfo(m['run']);
    case 'error': return typeof m['message'] === 'string';
    default: return false;
  }
}

/** Narrows a message received by the extension from the Forgetting panel. */
export function isForgettingToExtensionMessage(x: unknown): x is ForgettingToExtensionMessage {
  const t = typeOf(x);
  if (t === 'ready') return true;
  const m = x as Record<string, unknown>;
  return t === 'applySuggestion' && Number.isInteger(m['step']) && Number.isInteger(m['index']);
}
