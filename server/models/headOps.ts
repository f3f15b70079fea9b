/** Tensor operations shared by model heads: tied LM projections and token pooling. */
import { tf, type Tensor } from '../backend/tf';
import type { ForwardOptions } from './blocks';
import { matMul, productT } from './ops/matMul';

/**
 * x [N, E] · tableᵀ with `tableT` [E, V] already made: a plain product (the wasm matmul's fast
 * path, and it keeps its packed copy of `tableT` while that tensor lives). The gradient goes to
 * the table itself, never through `tableT`, so a transpose kept across calls is safe under a
 * tape: dx = dy·table, dtable = dyᵀ·x — no [E, V] transposes in the backward either.
 */
function tiedProjection(tableT: Tensor): (x: Tensor, table: Tensor) => Tensor {
  return tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
    const [x, table, save] = args as [Tensor, Tensor, tf.GradSaveFunc];
    save([x, table]);
    return {
      value: tf.matMul(x, tableT),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sx, st] = saved as [Tensor, Tensor];
        return [tf.matMul(dy, st), tf.tidy(() => productT(dy, sx, true, false))]; // tidy: see ops/matMul.ts
      },
    };
  }) as (x: Tensor, table: Tensor) => Tensor;
}

/**
 * h [B, T, E] · tableᵀ (+ bias) → [B, T, V]; the table is the (tied) input embedding [V, E].
 * `tableT` is its transpose when the caller keeps one (ParameterStore.transposeOf); otherwise it
 * is made here.
 */
export function tiedLogits(h: Tensor, table: Tensor, bias: Tensor | null, tableT: Tensor = tf.transpose(table)): Tensor {
  const [B, T, E] = h.shape as [number, number, number];
  const V = table.shape[0] as number;
  let logits = tiedProjection(tableT)(tf.reshape(h, [B * T, E]), table); // [B·T, V]
  if (bias !== null) logits = tf.add(logits, bias);
  return tf.reshape(logits, [B, T, V]);
}

/** [B, T, H] → [B, 1, H] at the last position when `opts` asks for last-position logits only. */
export function headPositions(h: Tensor, opts: ForwardOptions): Tensor {
  if (opts.lastPositionLogits !== true) return h;
  const [B, T, H] = h.shape as [number, number, number];
  return tf.slice(h, [0, T - 1, 0], [B, 1, H]);
}

/** The first token's state [B, H] ([CLS] / <s>). */
export function firstToken(h: Tensor): Tensor {
  const [B, , H] = h.shape as [number, number, number];
  return tf.reshape(tf.slice(h, [0, 0, 0], [B, 1, H]), [B, H]);
}

/** The last real (non-padding) token's state [B, H], as GPT-2's sequence classifier pools. */
export function lastRealToken(h: Tensor, attentionMask: Tensor): Tensor {
  const [B, T, H] = h.shape as [number, number, number];
  const lengths = tf.sum(tf.cast(attentionMask, 'int32'), 1); // [B]
  const lastIndex = tf.sub(lengths, tf.scalar(1, 'int32'));
  const onehot = tf.oneHot(lastIndex, T); // [B, T]: a matmul-friendly gather with a gradient everywhere
  return tf.reshape(matMul(tf.reshape(tf.cast(onehot, 'float32'), [B, 1, T]), h), [B, H]);
}
