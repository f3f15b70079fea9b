/** Tiny fixtures for engine tests: a 2-layer, hidden-16 classifier and a random batch. */
import { tf } from '../../server/backend/tf';
import { DEFAULT_BERT_CONFIG, validateBertConfig, type BertConfig } from '../../server/models/bertConfig';
import { SequenceClassifier } from '../../server/models/sequenceClassifier';
import { makeBatch, type Batch } from '../../server/finetune/classificationBatches';
import { createRng } from '../../server/random';

export const TINY_CONFIG: BertConfig = validateBertConfig(
  { ...DEFAULT_BERT_CONFIG, vocabSize: 40, hiddenSize: 16, numLayers: 2, numHeads: 2, intermediateSize: 32, maxPositions: 32, labels: ['a', 'b', 'c'] },
  'test config',
);

export function tinyClassifier(seed = 1, config: BertConfig = TINY_CONFIG): SequenceClassifier {
  const m = new SequenceClassifier(config);
  m.params.initialize(config.initializerRange, seed);
  return m;
}

/** A batch of `n` sequences of random length ≤ maxLen with [CLS]=2 … [SEP]=3 and labels cycling. */
export function randomBatch(n: number, maxLen: number, seed = 7, vocab = 40, classes = 3): Batch {
  const rng = createRng(seed);
  const examples = Array.from({ length: n }, (_, i) => {
    const len = 3 + rng.int(maxLen - 2);
    const ids = [2, ...Array.from({ length: len - 2 }, () => 5 + rng.int(vocab - 5)), 3];
    return { ids, label: i % classes };
  });
  return makeBatch(examples, 0);
}

export const liveTensors = (): number => tf.memory().numTensors;
