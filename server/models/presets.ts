/**
 * Names of fresh models: "tiny" (a BERT, the default), or "<family>-<size>" such as
 * "gpt2-tiny" or "t5-mini". Sizes: tiny (2 layers, hidden 128), mini (4, 256), small (4–6, 512).
 */
import { FAMILIES, SIZES, isFamily, isSizePreset, type Family, type SizePreset } from './config';

export interface PresetName {
  readonly family: Family;
  readonly size: SizePreset;
}

export function parsePreset(name: string): PresetName | null {
  if (isSizePreset(name)) return { family: 'bert', size: name };
  const dash = name.lastIndexOf('-');
  const family = name.slice(0, dash);
  const size = name.slice(dash + 1);
  return dash > 0 && isFamily(family) && isSizePreset(size) ? { family, size } : null;
}

export function isPresetName(name: string): boolean {
  return parsePreset(name) !== null;
}

export const PRESET_NAMES: readonly string[] = [...SIZES, ...FAMILIES.flatMap((f) => SIZES.map((s) => `${f}-${s}`))];
