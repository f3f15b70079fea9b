// Which fine-tuning strategy to offer first, from the dataset's size, the task and whether the base
// model is pretrained: the wizard's recommendation, with each strategy's one-line rationale.
// Pure (no vscode) so the rules are unit-tested.
import { STRATEGY_RATIONALE, type FineTuneTask, type StrategyKind } from '../../server/protocol';

/** Up to this many rows, a frozen encoder (features, or LoRA where features does not apply) overfits least. */
export const FEW_ROWS = 1000;
/** From this many rows on, training every weight pays off. */
export const MANY_ROWS = 10_000;

export interface StrategyOption {
  /** As written in FineTuneConfig.strategy ("freeze:2"). */
  readonly value: string;
  readonly kind: StrategyKind;
  readonly rationale: string;
  readonly recommended: boolean;
  /** Why it is (or is not) the pick for this dataset and model, when that differs from the rationale. */
  readonly note: string | null;
}

export interface StrategyContext {
  /** Training rows (the file's rows; the validation split is taken from them). */
  readonly rows: number;
  readonly task: FineTuneTask;
  /** A fresh preset: nothing pretrained to keep. */
  readonly freshModel: boolean;
  /** Transformer layers of the model, when known (freeze:N freezes the bottom half). */
  readonly layers: number | null;
}

const ORDER: readonly StrategyKind[] = ['features', 'lora', 'freeze', 'gradual', 'lp-ft', 'full'];

/** The strategy the wizard recommends. */
export function recommendStrategy(c: Omit<StrategyContext, 'layers'>): StrategyKind {
  if (c.freshModel) return 'full';
  if (c.rows <= FEW_ROWS) return c.task === 'sequence-classification' ? 'features' : 'lora';
  return c.rows < MANY_ROWS ? 'lora' : 'full';
}

function recommendationNote(c: StrategyContext, kind: StrategyKind): string {
  const rows = `${c.rows.toLocaleString('en-US')} rows`;
  if (c.freshModel) return 'recommended: a fresh model has nothing pretrained to keep, so every weight trains';
  if (kind === 'full') return `recommended: ${rows} are enough to train every weight`;
  if (kind === 'lora' && c.rows > FEW_ROWS) return `recommended: ${rows} are too few to train every weight safely`;
  return `recommended for ${rows}: trains few weights, so it overfits least`;
}

/** Every strategy that applies to the task, recommended one first, with notes. */
export function strategyOptions(c: StrategyContext): StrategyOption[] {
  const best = recommendStrategy(c);
  const kinds = ORDER.filter((k) => k !== 'features' || c.task === 'sequence-classification');
  const freezeLayers = Math.max(1, Math.floor((c.layers ?? 2) / 2));
  const options = kinds.map((kind): StrategyOption => {
    const recommended = kind === best;
    const note = recommended
      ? recommendationNote(c, kind)
      : c.freshModel && kind !== 'full' ? 'little use on a fresh model: its frozen weights are random' : null;
    return { value: kind === 'freeze' ? `freeze:${freezeLayers}` : kind, kind, rationale: STRATEGY_RATIONALE[kind], recommended, note };
  });
  return [...options.filter((o) => o.recommended), ...options.filter((o) => !o.recommended)];
}
