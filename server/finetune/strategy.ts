/**
 * Fine-tuning strategies as a discriminated union, parsed from their CLI/config spelling:
 * full | features | freeze:N | lora | gradual | lp-ft.
 */
import { UserError } from '../errors';

export type Strategy =
  | { readonly kind: 'full' }
  | { readonly kind: 'features' }
  | { readonly kind: 'freeze'; readonly layers: number }
  | { readonly kind: 'lora' }
  | { readonly kind: 'gradual' }
  | { readonly kind: 'lp-ft' };

export const STRATEGY_NAMES = ['full', 'features', 'freeze:N', 'lora', 'gradual', 'lp-ft'] as const;

/** One line per strategy: what it trains and when it fits (wizard, CLI help, reports). */
export const STRATEGY_RATIONALE: Readonly<Record<Strategy['kind'], string>> = {
  features: 'Frozen encoder, cached features, a small head trains in seconds: few labels, or a quick baseline.',
  freeze: 'Bottom layers frozen, top layers and head trained: a middle ground that forgets less.',
  full: 'Every weight trained: most accurate with enough labels, forgets the most.',
  lora: 'Low-rank adapters on a frozen model: near-full accuracy, little forgetting, tiny checkpoints.',
  gradual: 'ULMFiT gradual unfreezing, top layer first, one more each epoch: stable on small data.',
  'lp-ft': 'Linear probe first, then full fine-tuning: keeps pretrained features from being distorted early.',
};

export function parseStrategy(value: unknown): Strategy {
  if (typeof value === 'string') {
    if (value === 'full' || value === 'features' || value === 'lora' || value === 'gradual' || value === 'lp-ft') return { kind: value };
    const m = /^freeze:(\d+)$/.exec(value);
    if (m !== null) return { kind: 'freeze', layers: Number(m[1]) };
  }
  throw new UserError(`Run configuration: strategy must be one of ${STRATEGY_NAMES.join(', ')} (N = number of bottom layers to freeze), got ${JSON.stringify(value)}.`);
}

export function strategyName(s: Strategy): string {
  return s.kind === 'freeze' ? `freeze:${s.layers}` : s.kind;
}
