/**
 * Autoregressive generation for causal LMs (GPT-2) and T5's decoder with a KV cache: the prompt
 * (or encoder input) is processed once, then each new token costs one single-position forward
 * pass over cached keys and values — O(T) per token instead of O(T²).
 */
import { tf, tidyKeep, type Tensor } from '../backend/tf';
import { INFERENCE, type KeyValue } from '../models/blocks';
import type { TransformerModel } from '../models/transformerModel';
import { createRng } from '../random';
import { UserError } from '../errors';
import { sampleToken, type SamplingOptions } from './sampling';

export interface GenerateOptions extends SamplingOptions {
  readonly maxNewTokens: number;
  readonly seed: number;
  /** Stop before emitting this token (default: the model's eos). */
  readonly eosTokenId?: number | null;
  /** Called with each new token id as soon as it is chosen; return true to stop. */
  readonly onToken?: (id: number) => boolean | void;
  /** false: recompute the whole sequence every step (the reference for tests and benchmarks). */
  readonly useCache?: boolean;
}

export interface GenerateResult {
  readonly ids: number[];
  readonly timeToFirstTokenMs: number;
  readonly tokensPerSec: number;
}

interface Step {
  readonly logits: Tensor; // [V] at the last position
  readonly present: KeyValue[];
}

function lastLogits(logits: Tensor): Tensor {
  const [, T, V] = logits.shape as [number, number, number];
  return tf.reshape(tf.slice(logits, [0, T - 1, 0], [1, 1, V]), [V]);
}

export async function generate(model: TransformerModel, promptIds: readonly number[], o: GenerateOptions): Promise<GenerateResult> {
  const isT5 = model.family === 't5';
  if (!isT5 && model.config.head !== 'causal-lm') throw new UserError(`Generation needs a causal LM (GPT-2) or T5; this ${model.family} model has a ${model.config.head} head.`);
  if (promptIds.length === 0) throw new UserError('The prompt is empty.');
  // A causal LM sees prompt + generated tokens within its position table: stop at its end.
  const room = isT5 ? o.maxNewTokens : model.maxInputLength - promptIds.length;
  if (room <= 0) throw new UserError(`The prompt has ${promptIds.length} tokens; this model reads at most ${model.maxInputLength}. Shorten the prompt.`);
  const maxNewTokens = Math.min(o.maxNewTokens, room);
  const useCache = o.useCache !== false;
  const rng = createRng(o.seed);
  const eos = o.eosTokenId === undefined ? model.config.eosTokenId : o.eosTokenId;
  const encoderIds = tf.tensor2d([...promptIds], [1, promptIds.length], 'int32');
  const encoderMask = tf.onesLike(encoderIds);
  const encoderHidden = isT5 ? tf.tidy(() => model.forward({ inputIds: encoderIds, attentionMask: encoderMask, decoderInputIds: tf.tensor2d([[model.config.decoderStartTokenId]], [1, 1], 'int32') }, INFERENCE).encoderHidden as Tensor) : null;
  const sequence = isT5 ? [model.config.decoderStartTokenId] : [...promptIds];
  let past: KeyValue[] | null = null;
  const generated: number[] = [];
  const t0 = performance.now();
  let firstAt = 0;
  // The tied LM head's transposed table is made once for the whole generation, not per token.
  const releaseTransposes = model.params.holdTransposes();
  try {
    for (let n = 0; n < maxNewTokens; n++) {
      const feed = useCache && past !== null ? sequence.slice(-1) : sequence;
      const pastLength = useCache && past !== null ? sequence.length - 1 : 0;
      const step: Step = tidyKeep(() => {
        const ids = tf.tensor2d(feed, [1, feed.length], 'int32');
        const out = model.forward({
          inputIds: isT5 ? encoderIds : ids,
          attentionMask: isT5 ? encoderMask : tf.ones([1, pastLength + feed.length], 'int32'),
          ...(isT5 ? { decoderInputIds: ids, encoderHidden: encoderHidden as Tensor } : {}),
          ...(useCache && past !== null ? { past } : {}),
        }, { ...INFERENCE, lastPositionLogits: true });
        return { logits: lastLogits(out.logits as Tensor), present: useCache ? (out.present ?? []) : [] };
      });
      if (past !== null) for (const kv of past) tf.dispose([kv.k, kv.v]);
      past = useCache ? step.present : null;
      const values = await step.logits.data();
      step.logits.dispose();
      const next = sampleToken(values, o, rng);
      if (n === 0) firstAt = performance.now() - t0;
      if (next === eos) break;
      generated.push(next);
      sequence.push(next);
      // Let the process handle pending I/O (a cancel request, other requests) between tokens:
      // wasm kernels and data() resolve synchronously, so without this nothing else would run.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (o.onToken?.(next) === true) break;
    }
  } finally {
    releaseTransposes();
    if (past !== null) for (const kv of past) tf.dispose([kv.k, kv.v]);
    tf.dispose([encoderIds, encoderMask, ...(encoderHidden ? [encoderHidden] : [])]);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { ids: generated, timeToFirstTokenMs: firstAt, tokensPerSec: generated.length / Math.max(seconds, 1e-9) };
}
