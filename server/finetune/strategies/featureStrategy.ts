/**
 * The `features` strategy (feature extraction): a frozen encoder computes pooled features once
 * per data file — read back from the on-disk cache when the same model, file, columns and length
 * were seen before — and a logistic-regression head trains on them. The encoder never runs
 * during training, so its weights cannot change.
 */
import type { FineTuneConfig } from '../../protocol';
import type { TransformerModel } from '../../models/transformerModel';
import type { TextTokenizer } from '../../tokenizers/textTokenizer';
import { saveModelFolder } from '../../checkpoints/modelFolder';
import { writeFolderAtomic } from '../../checkpoints/atomicWrite';
import { encodeClassificationInput } from '../classificationBatches';
import type { TrainableModel, TrainingData } from '../loop/contracts';
import { exampleOf, type DataSource, type RunData } from '../runData';
import { extractFeatures, poolingFor, type Pooling } from './featureExtraction';
import { featureCacheDir, featureCacheKey, modelIdentity, readCachedFeatures, writeCachedFeatures } from './featureCache';
import { FeatureHead, featureSet, featureTrainingData, saveHeadFolder, HEAD_BIAS, HEAD_WEIGHT, type FeatureSet } from './featureHead';

export interface FeatureSetup {
  readonly trainable: TrainableModel;
  readonly data: TrainingData;
  readonly pooling: Pooling;
}

interface EncoderContext {
  readonly config: FineTuneConfig;
  /** Tokens per text, capped at what the model accepts. */
  readonly maxLength: number;
  readonly model: TransformerModel;
  readonly tokenizer: TextTokenizer;
  readonly identity: unknown;
  readonly cacheDir: string;
  readonly pooling: Pooling;
  readonly log: (line: string) => void;
}

/** Features of every row of one file, from the cache or the encoder (then cached). */
async function sourceFeatures(ctx: EncoderContext, source: DataSource): Promise<Float32Array> {
  const H = ctx.model.config.hiddenSize;
  const key = await featureCacheKey({
    model: ctx.identity, dataset: source.path, textColumn: source.textColumn, labelColumn: source.labelColumn,
    maxLength: ctx.maxLength, pooling: ctx.pooling, ...(source.pairColumn !== '' ? { pairColumn: source.pairColumn } : {}),
    ...(source.sample !== undefined ? { sample: source.sample } : {}),
  });
  const cached = await readCachedFeatures(ctx.cacheDir, key, source.examples.length, H);
  if (cached !== null) {
    ctx.log(`features of ${source.path}: loaded from the cache (${key.slice(0, 12)}…)`);
    return cached;
  }
  const t0 = performance.now();
  const types = ctx.model.config.typeVocabSize;
  const examples = source.examples.map((e) => ({ ...encodeClassificationInput(ctx.tokenizer, e.text, e.pair, ctx.maxLength, types), label: e.label }));
  const features = await extractFeatures(ctx.model, examples, ctx.tokenizer.padId, Math.max(ctx.config.batchSize, 32), ctx.pooling);
  await writeCachedFeatures(ctx.cacheDir, key, features, source.examples.length, H);
  ctx.log(`features of ${source.path}: ${source.examples.length} rows extracted in ${((performance.now() - t0) / 1000).toFixed(1)} s and cached`);
  return features;
}

function gather(data: RunData, all: readonly Float32Array[], refs: RunData['train'], width: number): FeatureSet {
  const out = new Float32Array(refs.length * width);
  refs.forEach((ref, i) => out.set((all[ref.source] ?? new Float32Array(0)).subarray(ref.row * width, (ref.row + 1) * width), i * width));
  return featureSet(out, refs.map((r) => exampleOf(data, r).label), width);
}

export async function featureSetup(
  config: FineTuneConfig, data: RunData, model: TransformerModel, tokenizer: TextTokenizer, fromScratch: boolean, maxLength: number, runsDir: string, log: (line: string) => void,
): Promise<FeatureSetup> {
  const pooling = poolingFor(model);
  const identity = await modelIdentity(config.model, fromScratch, config.seed, tokenizer);
  const ctx: EncoderContext = { config, maxLength, model, tokenizer, identity, cacheDir: featureCacheDir(runsDir), pooling, log };
  const all: Float32Array[] = [];
  for (const source of data.sources) all.push(await sourceFeatures(ctx, source));
  const H = model.config.hiddenSize;
  const train = gather(data, all, data.train, H);
  const val = gather(data, all, data.val, H);
  const head = new FeatureHead(H, data.labelNames);
  const describe = { pooling, baseModel: config.model, family: model.family };
  const trainable: TrainableModel = {
    names: [HEAD_WEIGHT, HEAD_BIAS],
    variable: (name) => head.variable(name),
    saveState: (dir) => saveHeadFolder(dir, head, describe),
    loadState: (dir) => head.load(dir),
    // best/ holds the head alone (the encoder never changes); final/ is the encoder's model folder plus the head.
    export: (dir, which) => which === 'best' ? saveHeadFolder(dir, head, describe) : writeFolderAtomic(dir, async (tmp) => {
      await saveModelFolder(tmp, model, tokenizer, maxLength); // first: it replaces the folder
      await head.save(tmp, describe);
    }),
    dispose: () => {
      head.dispose();
      train.features.dispose();
      val.features.dispose();
    },
  };
  return { trainable, data: featureTrainingData(head, train, val), pooling };
}
