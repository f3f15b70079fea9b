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

/** One line per strategy (wizard, CLI help, reports); it lives in the protocol so the extension shows the same words. */
export { STRATEGY_RATIONALE } from '../protocol';

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
