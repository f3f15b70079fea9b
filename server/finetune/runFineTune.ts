/**
 * A whole fine-tuning run, shared by the CLI and the run worker: the task's data (split or
 * validation file, optional subsample) → model with the task's head → strategy (what trains when)
 * → the training loop with evaluation, checkpoints and early stopping → `final/`, probe losses and
 * the result in run.json. A run folder that already holds a checkpoint continues from it (resume).
 */
import { join } from 'node:path';
import { tf } from '../backend/tf';
import type { BackendInfo, ForgettingEvent, MetricEvent } from '../protocol';
import { DEFAULT_ADAMW_CONFIG } from '../training/adamw';
import { majorityRate } from '../training/classificationMetrics';
import { FINAL_DIR, type RunRecord, type RunResult, type RunWriter } from '../runs/runStore';
import { latestCheckpoint, type EvalSummary } from './loop/checkpoints';
import { PhasedTrainer } from './loop/phasedTrainer';
import { stepsPerEpoch, trainLoop, type LoopContext } from './loop/trainLoop';
import { prepareMitigations } from './mitigations/mitigations';
import { measureProbeLosses } from './probeLoss';
import { parseStrategy, strategyName } from './strategy';
import { loadTaskData } from '../tasks/loadTask';
import { checkTaskStrategy, missingHeadError, TASK_HEADS, taskOf } from '../tasks/task';
import type { TaskData } from '../tasks/taskData';
import { setupStrategy, type StrategySetup } from './strategies/setup';
import { prepareModel, type PreparedModel } from './prepareModel';
import { startsFromScratch } from './fineTuneConfig';
import { ForgettingMonitor } from './forgettingMonitor';

export interface FineTuneHooks {
  /** Every metric event, in order (already appended to metrics.jsonl). */
  onEvents(events: readonly MetricEvent[]): void;
  /** run.json changed (state, totals). */
  onRecord(record: RunRecord): void;
  /** Human-readable progress lines (CLI output, server log). */
  onLog(line: string): void;
  /** Polled between steps; true stops the run as 'cancelled'. */
  isCancelled(): boolean;
}

export class RunCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

const countParameters = (setup: StrategySetup): number =>
  [...new Set(setup.phases.flatMap((p) => p.trainable))].reduce((n, name) => n + setup.trainable.variable(name).size, 0);

/** Runs to completion, or throws (RunCancelled, UserError, …) leaving the caller to set the state. */
export async function runFineTune(writer: RunWriter, backend: BackendInfo, hooks: FineTuneHooks): Promise<RunResult> {
  const config = writer.record.config;
  const started = performance.now();
  hooks.onRecord(await writer.setState('running', null, backend));
  const task = taskOf(config);
  const strategy = parseStrategy(config.strategy);
  checkTaskStrategy(task, strategy);
  const resume = await latestCheckpoint(writer.runDir);
  const data = await loadTaskData(config);
  hooks.onLog(`${task}: ${data.summary}; strategy ${strategyName(strategy)}`);
  const prepared = await prepareTaskModel(config, data, strategy.kind === 'features');
  try {
    const maxLength = Math.min(config.maxLength, prepared.model.maxInputLength);
    if (maxLength < config.maxLength) hooks.onLog(`maxLength ${config.maxLength} capped at ${maxLength}, the longest input the model accepts`);
    const setup = await setupStrategy(strategy, {
      config, task: data, model: prepared.model, tokenizer: prepared.tokenizer, fromScratch: startsFromScratch(config), fresh: prepared.freshParameters,
      maxLength, runsDir: join(writer.runDir, '..'), log: (l) => hooks.onLog(l),
    });
    try {
      return await trainAndFinish(writer, hooks, prepared, setup, { resume, started, maxLength, labels: data.labelNames, valTexts: data.probeTexts, strategy: strategy.kind });
    } finally {
      setup.trainable.dispose();
    }
  } finally {
    prepared.model.dispose();
    if (tf.memory().numTensors > 10_000) hooks.onLog(`warning: ${tf.memory().numTensors} tensors still alive after the run`);
  }
}

/** The model with the task's head (features: a bare encoder); a model without that head is refused with the task's hint. */
function prepareTaskModel(config: RunRecord['config'], data: TaskData, features: boolean): Promise<PreparedModel> {
  const head = features ? 'base' : TASK_HEADS[data.task];
  const labels = head === 'sequence-classification' || head === 'token-classification' ? data.labelNames : [];
  return prepareModel(config.model, config.fromScratch, head, labels, data.vocabularyTexts, config.vocabSize, config.seed).catch((err: unknown) => {
    throw missingHeadError(data.task, err);
  });
}

interface RunContext {
  readonly resume: Awaited<ReturnType<typeof latestCheckpoint>>;
  readonly started: number;
  readonly maxLength: number;
  readonly labels: readonly string[];
  /** Probe sentences for drift when the model has no general-text probe. */
  readonly valTexts: readonly string[];
  readonly strategy: string;
}

async function trainAndFinish(writer: RunWriter, hooks: FineTuneHooks, prepared: PreparedModel, setup: StrategySetup, run: RunContext): Promise<RunResult> {
  const config = writer.record.config;
  const log = (l: string): void => hooks.onLog(l);
  const totalSteps = stepsPerEpoch(setup.data.size, config) * config.epochs;
  const prepareMs = performance.now() - run.started;
  const trainableParameters = countParameters(setup);
  hooks.onRecord(await writer.update({ totalSteps, timings: { prepareMs, trainMs: 0, evalMs: 0 } }));
  log(`model ${prepared.origin === 'preset' ? config.model : prepared.origin}: ${prepared.model.params.parameterCount().toLocaleString('en-US')} parameters (${trainableParameters.toLocaleString('en-US')} trained), vocabulary ${prepared.tokenizer.vocabSize}; ${totalSteps} steps`);
  setup.phases.forEach((p, i) => log(`phase ${i + 1}/${setup.phases.length} from step ${p.startStep}: ${p.label}`));
  const mitigations = await prepareMitigations(config, prepared.model, prepared.tokenizer, setup, run.maxLength, log);
  // A frozen encoder (features) cannot drift: no diagnostics to stream.
  const monitor = run.strategy === 'features' ? null : await ForgettingMonitor.start(config, prepared.model, prepared.tokenizer, mitigations.view, run.valTexts, log);
  let lastForgetting: ForgettingEvent | null = null;
  const trainer = new PhasedTrainer(setup.phases, (n) => setup.trainable.variable(n), setup.lrScale, {
    totalSteps, warmupRatio: config.warmupRatio, maxGradNorm: config.maxGradNorm, schedule: config.schedule,
    adamw: { ...DEFAULT_ADAMW_CONFIG, weightDecay: config.weightDecay },
  });
  try {
    const ctx: LoopContext = {
      config, runDir: writer.runDir, data: setup.data, model: setup.trainable, trainer, log, started: run.started,
      penalty: (trainable) => mitigations.penalty(trainable), beforeStep: (step) => mitigations.beforeStep(step),
      emit: async (events) => {
        await writer.appendEvents(events);
        hooks.onEvents(events);
      },
      isCancelled: () => hooks.isCancelled(), cancelled: () => new RunCancelled(),
      ...(monitor !== null ? {
        afterEval: async (step: number, epoch: number, elapsedMs: number) => {
          lastForgetting = await monitor.measure(step, epoch, elapsedMs);
          const a = lastForgetting.alert;
          if (a !== null && a.level !== 'ok') log(`${a.level}: ${a.message}`);
          return [lastForgetting];
        },
      } : {}),
    };
    const st = await trainLoop(ctx, run.resume);
    await setup.trainable.export(join(writer.runDir, FINAL_DIR), 'final');
    await setup.trainable.finish?.(writer.runDir);
    const measured = lastForgetting as ForgettingEvent | null;
    const probe = measured !== null ? { probeLoss: measured.probeLoss, baseProbeLoss: measured.baseProbeLoss } : await measureProbeLosses(config, mitigations.view, prepared.tokenizer, log);
    const last: EvalSummary = st.lastEval ?? { loss: NaN, accuracy: 0, macroF1: 0 };
    const result: RunResult = {
      valAccuracy: last.accuracy, valMacroF1: last.macroF1, valLoss: last.loss, majorityRate: majorityRate(setup.data.valLabels),
      trainExamples: setup.data.size, valExamples: setup.data.valSize ?? setup.data.valLabels.length, labels: run.labels,
      strategy: config.strategy, trainableParameters, bestValLoss: st.best?.valLoss ?? last.loss, bestStep: st.best?.step ?? st.step,
      stoppedEarly: st.stopped, probeLoss: probe.probeLoss, baseProbeLoss: probe.baseProbeLoss, task: taskOf(config),
      ...(last.entityF1 !== undefined ? { entityF1: last.entityF1 } : {}),
      ...(last.perplexity !== undefined ? { perplexity: last.perplexity } : {}),
      ...(last.tokenF1 !== undefined ? { tokenF1: last.tokenF1 } : {}),
    };
    hooks.onRecord(await writer.update({ result, timings: { prepareMs, trainMs: st.trainMs, evalMs: st.evalMs } }));
    return result;
  } finally {
    trainer.dispose();
    monitor?.dispose();
    mitigations.dispose();
  }
}
