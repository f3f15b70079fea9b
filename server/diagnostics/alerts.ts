/**
 * The forgetting alert: compares the probe loss (LM loss on general text) now with the base
 * model's, says in plain language how far it rose, and proposes follow-up runs as config patches.
 */
import type { FineTuneConfig } from '../protocol';
import { UserError } from '../errors';

export type AlertLevel = 'ok' | 'warning' | 'alert';

/**
 * When a rise of the probe loss counts. The alert limit is max(relativeRise · base, absoluteRise):
 * the rise must clear both, so a small base loss is not flagged for noise-sized moves and a large
 * one not for a few percent. Set either to 0 to use only the other.
 */
export interface ProbeLossThresholds {
  /** Rise as a fraction of the base loss (0.10 = +10%). */
  readonly relativeRise: number;
  /** Rise in nats. */
  readonly absoluteRise: number;
  /** A rise past this fraction of the alert limit is a warning. */
  readonly warningFraction: number;
}

export const DEFAULT_PROBE_LOSS_THRESHOLDS: ProbeLossThresholds = Object.freeze({
  relativeRise: 0.1, // +10%: beyond evaluation noise on a few hundred probe sentences
  absoluteRise: 0.2, // nats; guards small base losses, where 10% is a hair
  warningFraction: 0.5,
});

/** Merges a partial set of thresholds into a copy of the defaults and checks every value. */
export function resolveProbeLossThresholds(partial: Partial<ProbeLossThresholds> = {}): ProbeLossThresholds {
  const t = { ...DEFAULT_PROBE_LOSS_THRESHOLDS, ...partial };
  const check = (key: keyof ProbeLossThresholds, lo: number, hi: number): void => {
    const v = t[key];
    if (!(Number.isFinite(v) && v >= lo && v <= hi)) throw new UserError(`Forgetting alert: ${key} must be a number in [${lo}, ${hi}], got ${JSON.stringify(v)}.`);
  };
  check('relativeRise', 0, 10);
  check('absoluteRise', 0, 100);
  check('warningFraction', 0, 1);
  return t;
}

/** A follow-up run: a button label and the partial config it starts with. */
export interface AlertSuggestion {
  readonly label: string;
  readonly configPatch: Partial<FineTuneConfig>;
}

export interface ForgettingAlert {
  readonly level: AlertLevel;
  readonly message: string;
  /** Empty when the level is 'ok'. */
  readonly suggestions: readonly AlertSuggestion[];
}

/** What the suggestions are built from: the run's settings and its number of layers. */
export interface AlertContext {
  readonly config: Pick<FineTuneConfig, 'learningRate' | 'strategy' | 'mitigations'>;
  /** Transformer layers of the model (T5: encoder layers). */
  readonly numLayers: number;
}

/** The L2-SP strength proposed (Li et al., ICML 2018, use 0.01–0.1 for the pull to θ₀). */
export const SUGGESTED_L2SP = 0.01;

/** Follow-up runs that reduce forgetting, minus those the run already uses. */
export function forgettingSuggestions({ config, numLayers }: AlertContext): AlertSuggestion[] {
  const adaptsAll = config.strategy !== 'lora' && config.strategy !== 'features';
  const half = config.learningRate / 2;
  const freeze = Math.floor(numLayers / 2);
  const frozen = /^freeze:(\d+)$/.exec(config.strategy);
  const out: AlertSuggestion[] = [];
  if (adaptsAll) out.push({ label: 'Re-run with LoRA', configPatch: { strategy: 'lora' } });
  out.push({ label: `Re-run with half the learning rate (${formatRate(half)})`, configPatch: { learningRate: half } });
  if (adaptsAll && freeze >= 1 && (frozen === null || Number(frozen[1]) < freeze)) {
    out.push({ label: `Re-run freezing the bottom ${freeze} layers`, configPatch: { strategy: `freeze:${freeze}` } });
  }
  if (adaptsAll && config.mitigations.l2sp < SUGGESTED_L2SP) {
    out.push({ label: `Re-run with L2-SP (strength ${SUGGESTED_L2SP})`, configPatch: { mitigations: { ...config.mitigations, l2sp: SUGGESTED_L2SP } } });
  }
  return out;
}

const formatRate = (lr: number): string => lr.toExponential(1).replace(/\.0e/, 'e');
const nats = (x: number): string => x.toFixed(2);
/** "+3", "-0.12"; a change that rounds to zero has no sign (never "-0%"). */
export function signed(x: number, digits: number): string {
  const magnitude = Math.abs(x).toFixed(digits);
  if (Number(magnitude) === 0) return magnitude;
  return `${x > 0 ? '+' : '-'}${magnitude}`;
}

/**
 * The alert for one evaluation: `baseLoss` is the probe loss (nats) of the model before
 * fine-tuning, `currentLoss` the probe loss now. A non-finite current loss (divergence) is an alert.
 */
export function probeLossAlert(baseLoss: number, currentLoss: number, context: AlertContext, thresholds: ProbeLossThresholds = DEFAULT_PROBE_LOSS_THRESHOLDS): ForgettingAlert {
  if (!(Number.isFinite(baseLoss) && baseLoss >= 0)) throw new Error(`probeLossAlert: the base probe loss must be a finite number ≥ 0, got ${baseLoss}`);
  if (!Number.isFinite(currentLoss)) {
    return {
      level: 'alert',
      message: `Probe loss is ${currentLoss} (it was ${nats(baseLoss)} before fine-tuning): training has diverged and the model no longer models general text.`,
      suggestions: forgettingSuggestions(context),
    };
  }
  const rise = currentLoss - baseLoss;
  const limit = Math.max(thresholds.relativeRise * baseLoss, thresholds.absoluteRise);
  const percent = baseLoss > 0 ? `${signed((100 * rise) / baseLoss, 0)}%, ` : '';
  const change = `(${percent}${signed(rise, 2)} nats)`;
  if (rise > limit) {
    return {
      level: 'alert',
      message: `Probe loss rose from ${nats(baseLoss)} to ${nats(currentLoss)} ${change}, past the alert limit of +${nats(limit)} nats: ` +
        'the model is losing the general language it was pretrained on (catastrophic forgetting). A follow-up run can keep more of it.',
      suggestions: forgettingSuggestions(context),
    };
  }
  if (rise > thresholds.warningFraction * limit) {
    return {
      level: 'warning',
      message: `Probe loss rose from ${nats(baseLoss)} to ${nats(currentLoss)} ${change}, approaching the alert limit of +${nats(limit)} nats: ` +
        'the model is starting to forget general language. Watch the next evaluations.',
      suggestions: forgettingSuggestions(context),
    };
  }
  const verb = rise > 0 ? 'rose' : rise < 0 ? 'fell' : 'stayed';
  const moved = rise === 0 ? `at ${nats(baseLoss)}` : `from ${nats(baseLoss)} to ${nats(currentLoss)} ${change}`;
  return { level: 'ok', message: `Probe loss ${verb} ${moved}: no sign of forgetting.`, suggestions: [] };
}
