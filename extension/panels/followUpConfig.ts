// The configuration of a follow-up run: a run's config with an alert suggestion's patch applied.
// Plain data (no vscode import) so test/extension/ can check it.
import type { FineTuneConfig } from '../../server/protocol';

/** Nested objects of FineTuneConfig that a patch updates key by key instead of replacing. */
const NESTED = ['mitigations', 'lora'] as const;

/**
 * `config` with `patch` applied: top-level keys replace, `mitigations` and `lora` merge key by key
 * (a patch that turns on L2-SP keeps the layer-wise LR decay already chosen).
 */
export function applyConfigPatch(config: FineTuneConfig, patch: Partial<FineTuneConfig>): FineTuneConfig {
  const merged: Record<string, unknown> = { ...config, ...patch };
  for (const key of NESTED) {
    const patched = patch[key];
    if (patched !== undefined) merged[key] = { ...config[key], ...patched };
  }
  return merged as unknown as FineTuneConfig;
}
