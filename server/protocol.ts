/**
 * The Transfer Lab protocol: every request and notification between the extension (client) and
 * the training server, with its params and result types. Nothing else invents method names.
 * This file imports only vscode-languageserver-protocol so both sides (and the CLI) can use it.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

/** Bumped when a breaking change is made to any type below. */
export const PROTOCOL_VERSION = 1;

// ---------------------------------------------------------------------------------------------
// Backend and initialize

/** The TensorFlow.js backends, fastest first; the server falls back down this chain. */
export const BACKEND_CHAIN = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_CHAIN)[number];
export type BackendPreference = 'auto' | BackendName;

export interface BackendInfo {
  /** The backend actually in use after falling back. */
  readonly backend: BackendName;
  /** Human-readable device, e.g. "CPU (WebAssembly, SIMD, 1 thread)". */
  readonly device: string;
  /** Version of @tensorflow/tfjs-core. */
  readonly tfjsVersion: string;
  /** Why faster backends were skipped, one line each (empty when the first choice loaded). */
  readonly fallbackReasons: readonly string[];
}

/** Sent by the client as `initializationOptions`. */
export interface TransferLabInitializationOptions {
  /** Force a backend (setting `transferLab.backend`); 'auto' walks BACKEND_CHAIN. */
  readonly backend?: BackendPreference;
}

/** Carried in the `initialize` result under the `transferLab` key. */
export interface TransferLabInitializeResult {
  readonly protocolVersion: number;
  readonly backend: BackendInfo;
}

// ---------------------------------------------------------------------------------------------
// Datasets

export type DatasetFormat = 'csv' | 'tsv' | 'jsonl' | 'json';

export interface ColumnSummary {
  readonly name: string;
  /** 'text': free text; 'label': few distinct values; 'numeric'; 'other'. */
  readonly kind: 'text' | 'label' | 'numeric' | 'other';
  readonly distinct: number;
  /** Mean length in characters of the non-empty cells. */
  readonly meanLength: number;
}

export interface LabelCount {
  readonly label: string;
  readonly count: number;
}

export interface DatasetSummary {
  readonly path: string;
  readonly format: DatasetFormat;
  readonly rows: number;
  readonly columns: readonly ColumnSummary[];
  /** Detected defaults (the longest free-text column; a low-cardinality column). */
  readonly textColumn: string;
  readonly labelColumn: string;
  /** Distribution of the detected (or requested) label column, most frequent first. */
  readonly labels: readonly LabelCount[];
}

/** Client → server: read a dataset's columns and detected defaults (drives the wizard). */
export namespace DatasetInspect {
  export const method = 'transferLab/dataset/inspect' as const;
  export interface Params {
    readonly path: string;
    /** When given, `labels` is the distribution of this column instead of the detected one. */
    readonly labelColumn?: string;
  }
  export type Result = DatasetSummary;
  export const type = new RequestType<Params, Result, void>(method);
}

// ---------------------------------------------------------------------------------------------
// Runs

export type RunState = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

/** A fine-tuning run's configuration; `resolveFineTuneConfig` on the server fills defaults. */
export interface FineTuneConfig {
  /** Absolute path of the training file (.csv, .tsv, .jsonl, .json). */
  readonly dataset: string;
  /** Column names; empty string means "detect". */
  readonly textColumn: string;
  readonly labelColumn: string;
  /** A preset name ('tiny') or a model folder in Hugging Face layout. */
  readonly model: string;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Tokens per example after truncation, [CLS] and [SEP] included. */
  readonly maxLength: number;
  /** Share of the rows held out for validation (stratified, seeded). */
  readonly valFraction: number;
  readonly warmupRatio: number;
  readonly weightDecay: number;
  /** Vocabulary size when a vocabulary is trained for a fresh model. */
  readonly vocabSize: number;
  readonly seed: number;
  /**
   * How the pretrained model is adapted: 'full', 'features' (frozen encoder, cached features,
   * trained head), 'freeze:N' (bottom N layers and embeddings frozen), 'lora', 'gradual'
   * (ULMFiT gradual unfreezing), 'lp-ft' (linear probe, then full fine-tuning).
   */
  readonly strategy: string;
  readonly lora: LoraConfig;
  /** Mitigations of forgetting that combine with any strategy. */
  readonly mitigations: MitigationConfig;
  readonly schedule: 'linear' | 'cosine' | 'constant';
  /** Micro-batches whose gradients are summed before one optimizer step. */
  readonly gradAccumulation: number;
  readonly maxGradNorm: number;
  /** Evaluate every N optimizer steps; 0 = once per epoch. */
  readonly evalEvery: number;
  /** Stop after this many evaluations without a better validation loss; 0 = never. */
  readonly earlyStoppingPatience: number;
  /** Validation file; '' = a seeded stratified split of the training file. */
  readonly valDataset: string;
  /** Train on a seeded stratified subsample of this many rows; 0 = all. */
  readonly limit: number;
  /** General-text file for the forgetting probe; '' = the default probe corpus. */
  readonly probe: string;
}

export interface LoraConfig {
  readonly rank: number;
  readonly alpha: number;
  readonly dropout: number;
  /** Module names (last path segment) that get adapters, e.g. ["query", "value"]. */
  readonly targetModules: readonly string[];
}

export interface MitigationConfig {
  /** Layer-wise learning-rate decay factor per layer below the top; 1 = none. */
  readonly layerwiseLrDecay: number;
  /** L2-SP strength pulling weights toward their pretrained values; 0 = none. */
  readonly l2sp: number;
  /** Weight of an LM loss on general text mixed into each step (rehearsal); 0 = none. */
  readonly rehearsal: number;
}

/** One line of a run's metrics.jsonl, and what metric notifications carry. */
export type MetricEvent =
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

export interface RunSummary {
  readonly runId: string;
  readonly runDir: string;
  readonly state: RunState;
  readonly config: FineTuneConfig;
  readonly backend: BackendName | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  /** Set when state is 'failed' (the user-facing reason). */
  readonly message: string | null;
  /** Total optimizer steps planned, and the last one reported. */
  readonly totalSteps: number;
  readonly lastStep: number;
  readonly lastLoss: number | null;
  readonly lastValAccuracy: number | null;
}

/** Client → server: start a fine-tuning run; returns at once, the run trains in a worker. */
export namespace RunStart {
  export const method = 'transferLab/run/start' as const;
  export interface Params {
    /** Partial config: everything but `dataset` is optional and filled with defaults. */
    readonly config: Partial<FineTuneConfig> & { readonly dataset: string };
    /** Folder that holds run folders, normally `<workspace>/.transfer-lab/runs`. */
    readonly runsDir: string;
  }
  export interface Result {
    readonly run: RunSummary;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → server: cancel a queued or running run. Resolves once the worker has stopped. */
export namespace RunCancel {
  export const method = 'transferLab/run/cancel' as const;
  export interface Params {
    readonly runId: string;
  }
  export interface Result {
    readonly state: RunState;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → server: every run found in a runs folder, newest first. */
export namespace RunList {
  export const method = 'transferLab/run/list' as const;
  export interface Params {
    readonly runsDir: string;
  }
  export interface Result {
    readonly runs: readonly RunSummary[];
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → server: all metric events recorded so far for a run (a panel opened late). */
export namespace RunHistory {
  export const method = 'transferLab/run/history' as const;
  export interface Params {
    readonly runDir: string;
  }
  export interface Result {
    readonly run: RunSummary;
    readonly events: readonly MetricEvent[];
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Server → client: new metric events of a run, batched (a few per second at most). */
export namespace RunMetricsNotification {
  export const method = 'transferLab/run/metrics' as const;
  export interface Params {
    readonly runId: string;
    readonly events: readonly MetricEvent[];
  }
  export const type = new NotificationType<Params>(method);
}

/** Server → client: a run changed state (queued → running → completed | failed | cancelled). */
export namespace RunStateNotification {
  export const method = 'transferLab/run/state' as const;
  export interface Params {
    readonly run: RunSummary;
  }
  export const type = new NotificationType<Params>(method);
}

// ---------------------------------------------------------------------------------------------
// Errors

/** Error codes of failed requests (JSON-RPC application range). Messages name the file and fix. */
export enum TransferLabErrorCode {
  /** Input the user can fix: bad dataset, wrong column, unreadable checkpoint. */
  UserInput = -32001,
  /** Unknown run id or run folder. */
  NotFound = -32002,
  /** The request is valid but the state forbids it (e.g. cancelling a finished run). */
  InvalidState = -32003,
  /** A bug on our side; the message says so. */
  Internal = -32004,
}
