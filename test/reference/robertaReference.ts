/**
 * RoBERTa forward pass, following transformers/models/roberta/modeling_roberta.py: BERT's encoder with
 * RobertaEmbeddings' padding-aware position ids, RobertaLMHead and RobertaClassificationHead.
 */
import { bertEmbeddings, bertEncoder, bertEncoderConfig } from './bertReference';
import { architecture, basePrefix, bool, num, param, type Config, type ReferenceOutput, type Weights } from './common';
import { geluErf, layerNorm, linear, map, toArrays, type Mat } from './mathRef';

/**
 * create_position_ids_from_input_ids: mask = (id ≠ padding_idx); positions = cumsum(mask) · mask + padding_idx.
 * Real tokens count up from padding_idx + 1; pad tokens keep position padding_idx.
 */
export function robertaPositionIds(ids: readonly number[], paddingIdx: number): number[] {
  let count = 0;
  return ids.map((id) => {
    if (id === paddingIdx) return paddingIdx;
    count += 1;
    return count + paddingIdx;
  });
}

/**
 * RobertaLMHead: dense → gelu (the exact erf gelu, hard-coded, whatever hidden_act says) → layer_norm → decoder,
 * whose weight is tied to the word embeddings and whose bias is lm_head.bias.
 */
function robertaLmHead(config: Config, weights: Weights, p: string, hidden: Mat, eps: number): Mat {
  const t = map(linear(hidden, param(weights, 'lm_head.dense.weight'), param(weights, 'lm_head.dense.bias')), geluErf);
  const n = layerNorm(t, param(weights, 'lm_head.layer_norm.weight'), param(weights, 'lm_head.layer_norm.bias'), eps);
  const tied = bool(config, 'tie_word_embeddings', true);
  const decoder = param(weights, tied ? `${p}embeddings.word_embeddings.weight` : 'lm_head.decoder.weight');
  return linear(n, decoder, param(weights, 'lm_head.bias'));
}

/** RobertaClassificationHead on <s> (token 0): dense → tanh → out_proj. */
function robertaClassificationHead(weights: Weights, hidden: Mat): number[] {
  const first = hidden.slice(0, 1);
  const x = map(linear(first, param(weights, 'classifier.dense.weight'), param(weights, 'classifier.dense.bias')), Math.tanh);
  return Array.from(linear(x, param(weights, 'classifier.out_proj.weight'), param(weights, 'classifier.out_proj.bias'))[0] ?? []);
}

/** RobertaModel / RobertaForMaskedLM / RobertaForSequenceClassification / RobertaForTokenClassification. */
export function robertaForward(config: Config, weights: Weights, ids: readonly number[]): ReferenceOutput {
  const arch = architecture(config);
  const p = basePrefix(weights, 'roberta', 'embeddings.word_embeddings.weight');
  const c = bertEncoderConfig(config);
  const positions = robertaPositionIds(ids, num(config, 'pad_token_id', 1));
  const { hidden, attentions } = bertEncoder(weights, p, bertEmbeddings(weights, p, ids, positions, c.eps), c);
  const out = (logits: ReferenceOutput['logits']): ReferenceOutput => ({ hidden: toArrays(hidden), logits, attentions });
  switch (arch) {
    case 'RobertaModel': // keeps BERT's pooler (pooler.dense.*), which none of the contract's outputs use
      return out(null);
    case 'RobertaForMaskedLM':
      return out(toArrays(robertaLmHead(config, weights, p, hidden, c.eps)));
    case 'RobertaForSequenceClassification':
      return out(robertaClassificationHead(weights, hidden));
    case 'RobertaForTokenClassification':
      return out(toArrays(linear(hidden, param(weights, 'classifier.weight'), param(weights, 'classifier.bias'))));
    default:
      throw new Error(`reference: RoBERTa architecture ${arch} is not implemented`);
  }
}
