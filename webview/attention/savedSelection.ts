// The map a reloaded Attention panel reopens: the one saved before the reload, when the maps that
// came back still have it (the model folder may have changed since); undefined otherwise.
import type { AttentionSelection, PanelAttentionResult } from '../messages';
import { mapsOf } from './maps';

export function restoredSelection(saved: AttentionSelection | undefined, result: PanelAttentionResult): AttentionSelection | undefined {
  if (saved === undefined) return undefined;
  const maps = mapsOf(result, saved.kind);
  return maps !== null && saved.layer < maps.layers && saved.head < maps.heads ? saved : undefined;
}
