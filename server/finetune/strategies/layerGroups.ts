/**
 * Where each parameter sits in the network, bottom to top: embeddings, layer i, the final norm
 * above the last layer, or the task head. Freezing, gradual unfreezing (Howard & Ruder, 2018) and
 * layer-wise learning-rate decay (Clark et al., 2020) all choose by these groups.
 */
import type { TransformerModel } from '../../models/transformerModel';

export type LayerGroup =
  | { readonly kind: 'embeddings' }
  | { readonly kind: 'layer'; readonly index: number }
  | { readonly kind: 'final' }
  | { readonly kind: 'head' };

export interface LayerMap {
  /** Transformer layers, bottom (0) to top (numLayers − 1); T5 counts encoder then decoder blocks. */
  readonly numLayers: number;
  groupOf(name: string): LayerGroup;
}

const LAYER_INDEX = /(?:^|\.)(?:layer|h|block)\.(\d+)\./;
const EMBEDDING = /embed|(?:^|\.)wte\.|(?:^|\.)wpe\.|^shared\.|embedding_hidden_mapping_in/;

export function layerMap(model: TransformerModel): LayerMap {
  const c = model.config;
  const numLayers = c.numLayers + c.numDecoderLayers;
  const groupOf = (name: string): LayerGroup => {
    if (model.definition.isOptionalOnLoad(name, c)) return { kind: 'head' };
    // ALBERT shares one set of layer weights across all layers: it moves with the top layer.
    if (name.includes('albert_layer_groups.')) return { kind: 'layer', index: numLayers - 1 };
    const m = LAYER_INDEX.exec(name);
    if (m !== null) return { kind: 'layer', index: Number(m[1]) + (name.startsWith('decoder.') ? c.numLayers : 0) };
    if (EMBEDDING.test(name)) return { kind: 'embeddings' };
    return { kind: 'final' };
  };
  return { numLayers, groupOf };
}

/** Names of the parameters in groups for which `keep` holds. */
export function namesWhere(model: TransformerModel, map: LayerMap, keep: (g: LayerGroup) => boolean): string[] {
  return model.params.names().filter((n) => keep(map.groupOf(n)));
}
