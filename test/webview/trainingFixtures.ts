// Metric events and run summaries for the Training panel's unit tests.
import type { PanelRunInfo } from '../../webview/messages';
import type { EvalEvent, StepEvent } from '../../webview/training/runModel';

/** A step event at step n: 1 s per step, learning rate 1e-3, gradient norm n, 100·n tokens/s. */
export function step(n: number, loss: number, extra: Partial<StepEvent> = {}): StepEvent {
  return { type: 'step', step: n, epoch: 1, loss, learningRate: 1e-3, tokensPerSec: 100 * n, elapsedMs: 1000 * n, gradNorm: n, ...extra };
}

/** An evaluation at step n, half a second after its step. */
export function evalAt(n: number, valLoss: number, extra: Partial<EvalEvent> = {}): EvalEvent {
  return { type: 'eval', step: n, epoch: 1, valLoss, valAccuracy: 0.5, valMacroF1: 0.4, elapsedMs: 1000 * n + 500, ...extra };
}

/** A completed run summary. */
export function runInfo(runId: string, totalSteps = 10): PanelRunInfo {
  return {
    runId, runDir: `/runs/${runId}`, state: 'completed', backend: 'wasm', createdAt: '', finishedAt: null, message: null, totalSteps, lastStep: 0, lastLoss: null, lastValAccuracy: null,
    config: { dataset: '/data/sms.csv', model: 'tiny', epochs: 1, textColumn: 'text', labelColumn: 'label' },
  };
}

