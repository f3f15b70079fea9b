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

/** Token lengths of a sample of a dataset's texts, [CLS]/[SEP]-style special tokens included. */
export interface TokenLengthStats {
  /** Texts measured (a seeded sample of at most `DatasetTokenLengths.SAMPLE_ROWS` rows), and the file's rows. */
  readonly sampled: number;
  readonly rows: number;
  readonly mean: number;
  /** Nearest-rank percentiles. */
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * Client → server: how long a dataset's texts are in tokens of a model's tokenizer (for a preset,
 * a vocabulary trained on the sample as the run would), and the longest input the model accepts.
 * Drives the wizard's max-length suggestion. Tables only (.csv, .tsv, .jsonl, .json).
 */
export namespace DatasetTokenLengths {
  export const method = 'transferLab/dataset/tokenLengths' as const;
  /** Rows sampled (seeded, uniform) from larger files. */
  export const SAMPLE_ROWS = 2000;
  export interface Params {
    readonly path: string;
    /** A preset name or a model folder, as in FineTuneConfig.model. */
    readonly model: string;
    /** The text column ('' = detect) and, for pairs, the second text column ('' = none). */
    readonly textColumn: string;
    readonly textPairColumn?: string;
  }
  export interface Result {
    readonly lengths: TokenLengthStats;
    /** The longest input the model accepts (its position table; T5: its practical limit). */
    readonly modelMaxLength: number;
    /** Which tokenizer measured, e.g. "WordPiece trained on the sample (bert)" or "tokenizer.json of my-bert". */
    readonly tokenizer: string;
    readonly textColumn: string;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

// ---------------------------------------------------------------------------------------------
// Runs

export type RunState = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

/**
 * What a run fine-tunes the model to do: label a text (or a text pair), tag each word, continue
 * language-model training on text, or map an input text to a target text (T5).
 */
export type FineTuneTask = 'sequence-classification' | 'token-classification' | 'causal-lm' | 'text-to-text';

/** A fine-tuning run's configuration; `resolveFineTuneConfig` on the server fills defaults. */
export interface FineTuneConfig {
  /**
   * Absolute path of the training file: a table (.csv, .tsv, .jsonl, .json); for
   * token-classification also CoNLL (.conll, .txt, .tsv) or JSONL with per-token labels; for
   * causal-lm also a text file or a folder of text files.
   */
  readonly dataset: string;
  /** Default 'sequence-classification'. Runs recorded before tasks existed lack it: read it through taskOf(). */
  readonly task: FineTuneTask;
  /** Column names; empty string means "detect". text-to-text: the input column. */
  readonly textColumn: string;
  readonly labelColumn: string;
  /** sequence-classification: the second text of a pair (NLI, paraphrase); '' = single texts. Never detected. */
  readonly textPairColumn: string;
  /** text-to-text: the target text column; '' = the label column (detected when that is '' too). */
  readonly targetColumn: string;
  /** A preset name ('tiny') or a model folder in Hugging Face layout. */
  readonly model: string;
  /**
   * Train the model folder's architecture and tokenizer from random weights: the control that
   * shows what pretraining bought (a preset is always from scratch, with a vocabulary trained on the data).
   */
  readonly fromScratch: boolean;
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

/** How a strategy is spelt in FineTuneConfig.strategy: its kind ('freeze' as 'freeze:N'). */
export type StrategyKind = 'features' | 'freeze' | 'full' | 'lora' | 'gradual' | 'lp-ft';

/** One line per strategy: what it trains and when it fits (wizard, CLI help, reports). */
export const STRATEGY_RATIONALE: Readonly<Record<StrategyKind, string>> = {
  features: 'Frozen encoder, cached features, a small head trains in seconds: few labels, or a quick baseline.',
  freeze: 'Bottom layers frozen, top layers and head trained: a middle ground that forgets less.',
  full: 'Every weight trained: most accurate with enough labels, forgets the most.',
  lora: 'Low-rank adapters on a frozen model: near-full accuracy, little forgetting, tiny checkpoints.',
  gradual: 'ULMFiT gradual unfreezing, top layer first, one more each epoch: stable on small data.',
  'lp-ft': 'Linear probe first, then full fine-tuning: keeps pretrained features from being distorted early.',
};

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
      /** Global gradient norm before clipping. */
      readonly gradNorm?: number;
    }
  | {
      readonly type: 'eval';
      readonly step: number;
      readonly epoch: number;
      /** Mean cross-entropy per example (classification) or per predicted token (the other tasks), nats. */
      readonly valLoss: number;
      /**
       * Share of correct predictions: of examples (sequence-classification), of labelled words
       * (token-classification), of next tokens (causal-lm), of exact-match generations (text-to-text).
       */
      readonly valAccuracy: number;
      /**
       * Macro-F1 over the classes: labels, word tags, the token ids predicted or due (causal-lm:
       * rare tokens weigh as much as frequent ones), the distinct target strings (text-to-text).
       */
      readonly valMacroF1: number;
      readonly elapsedMs: number;
      /** confusion[t][p]: validation examples of true class t predicted as class p (classification-like tasks). */
      readonly confusion?: number[][];
      /** The class names of confusion's rows (true) and columns (predicted), in order; absent in runs recorded before it existed. */
      readonly confusionLabels?: readonly string[];
      /** token-classification with BIO/IOBES tags: entity-level F1 (exact span and type, seqeval's micro F1). */
      readonly entityF1?: number;
      /** causal-lm and text-to-text: exp(valLoss), the per-token perplexity of the validation text. */
      readonly perplexity?: number;
      /** text-to-text: mean token-overlap F1 of the greedy generations against the targets (SQuAD-style). */
      readonly tokenF1?: number;
    }
  | ForgettingEvent;

/** Forgetting diagnostics at an evaluation: how far the model moved from the base model. */
export interface ForgettingEvent {
  readonly type: 'forgetting';
  readonly step: number;
  readonly epoch: number;
  readonly elapsedMs: number;
  /** LM loss (nats/token) on held-out general text, now and for the base model; null without an LM head. */
  readonly probeLoss: number | null;
  readonly baseProbeLoss: number | null;
  /** ‖θ − θ₀‖ / ‖θ₀‖ per layer group, bottom to top. */
  readonly weightDrift: readonly { readonly layer: string; readonly drift: number }[];
  /** Linear CKA of each layer's representation of the probe sentences with the base model's (1 = unchanged). */
  readonly cka: readonly { readonly layer: string; readonly cka: number }[];
  /** Mean Jensen–Shannon divergence (nats) of each head's attention rows from the base model's. */
  readonly attentionDrift: readonly { readonly layer: string; readonly head: number; readonly js: number }[];
  /** A plain-language alert when the probe loss rose too far, with follow-up runs to try. */
  readonly alert: {
    readonly level: 'ok' | 'warning' | 'alert';
    readonly message: string;
    readonly suggestions: readonly { readonly label: string; readonly configPatch: Partial<FineTuneConfig> }[];
  } | null;
}

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
    /** Folder that relative paths in `config` are taken from (a `*.tlab.json` file's folder); default: the server's working folder. */
    readonly baseDir?: string;
  }
  export interface Result {
    readonly run: RunSummary;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/**
 * Client → server: the full configuration a partial one resolves to (defaults filled, every value
 * checked), without starting anything. "Edit as JSON" writes it to a `*.tlab.json` file.
 */
export namespace RunResolveConfig {
  export const method = 'transferLab/run/resolveConfig' as const;
  export interface Params {
    readonly config: Partial<FineTuneConfig> & { readonly dataset: string };
    /** As RunStart.Params.baseDir. */
    readonly baseDir?: string;
  }
  export interface Result {
    readonly config: FineTuneConfig;
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

/**
 * Client → server: continue an interrupted, cancelled or failed run from its last checkpoint
 * (metrics after it are dropped). Returns at once with the run queued again under its own id;
 * it then trains and reports like a started run.
 */
export namespace RunResume {
  export const method = 'transferLab/run/resume' as const;
  export interface Params {
    readonly runDir: string;
  }
  export interface Result {
    readonly run: RunSummary;
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
// Pretraining (a fresh model on a text corpus, in a worker thread like runs)

/** What a pretraining job is given; `resolvePretrainConfig` on the server fills the rest and checks ranges. */
export interface PretrainSettings {
  /** A text file, a folder of .txt/.md/.raw files, or a dataset file (its text column). */
  readonly corpus: string;
  /** The model folder to write (Hugging Face layout, plus probe.txt and pretrain.json). */
  readonly out: string;
  /** bert | roberta | distilbert | albert (masked LM), gpt2 (causal LM), t5 (span corruption). */
  readonly family: string;
  /** tiny | mini | small. */
  readonly size: string;
  readonly steps: number;
  readonly seqLength: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly vocabSize: number;
  readonly wholeWord: boolean;
  readonly textColumn: string;
  readonly seed: number;
}

export type PretrainState = 'running' | 'completed' | 'failed' | 'cancelled';

export interface PretrainJob {
  readonly jobId: string;
  readonly state: PretrainState;
  readonly corpus: string;
  readonly out: string;
  readonly family: string;
  readonly size: string;
  readonly steps: number;
  /** The last step reported, its training loss, and the last held-out loss (nats per predicted token). */
  readonly step: number;
  readonly lastLoss: number | null;
  readonly heldOutLoss: number | null;
  /** Why it failed (user-facing), else null. */
  readonly message: string | null;
}

/**
 * Client → server: start pretraining; returns at once. The job trains in a worker thread and shows
 * as work-done progress with Cancel; PretrainStateNotification reports its end.
 */
export namespace PretrainStart {
  export const method = 'transferLab/pretrain/start' as const;
  export interface Params {
    readonly config: Partial<PretrainSettings> & { readonly corpus: string; readonly out: string };
  }
  export interface Result {
    readonly job: PretrainJob;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → server: stop a pretraining job between steps (nothing is written). Resolves once it stopped. */
export namespace PretrainCancel {
  export const method = 'transferLab/pretrain/cancel' as const;
  export interface Params {
    readonly jobId: string;
  }
  export interface Result {
    readonly state: PretrainState;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Server → client: a pretraining job ended (completed, failed or cancelled). */
export namespace PretrainStateNotification {
  export const method = 'transferLab/pretrain/state' as const;
  export interface Params {
    readonly job: PretrainJob;
  }
  export const type = new NotificationType<Params>(method);
}

// ---------------------------------------------------------------------------------------------
// Models: discovery and inference (answered by the server's main thread while runs train)

export interface ModelSummary {
  /** Absolute folder (Hugging Face layout). */
  readonly dir: string;
  /** Display name: the folder name, or "<run id> (final)" for a run's output. */
  readonly name: string;
  readonly family: string;
  /** 'base' | 'masked-lm' | 'causal-lm' | 'sequence-classification' | 'token-classification' | 'seq2seq-lm' */
  readonly head: string;
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  /** The tokenizer file found: 'tokenizer.json' | 'vocab.txt' | 'vocab.json+merges.txt' | 'none'. */
  readonly tokenizer: string;
  readonly source: 'workspace' | 'setting' | 'run';
  /** For run outputs: the run that wrote it. */
  readonly runId: string | null;
}

/** Client → server: model folders under the given roots and the runs folder, plus preset names. */
export namespace ModelList {
  export const method = 'transferLab/model/list' as const;
  export interface Params {
    /** Folders searched recursively (workspace folders). */
    readonly workspaceRoots: readonly string[];
    /** Extra folders from transferLab.modelPaths (each a model folder or a folder of them). */
    readonly modelPaths: readonly string[];
    readonly runsDir: string;
  }
  export interface Result {
    readonly models: readonly ModelSummary[];
    /** Fresh-model presets: "tiny", "bert-mini", "gpt2-tiny", … */
    readonly presets: readonly string[];
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Attention maps of one text: float32 [layers, heads, T, T], little-endian, base64. */
export interface AttentionMaps {
  readonly layers: number;
  readonly heads: number;
  /** Query tokens (rows) and key tokens (columns). */
  readonly queryTokens: readonly string[];
  readonly keyTokens: readonly string[];
  readonly data: string;
}

/** Client → server: every attention map of a model for a text (T5: encoder, decoder, cross). */
export namespace ModelAttention {
  export const method = 'transferLab/model/attention' as const;
  export interface Params {
    readonly model: string;
    readonly text: string;
    /** T5: the decoder text (default: the model's own greedy answer is NOT computed; empty = start token only). */
    readonly decoderText?: string;
    /** Truncate to this many tokens (default and upper bound: the model's maximum). */
    readonly maxLength?: number;
  }
  export interface Result {
    readonly family: string;
    readonly truncated: boolean;
    /** Encoder self-attention (GPT-2: its causal self-attention). */
    readonly attention: AttentionMaps;
    readonly decoderAttention: AttentionMaps | null;
    readonly crossAttention: AttentionMaps | null;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

export interface SamplingParams {
  readonly maxTokens: number;
  /** 0 = greedy. */
  readonly temperature: number;
  readonly topK: number;
  readonly topP: number;
  readonly stop: readonly string[];
  readonly seed: number;
}

/** Client → server: generate from a prompt; pieces stream as GeneratedTextNotification; cancellable. */
export namespace ModelGenerate {
  export const method = 'transferLab/model/generate' as const;
  export interface Params extends SamplingParams {
    readonly model: string;
    readonly prompt: string;
    /** Chosen by the client; tags the streamed notifications. */
    readonly requestId: string;
  }
  export interface Result {
    readonly text: string;
    readonly tokens: number;
    readonly tokensPerSec: number;
    readonly timeToFirstTokenMs: number;
    readonly cancelled: boolean;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Server → client: the next decoded piece of a ModelGenerate request. */
export namespace GeneratedTextNotification {
  export const method = 'transferLab/model/generatedText' as const;
  export interface Params {
    readonly requestId: string;
    readonly piece: string;
  }
  export const type = new NotificationType<Params>(method);
}

/** Client → server: zero-shot classification over labels with the model's LM head. */
export namespace ModelClassify {
  export const method = 'transferLab/model/classify' as const;
  export interface Params {
    readonly model: string;
    readonly text: string;
    readonly labels: readonly string[];
    /** With {text} and {label}; null = the default for the model kind. */
    readonly template: string | null;
    readonly calibrate: boolean;
  }
  export interface Result {
    readonly labels: readonly string[];
    readonly probabilities: readonly number[];
    readonly raw: readonly number[];
    readonly template: string;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → server: top-k predictions at each mask token (masked LMs). */
export namespace ModelFillMask {
  export const method = 'transferLab/model/fillMask' as const;
  export interface Params {
    readonly model: string;
    readonly text: string;
    readonly topK: number;
  }
  export interface Result {
    readonly predictions: readonly (readonly { readonly token: string; readonly probability: number }[])[];
  }
  export const type = new RequestType<Params, Result, void>(method);
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
