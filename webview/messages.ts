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
      /** Global gradient norm before clipping (absent in older runs). */
      readonly gradNorm?: number;
    }
  | {
      readonly type: 'eval';
      readonly step: number;
      readonly epoch: number;
      readonly valLoss: number;
      readonly valAccuracy: number;
      readonly valMacroF1: number;
      readonly elapsedMs: number;
      /** confusion[t][p]: validation examples of true class t predicted as p (classification-like tasks). */
      readonly confusion?: readonly (readonly number[])[];
      /** Class names of the confusion matrix's rows and columns (absent in older runs). */
      readonly confusionLabels?: readonly string[];
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
    /** How the model is adapted ('full', 'lora', …); absent in runs recorded before strategies. */
    readonly strategy?: string;
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

/** A run overlaid on the panel's own run (Compare), with every event recorded so far. */
export interface PanelComparedRun {
  readonly run: PanelRunInfo;
  readonly events: readonly PanelMetricEvent[];
}

export type ExtensionToTrainingMessage =
  /** The panel's own run and everything known so far; sent after `ready` (and again after a server restart). */
  | {
      readonly type: 'init';
      readonly run: PanelRunInfo;
      readonly events: readonly PanelMetricEvent[];
      readonly backend: PanelBackendInfo | null;
    }
  /** The runs overlaid for comparison, in legend order (replaces the previous set; empty = none). */
  | { readonly type: 'compare'; readonly runs: readonly PanelComparedRun[] }
  /** New metric events of the panel's run or a compared one, in order (may repeat ones already sent; the panel dedupes). */
  | { readonly type: 'metrics'; readonly runId: string; readonly events: readonly PanelMetricEvent[] }
  /** The panel's run or a compared one changed state. */
  | { readonly type: 'state'; readonly run: PanelRunInfo }
  /** The extension could not load a run (the panel shows it in its error box). */
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
  | { readonly type: 'openForgetting' }
  /** The user pressed "Compare with…": the extension asks which runs to overlay. */
  | { readonly type: 'pickCompare' }
  /** The user removed a compared run from the legend. */
  | { readonly type: 'removeCompare'; readonly runId: string }
  /** Save the charts as PNG (`data` is a data: URL) or the shown runs' series as CSV (`data` is the text) through a Save dialog. */
  | { readonly type: 'export'; readonly format: 'png' | 'csv'; readonly data: string; readonly suggestedName: string };

const EXTENSION_TO_TRAINING_TYPES: ReadonlySet<string> = new Set<ExtensionToTrainingMessage['type']>(['init', 'compare', 'metrics', 'state', 'error']);

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

/** Narrows a message received by the extension from the Training panel (fields checked too). */
export function isTrainingToExtensionMessage(x: unknown): x is TrainingToExtensionMessage {
  const m = x as Record<string, unknown>;
  switch (typeOf(x)) {
    case 'ready':
    case 'cancelRun':
    case 'revealRunFolder':
    case 'openForgetting':
    case 'pickCompare':
      return true;
    case 'removeCompare': return typeof m['runId'] === 'string';
    case 'export': return (m['format'] === 'png' || m['format'] === 'csv') && typeof m['data'] === 'string' && typeof m['suggestedName'] === 'string';
    default: return false;
  }
}

/** Narrows a message received by the Training panel from the extension (fields checked too). */
export function isExtensionToTrainingMessage(x: unknown): x is ExtensionToTrainingMessage {
  const t = typeOf(x);
  if (t === undefined || !EXTENSION_TO_TRAINING_TYPES.has(t)) return false;
  const m = x as Record<string, unknown>;
  switch (t) {
    case 'init': return isRunInfo(m['run']) && isEventList(m['events']);
    case 'compare': return Array.isArray(m['runs']) && m['runs'].every((r: unknown) => {
      const c = record(r);
      return c !== undefined && isRunInfo(c['run']) && isEventList(c['events']);
    });
    case 'metrics': return typeof m['runId'] === 'string' && isEventList(m['events']);
    case 'state': return isRunInfo(m['run']);
    default: return typeof m['message'] === 'string';
  }
}

// --- What each panel keeps with setState(), so that its serializer can restore it after a
// window reload (VS Code hands the extension this value). Parsed like any message: it may have
// been written by an older version of the extension.

export type TrainingXAxis = 'step' | 'time';

/** The Training panel's view settings. */
export interface TrainingViewSettings {
  /** EMA weight of the smoothed lines: 0 (raw) … MAX_SMOOTHING. */
  readonly smoothing: number;
  readonly logY: boolean;
  readonly xAxis: TrainingXAxis;
  /** The evaluation step whose confusion matrix is shown; null follows the latest. */
  readonly confusionStep: number | null;
}

export const MAX_SMOOTHING = 0.99;
export const DEFAULT_TRAINING_VIEW: TrainingViewSettings = { smoothing: 0.9, logY: false, xAxis: 'step', confusionStep: null };

export interface PanelRunRef {
  readonly runId: string;
  readonly runDir: string;
}

export interface TrainingPanelState {
  readonly panel: 'training';
  readonly run: PanelRunRef;
  /** The overlaid runs, in legend order. */
  readonly compare: readonly PanelRunRef[];
  readonly view: TrainingViewSettings;
}

export interface ForgettingPanelState {
  readonly panel: 'forgetting';
  readonly run: PanelRunRef;
}

/** Which map the Attention panel shows: the attention kind, layer, head, and the mean/rollout views. */
export interface AttentionSelection {
  readonly kind: 'encoder' | 'decoder' | 'cross';
  readonly layer: number;
  readonly head: number;
  readonly mean: boolean;
  readonly rollout: boolean;
}

/** What the Attention panel inspects: the model (folder or preset), its display name, the text. */
export interface AttentionPanelState {
  readonly panel: 'attention';
  readonly model: string;
  readonly modelName: string;
  readonly text: string;
  /** The base model compared with, if any (its folder or preset and display name). */
  readonly base?: { readonly model: string; readonly name: string };
  /** The map on screen, so a window reload reopens the same one (absent: layer 0, head 0). */
  readonly selection?: AttentionSelection;
}

function record(x: unknown): Record<string, unknown> | undefined {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined;
}

function runRef(x: unknown): PanelRunRef | undefined {
  const r = record(x);
  const runId = r?.['runId'];
  const runDir = r?.['runDir'];
  return typeof runId === 'string' && runId !== '' && typeof runDir === 'string' && runDir !== '' ? { runId, runDir } : undefined;
}

/** The view settings in `x`, each field checked (smoothing clamped); defaults for what is missing or wrong. */
export function parseTrainingView(x: unknown): TrainingViewSettings {
  const v = record(x) ?? {};
  const smoothing = v['smoothing'];
  const step = v['confusionStep'];
  return {
    smoothing: typeof smoothing === 'number' && Number.isFinite(smoothing) ? Math.min(MAX_SMOOTHING, Math.max(0, smoothing)) : DEFAULT_TRAINING_VIEW.smoothing,
    logY: typeof v['logY'] === 'boolean' ? v['logY'] : DEFAULT_TRAINING_VIEW.logY,
    xAxis: v['xAxis'] === 'time' || v['xAxis'] === 'step' ? v['xAxis'] : DEFAULT_TRAINING_VIEW.xAxis,
    confusionStep: typeof step === 'number' && Number.isInteger(step) && step >= 0 ? step : null,
  };
}

/** A Training panel's saved state, or undefined when `x` is not one. */
export function parseTrainingPanelState(x: unknown): TrainingPanelState | undefined {
  const s = record(x);
  const run = runRef(s?.['run']);
  if (s === undefined || s['panel'] !== 'training' || run === undefined) return undefined;
  const compare: PanelRunRef[] = [];
  for (const c of Array.isArray(s['compare']) ? s['compare'] : []) {
    const ref = runRef(c);
    if (ref !== undefined && ref.runId !== run.runId && !compare.some((r) => r.runId === ref.runId)) compare.push(ref);
  }
  return { panel: 'training', run, compare, view: parseTrainingView(s['view']) };
}

/** A Forgetting panel's saved state, or undefined when `x` is not one. */
export function parseForgettingPanelState(x: unknown): ForgettingPanelState | undefined {
  const s = record(x);
  const run = runRef(s?.['run']);
  return s !== undefined && s['panel'] === 'forgetting' && run !== undefined ? { panel: 'forgetting', run } : undefined;
}

const ATTENTION_KINDS: readonly AttentionSelection['kind'][] = ['encoder', 'decoder', 'cross'];
const isIndex = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

function attentionSelection(x: unknown): AttentionSelection | undefined {
  const s = record(x);
  const kind = ATTENTION_KINDS.find((k) => k === s?.['kind']);
  const { layer, head, mean, rollout } = s ?? {};
  return kind !== undefined && isIndex(layer) && isIndex(head) && typeof mean === 'boolean' && typeof rollout === 'boolean'
    ? { kind, layer, head, mean, rollout }
    : undefined;
}

/** An Attention panel's saved state, or undefined when `x` is not one (a malformed selection is dropped). */
export function parseAttentionPanelState(x: unknown): AttentionPanelState | undefined {
  const s = record(x);
  if (s === undefined || s['panel'] !== 'attention') return undefined;
  const { model, modelName, text } = s;
  const base = record(s['base']);
  const compared = base !== undefined && typeof base['model'] === 'string' && base['model'] !== '' && typeof base['name'] === 'string'
    ? { base: { model: base['model'], name: base['name'] } }
    : {};
  const selection = attentionSelection(s['selection']);
  return typeof model === 'string' && model !== '' && typeof modelName === 'string' && typeof text === 'string'
    ? { panel: 'attention', model, modelName, text, ...compared, ...(selection !== undefined ? { selection } : {}) }
    : undefined;
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

/**
 * Which answer column a result belongs to: the prompt's model ('base'), or the newest completed
 * run fine-tuned from it ('fineTuned'), shown side by side when one exists.
 */
export type PanelAnswerRole = 'base' | 'fineTuned';

/** The fine-tuned column of a comparison: its model's display name (and generation request). */
export interface PanelFineTunedColumn {
  readonly model: string;
}

export type ExtensionToPromptMessage =
  /**
   * A generation starts: show the prompt, the model and the settings; clear the output. With
   * `fineTuned`, a second generation of the fine-tuned model streams into a column beside it
   * (absent in transcripts saved by versions before the comparison: none).
   */
  | {
      readonly type: 'generationStart';
      readonly requestId: string;
      readonly model: string;
      readonly prompt: string;
      readonly settings: PanelSamplingSettings;
      readonly fineTuned?: (PanelFineTunedColumn & { readonly requestId: string }) | null;
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
  /** A classification or fill-mask request was sent: show its input (and the columns) while it runs. */
  | { readonly type: 'pending'; readonly task: 'classify' | 'fillMask'; readonly model: string; readonly text: string; readonly fineTuned?: PanelFineTunedColumn | null }
  /** Zero-shot classification result of one column (absent role: the base model's), ranked by calibrated probability. */
  | {
      readonly type: 'classification';
      readonly role?: PanelAnswerRole;
      readonly model: string;
      readonly text: string;
      readonly template: string;
      readonly calibrated: boolean;
      readonly ranking: readonly PanelLabelScore[];
    }
  /** Fill-mask result of one column (absent role: the base model's): the top predictions at each mask, in text order. */
  | {
      readonly type: 'fillMask';
      readonly role?: PanelAnswerRole;
      readonly model: string;
      readonly text: string;
      readonly predictions: readonly (readonly PanelMaskPrediction[])[];
    }
  /** A request failed: the whole command (no role), or one column's answer. */
  | { readonly type: 'error'; readonly message: string; readonly role?: PanelAnswerRole };

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
const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isRole = (x: unknown): x is PanelAnswerRole => x === 'base' || x === 'fineTuned';

/** Narrows a message received by the Prompt panel from the extension (fields checked too). */
export function isExtensionToPromptMessage(x: unknown): x is ExtensionToPromptMessage {
  const t = typeOf(x);
  if (t === undefined || !EXTENSION_TO_PROMPT_TYPES.has(t)) return false;
  const m = x as Record<string, unknown>;
  switch (t) {
    case 'generationStart': return isStr(m['requestId']) && isStr(m['model']) && isStr(m['prompt']) && typeof m['settings'] === 'object' && m['settings'] !== null &&
      (m['fineTuned'] == null || (isRecord(m['fineTuned']) && isStr(m['fineTuned']['model']) && isStr(m['fineTuned']['requestId'])));
    case 'piece': return isStr(m['requestId']) && isStr(m['piece']);
    case 'generationEnd': return isStr(m['requestId']) && isNum(m['tokens']) && isNum(m['tokensPerSec']) && typeof m['cancelled'] === 'boolean';
    case 'pending': return (m['task'] === 'classify' || m['task'] === 'fillMask') && isStr(m['model']) && isStr(m['text']) &&
      (m['fineTuned'] == null || (isRecord(m['fineTuned']) && isStr(m['fineTuned']['model'])));
    case 'classification': return (m['role'] === undefined || isRole(m['role'])) && isStr(m['model']) && isStr(m['text']) && isStr(m['template']) && Array.isArray(m['ranking']) &&
      m['ranking'].every((r: unknown) => isRecord(r) && isStr(r['label']) && isNum(r['probability']) && isNum(r['raw']));
    case 'fillMask': return (m['role'] === undefined || isRole(m['role'])) && isStr(m['model']) && isStr(m['text']) && Array.isArray(m['predictions']) &&
      m['predictions'].every((ps: unknown) => Array.isArray(ps) && ps.every((p: unknown) => isRecord(p) && isStr(p['token']) && isNum(p['probability'])));
    default: return isStr(m['message']) && (m['role'] === undefined || isRole(m['role']));
  }
}

/**
 * The Prompt panel's saved state: the messages that drew its current content (a generation's
 * pieces joined into one), replayed after a window reload.
 */
export interface PromptPanelState {
  readonly panel: 'prompt';
  readonly transcript: readonly ExtensionToPromptMessage[];
}

/** A Prompt panel's saved state (messages that fail their guard are dropped), or undefined. */
export function parsePromptPanelState(x: unknown): PromptPanelState | undefined {
  const s = record(x);
  if (s === undefined || s['panel'] !== 'prompt' || !Array.isArray(s['transcript'])) return undefined;
  return { panel: 'prompt', transcript: s['transcript'].filter(isExtensionToPromptMessage) };
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

/** The base model's maps of the same text, shown beside the fine-tuned model's with their difference. */
export interface PanelAttentionBase {
  /** Display name of the base model. */
  readonly model: string;
  readonly result: PanelAttentionResult;
}

export type ExtensionToAttentionMessage =
  /**
   * The request went out: show what is being computed (`base`: the base model's name when
   * comparing); `state` is what the panel keeps for a window reload.
   */
  | { readonly type: 'loading'; readonly model: string; readonly text: string; readonly base: string | null; readonly state: AttentionPanelState }
  /**
   * The maps of `text` under `model` (a display name); with `base`, the base model's too (the
   * difference map is model − base). `notice` explains a comparison that could not be made.
   */
  | {
      readonly type: 'attention';
      readonly model: string;
      readonly text: string;
      readonly result: PanelAttentionResult;
      readonly base: PanelAttentionBase | null;
      readonly notice: string | null;
    }
  | { readonly type: 'error'; readonly message: string };

/** Which comparison the user asked for: pick a base model, pick a fine-tuned run's model, or stop comparing. */
export type AttentionCompareChoice = 'base' | 'fine-tuned' | 'none';

export type AttentionToExtensionMessage =
  | { readonly type: 'ready' }
  /** Save a PNG (`data` is a data: URL) or JSON (`data` is the text) through a Save dialog. */
  | { readonly type: 'export'; readonly format: 'png' | 'json'; readonly data: string; readonly suggestedName: string }
  /** "Compare with base…", "Compare with fine-tuned run…" or "Stop comparing". */
  | { readonly type: 'compare'; readonly with: AttentionCompareChoice };

function isAttentionMaps(x: unknown): x is PanelAttentionMaps {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Partial<Record<keyof PanelAttentionMaps, unknown>>;
  return typeof m.layers === 'number' && typeof m.heads === 'number' && typeof m.data === 'string' &&
    Array.isArray(m.queryTokens) && m.queryTokens.every((t) => typeof t === 'string') &&
    Array.isArray(m.keyTokens) && m.keyTokens.every((t) => typeof t === 'string');
}

function isAttentionResult(x: unknown): x is PanelAttentionResult {
  const r = x as Record<string, unknown> | null | undefined;
  return typeof r === 'object' && r !== null && typeof r['family'] === 'string' && isAttentionMaps(r['attention']) &&
    (r['decoderAttention'] === null || isAttentionMaps(r['decoderAttention'])) &&
    (r['crossAttention'] === null || isAttentionMaps(r['crossAttention']));
}

/** Narrows a message received by the Attention panel from the extension. */
export function isExtensionToAttentionMessage(x: unknown): x is ExtensionToAttentionMessage {
  const t = typeOf(x);
  const m = x as Record<string, unknown>;
  switch (t) {
    case 'loading': return typeof m['model'] === 'string' && typeof m['text'] === 'string' && (m['base'] === null || typeof m['base'] === 'string') &&
      parseAttentionPanelState(m['state']) !== undefined;
    case 'attention': {
      const base = m['base'] as Record<string, unknown> | null | undefined;
      return typeof m['model'] === 'string' && typeof m['text'] === 'string' && isAttentionResult(m['result']) &&
        (base === null || (typeof base === 'object' && typeof base['model'] === 'string' && isAttentionResult(base['result']))) &&
        (m['notice'] === null || typeof m['notice'] === 'string');
    }
    case 'error': return typeof m['message'] === 'string';
    default: return false;
  }
}

/** Narrows a message received by the extension from the Attention panel. */
export function isAttentionToExtensionMessage(x: unknown): x is AttentionToExtensionMessage {
  const t = typeOf(x);
  if (t === 'ready') return true;
  const m = x as Record<string, unknown>;
  if (t === 'compare') return m['with'] === 'base' || m['with'] === 'fine-tuned' || m['with'] === 'none';
  if (t !== 'export') return false;
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
