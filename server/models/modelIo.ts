/** Inputs and outputs of a model's forward pass, shared by every family. */
import type { Tensor } from '../backend/tf';
import type { KeyValue } from './blocks';

export interface ModelInputs {
  /** [B, T] int32 token ids (T5: encoder ids). */
  readonly inputIds: Tensor;
  /** [B, T] int32, 1 for real tokens, 0 for padding. */
  readonly attentionMask: Tensor;
  /** [B, T] int32 segment ids; families without token types ignore it. */
  readonly tokenTypeIds?: Tensor;
  /** T5: [B, Td] decoder ids (shifted right, starting with decoder_start_token_id). */
  readonly decoderInputIds?: Tensor;
  /** GPT-2 / T5 decoder: keys and values of earlier positions, one entry per layer. */
  readonly past?: readonly KeyValue[];
  /** T5 generation: a precomputed encoder output (skips the encoder). */
  readonly encoderHidden?: Tensor;
}

export interface ModelOutput {
  /** [B, T, H] last hidden state (T5: the decoder's). */
  readonly hidden: Tensor;
  /** The head's logits: [B, T, V] for LM heads, [B, L] for sequence and [B, T, L] for token classification; null for base models. */
  readonly logits: Tensor | null;
  /** Per layer [B, heads, Tq, Tk] (T5: decoder self-attention). Empty unless requested. */
  readonly attentions: Tensor[];
  /** With outputHiddenStates: [B, T, H] after the embeddings and after each layer (T5: decoder). */
  readonly hiddenStates?: Tensor[];
  /** T5 with outputHiddenStates: the encoder's per-layer states. */
  readonly encoderHiddenStates?: Tensor[];
  readonly encoderHidden?: Tensor;
  readonly encoderAttentions?: Tensor[];
  readonly crossAttentions?: Tensor[];
  /** Keys and values for the next decoding step (GPT-2, T5 decoder). */
  readonly present?: KeyValue[];
}
