/**
 * One forward pass of a single sequence, returned as plain nested arrays: the contract of
 * `transfer-lab forward --json` (hidden [T][H], the head's logits, attentions [layer][head][q][k];
 * T5 adds encoder_hidden, encoder/decoder/cross attentions).
 */
import { tf, tidyKeep, type Tensor } from '../backend/tf';
import { INFERENCE } from '../models/blocks';
import type { ModelOutput } from '../models/modelIo';
import type { TransformerModel } from '../models/transformerModel';
import { UserError } from '../errors';

type Nested = number | Nested[];

export interface ForwardDump {
  readonly hidden: Nested;
  readonly logits: Nested | null;
  readonly attentions: Nested;
  readonly encoder_hidden?: Nested;
  readonly encoder_attentions?: Nested;
  readonly decoder_attentions?: Nested;
  readonly cross_attentions?: Nested;
}

/** Drops the batch dimension of a [1, …] tensor. */
async function unbatch(t: Tensor): Promise<Nested> {
  const arr = (await t.array()) as Nested[];
  return arr[0] as Nested;
}

async function stack(ts: readonly Tensor[]): Promise<Nested> {
  return Promise.all(ts.map(unbatch));
}

export async function forwardDump(model: TransformerModel, ids: readonly number[], decoderIds?: readonly number[]): Promise<ForwardDump> {
  const vocab = model.config.vocabSize;
  for (const id of [...ids, ...(decoderIds ?? [])]) {
    if (!Number.isInteger(id) || id < 0 || id >= vocab) throw new UserError(`Token id ${id} is outside the vocabulary (0–${vocab - 1}).`);
  }
  const isT5 = model.family === 't5';
  if (isT5 && (decoderIds === undefined || decoderIds.length === 0)) throw new UserError(`T5 needs --decoder-ids (start with ${model.config.decoderStartTokenId}, the decoder_start_token_id).`);
  type Kept = Omit<ModelOutput, 'present'>;
  const out = tidyKeep((): Kept => {
    const T = ids.length;
    const o = model.forward({
      inputIds: tf.tensor2d([...ids], [1, T], 'int32'),
      attentionMask: tf.ones([1, T], 'int32'),
      tokenTypeIds: tf.zeros([1, T], 'int32'),
      ...(decoderIds !== undefined ? { decoderInputIds: tf.tensor2d([...decoderIds], [1, decoderIds.length], 'int32') } : {}),
    }, { ...INFERENCE, outputAttentions: true });
    const kept: Kept = { hidden: o.hidden, logits: o.logits, attentions: o.attentions };
    // Only what the dump reads leaves the scope; the KV cache (present) is freed by tidy.
    return isT5 ? { ...kept, encoderHidden: o.encoderHidden, encoderAttentions: o.encoderAttentions, crossAttentions: o.crossAttentions } : kept;
  });
  try {
    const base = { hidden: await unbatch(out.hidden), logits: out.logits === null ? null : await unbatch(out.logits), attentions: await stack(out.attentions) };
    if (!isT5) return base;
    return {
      ...base,
      encoder_hidden: await unbatch(out.encoderHidden as Tensor),
      encoder_attentions: await stack(out.encoderAttentions ?? []),
      decoder_attentions: base.attentions,
      cross_attentions: await stack(out.crossAttentions ?? []),
    };
  } finally {
    tf.dispose([out.hidden, ...(out.logits ? [out.logits] : []), ...out.attentions, ...(out.encoderHidden ? [out.encoderHidden] : []), ...(out.encoderAttentions ?? []), ...(out.crossAttentions ?? [])]);
  }
}
