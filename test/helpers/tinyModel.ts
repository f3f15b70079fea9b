/** Tiny fixtures for engine tests: ≤ 2 layers, hidden 16, vocab 40, any family and head. */
import { tf } from '../../server/backend/tf';
import type { Family, HeadKind } from '../../server/models/config';
import { TransformerModel } from '../../server/models/transformerModel';
import { makeBatch, type Batch } from '../../server/finetune/classificationBatches';
import { createRng } from '../../server/random';

export const TINY_VOCAB = 40;

/** HF config.json objects of tiny models, one per family. */
export function tinyHfConfig(family: Family): Record<string, unknown> {
  const bertish = {
    vocab_size: TINY_VOCAB, hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 32,
    hidden_act: 'gelu', max_position_embeddings: 32, type_vocab_size: 2, layer_norm_eps: 1e-12, pad_token_id: 0,
  };
  switch (family) {
    case 'bert':
      return { model_type: 'bert', ...bertish };
    case 'roberta':
      return { model_type: 'roberta', ...bertish, pad_token_id: 1, type_vocab_size: 1, max_position_embeddings: 34, layer_norm_eps: 1e-5 };
    case 'distilbert':
      return { model_type: 'distilbert', vocab_size: TINY_VOCAB, dim: 16, n_layers: 2, n_heads: 2, hidden_dim: 32, activation: 'gelu', max_position_embeddings: 32, pad_token_id: 0 };
    case 'albert':
      return { model_type: 'albert', ...bertish, embedding_size: 8, hidden_act: 'gelu_new' };
    case 'gpt2':
      return { model_type: 'gpt2', vocab_size: TINY_VOCAB, n_positions: 32, n_embd: 16, n_layer: 2, n_head: 2, bos_token_id: 1, eos_token_id: 1 };
    case 't5':
      return { model_type: 't5', vocab_size: TINY_VOCAB, d_model: 16, d_kv: 8, d_ff: 32, num_layers: 2, num_decoder_layers: 2, num_heads: 2, relative_attention_num_buckets: 8, relative_attention_max_distance: 16, feed_forward_proj: 'relu', pad_token_id: 0, eos_token_id: 1, decoder_start_token_id: 0 };
  }
}

export function tinyModel(family: Family, head: HeadKind, seed = 1, labels: readonly string[] = ['a', 'b', 'c']): TransformerModel {
  const needsLabels = head === 'sequence-classification' || head === 'token-classification';
  const m = TransformerModel.fromHfConfig(tinyHfConfig(family), `tiny ${family}`, head, needsLabels ? labels : []);
  m.params.initialize(0.2, seed); // a large std so that mistakes show up as large differences
  return m;
}

/** A batch of `n` sequences of random length ≤ maxLen with [CLS]=2 … [SEP]=3 and labels cycling. */
export function randomBatch(n: number, maxLen: number, seed = 7, vocab = TINY_VOCAB, classes = 3): Batch {
  const rng = createRng(seed);
  const examples = Array.from({ length: n }, (_, i) => {
    const len = 3 + rng.int(maxLen - 2);
    const ids = [2, ...Array.from({ length: len - 2 }, () => 5 + rng.int(vocab - 5)), 3];
    return { ids, label: i % classes };
  });
  return makeBatch(examples, 0);
}

export const liveTensors = (): number => tf.memory().numTensors;
