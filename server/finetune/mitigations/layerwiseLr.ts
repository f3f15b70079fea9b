/**
 * Layer-wise learning-rate decay (Howard & Ruder, 2018, "discriminative fine-tuning"; Clark et
 * al., 2020, ELECTRA): lower layers hold more general features, so they move less. Scale =
 * decay^(L − i) for layer i of L (0-based, so the top layer gets decay¹), decay^(L+1) for the
 * embeddings, 1 for the final norm and the head.
 */
import type { LayerMap } from '../strategies/layerGroups';

/** Maps a LoRA parameter ("<module>.lora_A.weight") to the module weight whose layer it adapts. */
function baseName(name: string): string {
  return name.replace(/\.lora_[AB]\.weight$/, '.weight');
}

export function layerwiseLrScale(map: LayerMap, decay: number): (name: string) => number {
  if (decay === 1) return () => 1;
  const L = map.numLayers;
  return (name: string): number => {
    const g = map.groupOf(baseName(name));
    switch (g.kind) {
      case 'embeddings':
        return decay ** (L + 1);
      case 'layer':
        return decay ** (L - g.index);
      case 'final':
      case 'head':
        return 1;
    }
  };
}
