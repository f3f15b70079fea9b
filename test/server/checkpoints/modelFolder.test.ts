/**
 * Model folders: save → load is bit-exact for every family with identical outputs; config.json
 * carries HF keys and labels; a new label set starts a fresh head; mismatched shapes, unknown
 * model types and pickle-only folders are refused with messages naming the file and tensor.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../../server/backend/tf';
import { loadModelFolder, saveModelFolder } from '../../../server/checkpoints/modelFolder';
import { encodeSafetensors, readSafetensors } from '../../../server/checkpoints/safetensors';
import { INFERENCE } from '../../../server/models/blocks';
import type { Family, HeadKind } from '../../../server/models/config';
import { TextTokenizer } from '../../../server/tokenizers/textTokenizer';
import { trainTokenizerForFamily } from '../../../server/tokenizers/trainTokenizers';
import type { TransformerModel } from '../../../server/models/transformerModel';
import { useTestBackend } from '../../helpers/backend';
import { tinyModel } from '../../helpers/tinyModel';

before(useTestBackend);
const TEXTS = ['good movie', 'bad movie', 'a good day', 'a bad day', 'really good', 'really bad'];

async function saved(family: Family, head: HeadKind): Promise<{ dir: string; model: TransformerModel }> {
  const dir = join(mkdtempSync(join(tmpdir(), 'tl-mf-')), 'model');
  const tokenizer = TextTokenizer.fromJson(trainTokenizerForFamily(family, TEXTS, 300), 'test');
  const model = tinyModel(family, head, 9);
  await saveModelFolder(dir, model, tokenizer, 32);
  return { dir, model };
}

function logitsOf(model: TransformerModel): number[] {
  return tf.tidy(() => {
    const ids = tf.tensor2d([[2, 7, 9, 3]], [1, 4], 'int32');
    const out = model.forward({ inputIds: ids, attentionMask: tf.onesLike(ids), decoderInputIds: tf.tensor2d([[0, 5]], [1, 2], 'int32') }, INFERENCE);
    return Array.from((out.logits ?? out.hidden).dataSync());
  });
}

test('save → load is bit-exact and gives identical outputs, for every family', async () => {
  const cases: [Family, HeadKind][] = [['bert', 'sequence-classification'], ['bert', 'base'], ['roberta', 'masked-lm'], ['distilbert', 'sequence-classification'], ['albert', 'masked-lm'], ['gpt2', 'causal-lm'], ['t5', 'seq2seq-lm']];
  for (const [family, head] of cases) {
    const { dir, model } = await saved(family, head);
    const loaded = await loadModelFolder(dir);
    assert.equal(loaded.model.config.head, head, `${family}: head from architectures`);
    assert.deepEqual(loaded.fresh, [], `${family}/${head}: every tensor came from the checkpoint`);
    const a = await model.params.toCheckpointArrays();
    const b = await loaded.model.params.toCheckpointArrays();
    for (const [name, arr] of a) assert.deepEqual(Array.from(b.get(name)?.data ?? []), Array.from(arr.data), `${family}: ${name}`);
    assert.deepEqual(logitsOf(loaded.model), logitsOf(model), `${family}: outputs`);
    model.dispose();
    loaded.model.dispose();
  }
});

test('config.json carries HF keys; bare base models save without the prefix', async () => {
  const { dir, model } = await saved('bert', 'sequence-classification');
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(config['model_type'], 'bert');
  assert.deepEqual(config['id2label'], { 0: 'a', 1: 'b', 2: 'c' });
  assert.deepEqual(config['architectures'], ['BertForSequenceClassification']);
  const weights = await readSafetensors(join(dir, 'model.safetensors'));
  assert.deepEqual(weights.get('bert.encoder.layer.0.intermediate.dense.weight')?.shape, [32, 16]); // HF [out, in]
  model.dispose();
  const base = await saved('bert', 'base');
  const baseWeights = await readSafetensors(join(base.dir, 'model.safetensors'));
  assert.ok(baseWeights.has('encoder.layer.0.intermediate.dense.weight') && baseWeights.has('pooler.dense.weight'));
  base.model.dispose();
});

test('a new label set keeps the encoder and starts a fresh classifier head', async () => {
  const { dir, model } = await saved('bert', 'masked-lm');
  const loaded = await loadModelFolder(dir, { head: 'sequence-classification', labels: ['x', 'y'] });
  assert.deepEqual([...loaded.fresh].sort(), ['bert.pooler.dense.bias', 'bert.pooler.dense.weight', 'classifier.bias', 'classifier.weight']);
  model.dispose();
  loaded.model.dispose();
});

test('shape mismatch, missing tensors, unknown model_type and pickle-only folders are refused', async () => {
  const { dir, model } = await saved('bert', 'sequence-classification');
  model.dispose();
  const weights = await readSafetensors(join(dir, 'model.safetensors'));
  weights.set('bert.encoder.layer.1.output.dense.weight', { shape: [16, 31], data: new Float32Array(16 * 31) });
  writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(weights));
  await assert.rejects(loadModelFolder(dir), /"bert\.encoder\.layer\.1\.output\.dense\.weight" has shape \[16, 31\] but config\.json implies \[16, 32\]/);
  weights.delete('bert.encoder.layer.1.output.dense.weight');
  writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(weights));
  await assert.rejects(loadModelFolder(dir), /has no tensor "bert\.encoder\.layer\.1\.output\.dense\.weight"/);

  const other = join(mkdtempSync(join(tmpdir(), 'tl-mf-')), 'm');
  mkdirSync(other);
  writeFileSync(join(other, 'config.json'), JSON.stringify({ model_type: 'xlnet' }));
  await assert.rejects(loadModelFolder(other), /model_type "xlnet" is not supported\. Supported: bert, minilm, roberta, distilbert, albert, gpt2, t5/);
  writeFileSync(join(other, 'config.json'), readFileSync(join(dir, 'config.json')));
  writeFileSync(join(other, 'pytorch_model.bin'), 'not really a pickle');
  copyFileSync(join(dir, 'tokenizer.json'), join(other, 'tokenizer.json'));
  await assert.rejects(loadModelFolder(other), /pytorch_model\.bin is a pickle checkpoint, which can run arbitrary code/);
});
