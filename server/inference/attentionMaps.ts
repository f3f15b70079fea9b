/**
 * Every attention map of a model for one text, for the Attention panel: tokens as the
 * tokenizer makes them, probabilities as base64 float32 [layers, heads, T, T] (compact, and
 * decoded without parsing nested JSON arrays in the webview).
 */
import { tf, tidyKeep, type Tensor } from '../backend/tf';
import { INFERENCE } from '../models/blocks';
import type { TransformerModel } from '../models/transformerModel';
import type { TextTokenizer } from '../tokenizers/textTokenizer';
import type { AttentionMaps, ModelAttention } from '../protocol';

async function pack(maps: readonly Tensor[], queryTokens: string[], keyTokens: string[]): Promise<AttentionMaps> {
  const stacked = tf.tidy(() => tf.concat(maps.map((m) => tf.squeeze(m, [0]))) ); // [L·H, Tq, Tk]
  const data = (await stacked.data()) as Float32Array;
  stacked.dispose();
  const heads = maps[0]?.shape[1] ?? 0;
  return {
    layers: maps.length, heads, queryTokens, keyTokens,
    data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64'),
  };
}

export async function attentionMaps(model: TransformerModel, tok: TextTokenizer, p: ModelAttention.Params): Promise<ModelAttention.Result> {
  const limit = Math.min(p.maxLength ?? model.maxInputLength, model.maxInputLength);
  const isT5 = model.family === 't5';
  const isCausal = model.family === 'gpt2';
  const full = isCausal ? tok.encodePieces(p.text) : tok.encode(p.text).ids;
  const ids = full.length > limit ? [...full.slice(0, limit - 1), full[full.length - 1] as number] : full;
  const decoderIds = isT5 ? [model.config.decoderStartTokenId, ...tok.encodePieces(p.decoderText ?? '')] : null;
  const names = (xs: readonly number[]): string[] => xs.map((id) => tok.idToToken(id) ?? `#${id}`);
  const out = tidyKeep(() => {
    const input = tf.tensor2d(ids, [1, ids.length], 'int32');
    const o = model.forward({
      inputIds: input, attentionMask: tf.onesLike(input), tokenTypeIds: tf.zerosLike(input),
      ...(decoderIds !== null ? { decoderInputIds: tf.tensor2d(decoderIds, [1, decoderIds.length], 'int32') } : {}),
    }, { ...INFERENCE, outputAttentions: true });
    return { self: isT5 ? (o.encoderAttentions ?? []) : o.attentions, decoder: isT5 ? o.attentions : [], cross: o.crossAttentions ?? [] };
  });
  try {
    const enc = names(ids);
    const dec = decoderIds === null ? [] : names(decoderIds);
    return {
      family: model.family,
      truncated: full.length > ids.length,
      attention: await pack(out.self, enc, enc),
      decoderAttention: isT5 ? await pack(out.decoder, dec, dec) : null,
      crossAttention: isT5 ? await pack(out.cross, dec, enc) : null,
    };
  } finally {
    tf.dispose([...out.self, ...out.decoder, ...out.cross]);
  }
}
