/** Grouping parameters into layers by their Hugging Face names, and relative drift per layer. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareLayers, layerOf, weightDrift } from '../../../server/diagnostics/weightDrift';
import type { Family, HeadKind } from '../../../server/models/config';
import { TransformerModel } from '../../../server/models/transformerModel';
import { tinyHfConfig } from '../../helpers/tinyModel';

const NAMES: readonly [string, string][] = [
  ['bert.embeddings.word_embeddings.weight', 'embeddings'],
  ['bert.embeddings.LayerNorm.bias', 'embeddings'],
  ['bert.encoder.layer.3.attention.self.query.weight', 'layer 3'],
  ['bert.encoder.layer.11.output.LayerNorm.bias', 'layer 11'],
  ['roberta.encoder.layer.0.intermediate.dense.weight', 'layer 0'],
  ['distilbert.embeddings.position_embeddings.weight', 'embeddings'],
  ['distilbert.transformer.layer.5.ffn.lin1.weight', 'layer 5'],
  ['transformer.wte.weight', 'embeddings'],
  ['transformer.wpe.weight', 'embeddings'],
  ['transformer.h.3.attn.c_attn.weight', 'layer 3'],
  ['transformer.h.10.mlp.c_proj.bias', 'layer 10'],
  ['transformer.ln_f.weight', 'head'],
  ['shared.weight', 'embeddings'],
  ['encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight', 'encoder 0'],
  ['encoder.block.3.layer.1.DenseReluDense.wi.weight', 'encoder 3'],
  ['decoder.block.3.layer.1.EncDecAttention.k.weight', 'decoder 3'],
  ['encoder.final_layer_norm.weight', 'head'],
  ['lm_head.weight', 'head'],
  ['albert.embeddings.word_embeddings.weight', 'embeddings'],
  ['albert.encoder.embedding_hidden_mapping_in.weight', 'embeddings'],
  ['albert.encoder.albert_layer_groups.0.albert_layers.0.attention.query.weight', 'shared layers'],
  ['bert.pooler.dense.weight', 'head'],
  ['cls.predictions.bias', 'head'],
  ['classifier.out_proj.weight', 'head'],
  ['score.weight', 'head'],
];

for (const [name, layer] of NAMES) {
  test(`layerOf("${name}") = "${layer}"`, () => assert.equal(layerOf(name), layer));
}

const FAMILY_LAYERS: readonly [Family, HeadKind, string[]][] = [
  ['bert', 'sequence-classification', ['embeddings', 'layer 0', 'layer 1', 'head']],
  ['roberta', 'masked-lm', ['embeddings', 'layer 0', 'layer 1', 'head']],
  ['distilbert', 'token-classification', ['embeddings', 'layer 0', 'layer 1', 'head']],
  ['albert', 'sequence-classification', ['embeddings', 'shared layers', 'head']],
  ['gpt2', 'causal-lm', ['embeddings', 'layer 0', 'layer 1', 'head']],
  ['t5', 'seq2seq-lm', ['embeddings', 'encoder 0', 'encoder 1', 'decoder 0', 'decoder 1', 'head']],
];

for (const [family, head, layers] of FAMILY_LAYERS) {
  test(`every ${family} ${head} parameter lands in one of ${layers.join(', ')}`, () => {
    const needsLabels = head === 'sequence-classification' || head === 'token-classification';
    const model = TransformerModel.fromHfConfig(tinyHfConfig(family), `tiny ${family}`, head, needsLabels ? ['a', 'b'] : []);
    const groups = [...new Set(model.params.names().map(layerOf))].sort(compareLayers);
    assert.deepEqual(groups, layers);
  });
}

test('drift = ‖θ − θ₀‖ / ‖θ₀‖ over all tensors of a layer, ordered bottom to top', () => {
  const base = new Map<string, number[]>([
    ['classifier.weight', [2]],
    ['bert.encoder.layer.0.output.dense.weight', [3, 4]],
    ['bert.encoder.layer.0.output.dense.bias', [0, 0]],
    ['bert.embeddings.word_embeddings.weight', [1, 0]],
  ]);
  const current = new Map<string, number[]>([
    ['classifier.weight', [1]], // |1 − 2| / 2
    ['bert.encoder.layer.0.output.dense.weight', [3, 4]],
    ['bert.encoder.layer.0.output.dense.bias', [0.3, 0.4]], // ‖(0, 0, .3, .4)‖ / ‖(3, 4, 0, 0)‖ = 0.5 / 5
    ['bert.embeddings.word_embeddings.weight', [1, 0]],
    ['lora.only.in.current', [9]],
  ]);
  const drift = weightDrift(base, current);
  assert.deepEqual(drift.map((d) => d.layer), ['embeddings', 'layer 0', 'head']);
  assert.equal(drift[0]?.drift, 0);
  assert.ok(Math.abs((drift[1]?.drift ?? 0) - 0.1) < 1e-12);
  assert.equal(drift[2]?.drift, 0.5);
});

test('a tensor that changed size is refused; a zero-norm layer reports its absolute change', () => {
  assert.throws(() => weightDrift(new Map([['x.weight', [1, 2]]]), new Map([['x.weight', [1]]])), /"x\.weight" has 1 values/);
  assert.deepEqual(weightDrift(new Map([['x.bias', [0, 0]]]), new Map([['x.bias', [3, 4]]])), [{ layer: 'head', drift: 5 }]);
});
