/**
 * Model folders: a saved classifier reloads to identical logits; config.json carries HF keys;
 * mismatched shapes, unknown model types and pickle files are refused with clear messages.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveModelFolder, loadModelFolder } from '../../../server/checkpoints/modelFolder';
import { prepareModel } from '../../../server/finetune/prepareModel';
import { TextTokenizer } from '../../../server/tokenizers/textTokenizer';
import { trainWordPiece } from '../../../server/tokenizers/trainWordPiece';
import { makeBatch } from '../../../server/finetune/classificationBatches';
import { encodeSafetensors, readSafetensors } from '../../../server/checkpoints/safetensors';
import { useTestBackend } from '../../helpers/backend';
import { tinyClassifier, TINY_CONFIG } from '../../helpers/tinyModel';

before(useTestBackend);
const eval0 = { training: false, nextSeed: () => 0 };
const texts = ['good movie', 'bad movie', 'a good day', 'a bad day', 'really good', 'really bad'];

async function savedFolder(): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'tl-mf-')), 'model');
  const tokenizer = TextTokenizer.fromJson(trainWordPiece(texts, { vocabSize: 40, minFrequency: 1 }), 'test');
  const model = tinyClassifier(9, { ...TINY_CONFIG, vocabSize: tokenizer.vocabSize });
  await saveModelFolder(dir, model, tokenizer, 32);
  model.dispose();
  return dir;
}

test('save → load gives bit-identical weights and identical logits', async () => {
  const dir = await savedFolder();
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(config['model_type'], 'bert');
  assert.deepEqual(config['id2label'], { 0: 'a', 1: 'b', 2: 'c' });
  assert.deepEqual(config['architectures'], ['BertForSequenceClassification']);
  const weights = await readSafetensors(join(dir, 'model.safetensors'));
  assert.deepEqual(weights.get('bert.encoder.layer.0.intermediate.dense.weight')?.shape, [32, 16]); // HF [out, in]
  const a = await prepareModel(dir, ['a', 'b', 'c'], [], 0, 1);
  assert.deepEqual(a.freshParameters, []);
  const again = await a.model.params.toCheckpointArrays();
  for (const [name, arr] of weights) assert.deepEqual(Array.from(again.get(name)?.data ?? []), Array.from(arr.data), name);
  const batch = makeBatch([{ ids: a.tokenizer.encode('good day').ids, label: 0 }], a.tokenizer.padId);
  const b = await prepareModel(dir, ['a', 'b', 'c'], [], 0, 2);
  assert.deepEqual(Array.from(a.model.forward(batch.inputs, eval0).logits.dataSync()), Array.from(b.model.forward(batch.inputs, eval0).logits.dataSync()));
  a.model.dispose();
  b.model.dispose();
});

test('new labels keep the encoder and start a fresh classifier head', async () => {
  const dir = await savedFolder();
  const p = await prepareModel(dir, ['x', 'y'], [], 0, 1);
  assert.deepEqual(p.freshParameters, ['classifier.weight', 'classifier.bias']);
  p.model.dispose();
});

test('shape mismatch, unknown model_type and pickle-only folders are refused', async () => {
  const dir = await savedFolder();
  const weights = await readSafetensors(join(dir, 'model.safetensors'));
  weights.set('bert.encoder.layer.1.output.dense.weight', { shape: [16, 31], data: new Float32Array(16 * 31) });
  writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(weights));
  await assert.rejects(prepareModel(dir, ['a', 'b', 'c'], [], 0, 1), /"bert\.encoder\.layer\.1\.output\.dense\.weight" has shape \[16, 31\] but config\.json implies \[16, 32\]/);

  const other = join(mkdtempSync(join(tmpdir(), 'tl-mf-')), 'm');
  mkdirSync(other);
  writeFileSync(join(other, 'config.json'), JSON.stringify({ model_type: 'xlnet' }));
  await assert.rejects(loadModelFolder(other), /model_type "xlnet" is not supported\. Supported: bert/);
  writeFileSync(join(other, 'config.json'), readFileSync(join(dir, 'config.json')));
  writeFileSync(join(other, 'pytorch_model.bin'), 'not really a pickle');
  copyFileSync(join(dir, 'tokenizer.json'), join(other, 'tokenizer.json'));
  await assert.rejects(loadModelFolder(other), /pytorch_model\.bin is a pickle checkpoint, which can run arbitrary code/);
});
