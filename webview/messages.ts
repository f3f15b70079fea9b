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
  | { readonly type: 'revealRunFolder' };

const EXTENSION_TO_TRAINING_TYPES: ReadonlySet<string> = new Set<ExtensionToTrainingMessage['type']>(['init', 'metrics', 'state', 'error']);
const TRAINING_TO_EXTENSION_TYPES: ReadonlySet<string> = new Set<TrainingToExtensionMessage['type']>(['ready', 'cancelRun', 'revealRunFolder']);

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

/** Ends every `switch` over a union so adding a message type is a compile error until handled. */
export function assertNever(x: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(x)}`);
}
