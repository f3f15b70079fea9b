/**
 * A whole fine-tuning run, shared by the CLI and the run worker: dataset → seeded stratified
 * split → tokenizer and model → epochs of AdamW steps with a validation pass after each →
 * `final/` in Hugging Face layout. Progress goes to the run store and to `hooks`.
 */
import { join } from 'node:path';
import { tf, type Tensor } from '../backend/tf';
import type { BackendInfo, MetricEvent } from '../protocol';
import { loadLabelledDataset } from '../datasets/labelledDataset';
import { stratifiedSplit } from '../datasets/split';
import { crossEntropy } from '../training/losses';
import { createRng } from '../random';
import { DEFAULT_ADAMW_CONFIG } from '../training/adamw';
import { majorityRate } from '../training/classificationMetrics';
import { Trainer } from '../training/trainer';
import { saveModelFolder } from '../checkpoints/modelFolder';
import { FINAL_DIR, type RunRecord, type RunResult, type RunWriter } from '../runs/runStore';
import { bucketedBatchOrder, disposeBatch, makeBatch, truncate, type TokenizedExample } from './classificationBatches';
import { evaluateClassifier } from './evaluate';
import { prepareModel } from './prepareModel';

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

/** Runs to completion, or throws (RunCancelled, UserError, …) leaving the caller to set the state. */
export async function runFineTune(writer: RunWriter, backend: BackendInfo, hooks: FineTuneHooks): Promise<RunResult> {
  const config = writer.record.config;
  const started = performance.now();
  hooks.onRecord(await writer.setState('running', null, backend));

  const dataset = await loadLabelledDataset(config.dataset, { textColumn: config.textColumn, labelColumn: config.labelColumn });
  const labels = dataset.examples.map((e) => e.label);
  const split = stratifiedSplit(labels, config.valFraction, config.seed);
  const trainTexts = split.train.map((i) => dataset.examples[i]?.text ?? '');
  hooks.onLog(`${dataset.examples.length} examples (${split.train.length} train, ${split.val.length} validation), labels: ${dataset.labelNames.join(', ')}`);

  const prepared = await prepareModel(config.model, 'sequence-classification', dataset.labelNames, trainTexts, config.vocabSize, config.seed);
  const { model, tokenizer } = prepared;
  try {
    const encode = (i: number): TokenizedExample => {
      const ex = dataset.examples[i];
      return { ids: truncate(tokenizer.encode(ex?.text ?? '').ids, config.maxLength), label: ex?.label ?? 0 };
    };
    const train = split.train.map(encode);
    const val = split.val.map(encode);
    const stepsPerEpoch = Math.ceil(train.length / config.batchSize);
    const totalSteps = stepsPerEpoch * config.epochs;
    const prepareMs = performance.now() - started;
    hooks.onRecord(await writer.update({ totalSteps, timings: { prepareMs, trainMs: 0, evalMs: 0 } }));
    hooks.onLog(`model ${prepared.origin === 'preset' ? config.model : prepared.origin}: ${model.params.parameterCount().toLocaleString('en-US')} parameters, vocabulary ${tokenizer.vocabSize}; ${totalSteps} steps`);

    const trainer = new Trainer(
      model.params.names().map((name) => ({ name, variable: model.params.get(name) })),
      { learningRate: config.learningRate, warmupSteps: Math.round(totalSteps * config.warmupRatio), totalSteps, maxGradNorm: 1, adamw: { ...DEFAULT_ADAMW_CONFIG, weightDecay: config.weightDecay } },
    );
    const dropoutRng = createRng(config.seed ^ 0x5eed);
    const opts = { training: true, nextSeed: () => dropoutRng.int(2 ** 31) };
    let trainMs = 0;
    let evalMs = 0;
    let last = { loss: NaN, accuracy: 0, macroF1: 0 };
    try {
      for (let epoch = 1; epoch <= config.epochs; epoch++) {
        for (const idx of bucketedBatchOrder(train, config.batchSize, config.seed + epoch)) {
          if (hooks.isCancelled()) throw new RunCancelled();
          const batch = makeBatch(idx.map((i) => train[i] as TokenizedExample), tokenizer.padId);
          const t0 = performance.now();
          const r = await trainer.trainStep(() => crossEntropy(model.forward(batch.inputs, opts).logits as Tensor, batch.labels));
          const dt = performance.now() - t0;
          trainMs += dt;
          disposeBatch(batch);
          await emit(writer, hooks, [{
            type: 'step', step: trainer.step, epoch, loss: r.loss, learningRate: r.learningRate,
            tokensPerSec: (batch.size * batch.seqLength) / (dt / 1000), elapsedMs: performance.now() - started,
          }]);
        }
        const e0 = performance.now();
        const ev = await evaluateClassifier(model, val, config.batchSize * 2, tokenizer.padId);
        evalMs += performance.now() - e0;
        last = ev;
        await emit(writer, hooks, [{
          type: 'eval', step: trainer.step, epoch, valLoss: ev.loss, valAccuracy: ev.accuracy, valMacroF1: ev.macroF1,
          elapsedMs: performance.now() - started,
        }]);
        hooks.onRecord(await writer.update({})); // persist lastStep/lastLoss for readers of run.json
        hooks.onLog(`epoch ${epoch}/${config.epochs}: val loss ${ev.loss.toFixed(4)}, accuracy ${(ev.accuracy * 100).toFixed(1)}%, macro-F1 ${ev.macroF1.toFixed(3)}`);
      }
    } finally {
      trainer.dispose();
    }
    await saveModelFolder(join(writer.runDir, FINAL_DIR), model, tokenizer, config.maxLength);
    const result: RunResult = {
      valAccuracy: last.accuracy, valMacroF1: last.macroF1, valLoss: last.loss,
      majorityRate: majorityRate(val.map((e) => e.label)), trainExamples: train.length, valExamples: val.length,
      labels: dataset.labelNames,
    };
    hooks.onRecord(await writer.update({ result, timings: { prepareMs, trainMs, evalMs } }));
    return result;
  } finally {
    model.dispose();
    if (tf.memory().numTensors > 10_000) hooks.onLog(`warning: ${tf.memory().numTensors} tensors still alive after the run`);
  }
}

async function emit(writer: RunWriter, hooks: FineTuneHooks, events: MetricEvent[]): Promise<void> {
  await writer.appendEvents(events);
  hooks.onEvents(events);
}
