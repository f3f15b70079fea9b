/**
 * Forgetting diagnostics during fine-tuning: the base model's probe representations, attention
 * maps and weights are captured before the first step; at every evaluation the run measures
 * probe loss, weight drift, CKA and attention drift against them and raises a plain-language
 * alert when general-text loss rose too far (diagnostics/ holds the maths).
 */
import type { FineTuneConfig, ForgettingEvent } from '../protocol';
import type { TransformerModel } from '../models/transformerModel';
import type { TextTokenizer } from '../tokenizers/textTokenizer';
import { probeLossAlert } from '../diagnostics/alerts';
import { measureForgetting } from '../diagnostics/forgettingProbe';
import { disposeProbe, probeFromSentences, type ForgettingProbe } from '../diagnostics/probeBatches';
import { captureReference, type ForgettingReference } from '../diagnostics/snapshot';
import { textLoss, type TextLossOptions } from '../pretrain/lmExamples';
import type { LmHeadView } from './lmHead';
import { probeOptions, probePath, readProbeLines } from './probeLoss';

/** Probe sentences for representation and attention drift: few and short keep evaluations quick. */
const PROBE_SENTENCES = 16;

interface ProbeText {
  readonly lines: readonly string[];
  readonly opts: TextLossOptions;
}

export class ForgettingMonitor {
  private constructor(
    private readonly config: FineTuneConfig,
    private readonly model: TransformerModel,
    private readonly tokenizer: TextTokenizer,
    private readonly view: LmHeadView | null,
    private readonly probe: ForgettingProbe,
    private readonly reference: ForgettingReference,
    private readonly text: ProbeText | null,
    readonly baseProbeLoss: number | null,
  ) {}

  /**
   * Captures the base model. Probe sentences come from the general-text probe (config.probe or
   * the model's probe.txt), else from the validation texts. Call before any weight changes.
   */
  static async start(
    config: FineTuneConfig, model: TransformerModel, tokenizer: TextTokenizer, view: LmHeadView | null,
    fallbackSentences: readonly string[], log: (line: string) => void,
  ): Promise<ForgettingMonitor> {
    const path = probePath(config);
    const lines = path === null ? null : await readProbeLines(path);
    const text = lines === null ? null : { lines, opts: await probeOptions(config.model) };
    const sentences = (lines ?? fallbackSentences).slice(0, PROBE_SENTENCES);
    const probe = probeFromSentences(tokenizer, sentences, model.config, { maxSentences: PROBE_SENTENCES, maxTokens: Math.min(64, model.maxInputLength) });
    try {
      const reference = await captureReference(model, probe);
      const baseProbeLoss = view !== null && text !== null ? await probeTextLoss(view.base, tokenizer, text) : null;
      log(`forgetting probe: ${sentences.length} sentences${path === null ? ' from the validation set' : ` from ${path}`}${baseProbeLoss === null ? '' : `, base probe loss ${baseProbeLoss.toFixed(4)}`}`);
      return new ForgettingMonitor(config, model, tokenizer, view, probe, reference, text, baseProbeLoss);
    } catch (err) {
      disposeProbe(probe);
      throw err;
    }
  }

  async measure(step: number, epoch: number, elapsedMs: number): Promise<ForgettingEvent> {
    const m = await measureForgetting(this.model, this.reference, this.probe);
    const probeLoss = this.view !== null && this.text !== null ? await probeTextLoss(this.view.current, this.tokenizer, this.text) : null;
    const alert = probeLoss !== null && this.baseProbeLoss !== null
      ? probeLossAlert(this.baseProbeLoss, probeLoss, { config: this.config, numLayers: this.model.config.numLayers })
      : null;
    return {
      type: 'forgetting', step, epoch, elapsedMs, probeLoss, baseProbeLoss: this.baseProbeLoss,
      weightDrift: m.weightDrift, cka: m.cka, attentionDrift: m.attentionDrift, alert,
    };
  }

  dispose(): void {
    disposeProbe(this.probe);
  }
}

function probeTextLoss(model: TransformerModel, tokenizer: TextTokenizer, text: ProbeText): Promise<number> {
  const seqLength = Math.min(text.opts.seqLength ?? 64, model.maxInputLength);
  return textLoss(model, tokenizer, text.lines, { ...text.opts, seqLength });
}
