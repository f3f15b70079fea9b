/**
 * LoRA (Hu et al., 2021) against PEFT's conventions: key names and adapter_config.json fields as
 * get_peft_model_state_dict / save_pretrained write them, PEFT's initialisation (B = 0, so the
 * adapted model starts as the base), save → reload giving identical predictions, and the merged
 * export equal to base + adapter for nn.Linear (BERT) and Conv1D (GPT-2) orientations.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf, type Tensor } from '../../../server/backend/tf';
import { INFERENCE } from '../../../server/models/blocks';
import type { Family } from '../../../server/models/config';
import type { TransformerModel } from '../../../server/models/transformerModel';
import { TextTokenizer } from '../../../server/tokenizers/textTokenizer';
import { trainTokenizerForFamily } from '../../../server/tokenizers/trainTokenizers';
import { loadModelFolder } from '../../../server/checkpoints/modelFolder';
import { readSafetensors } from '../../../server/checkpoints/safetensors';
import { attachLora, type LoraModel } from '../../../server/lora/attachLora';
import { mergeLora } from '../../../server/lora/mergeLora';
import { loadLoraAdapter, saveLoraAdapter } from '../../../server/lora/peftAdapter';
import { UserError } from '../../../server/errors';
import { disposeBatch, type Batch } from '../../../server/finetune/classificationBatches';
import { useTestBackend } from '../../helpers/backend';
import { liveTensors, randomBatch, tinyModel } from '../../helpers/tinyModel';
import { maxAbsDiff, tempDir } from '../finetune/finetuneFixtures';

before(useTestBackend);

const SETTINGS = { rank: 4, alpha: 8, dropout: 0.1 };

async function logits(model: TransformerModel, batch: Batch, opts = INFERENCE): Promise<Float32Array> {
  const t = tf.tidy(() => model.forward(batch.inputs, opts).logits as Tensor);
  const data = new Float32Array(await t.data());
  t.dispose();
  return data;
}

/** Gives every B (and the head) non-zero values, as training would. */
function perturb(model: TransformerModel, lora: LoraModel, seed: number): void {
  tf.tidy(() => {
    for (const a of lora.adapters.values()) a.b.assign(tf.randomNormal(a.b.shape, 0, 0.3, 'float32', seed++));
    const head = model.params.names().find((n) => /^(classifier|score)\.weight$/.test(n)) as string;
    model.params.get(head).assign(tf.randomNormal(model.params.get(head).shape, 0, 0.3, 'float32', seed));
  });
}

test('BERT: PEFT key names, shapes and adapter_config.json fields', async () => {
  const model = tinyModel('bert', 'sequence-classification');
  const lora = attachLora(model, { ...SETTINGS, targetModules: ['query', 'value'] }, 1);
  const dir = tempDir('tl-peft-');
  await saveLoraAdapter(dir, model, lora, '/models/tiny-bert');
  const weights = await readSafetensors(join(dir, 'adapter_model.safetensors'));
  const expected = new Map<string, number[]>();
  for (const l of [0, 1]) for (const m of ['query', 'value']) {
    expected.set(`base_model.model.bert.encoder.layer.${l}.attention.self.${m}.lora_A.weight`, [4, 16]);
    expected.set(`base_model.model.bert.encoder.layer.${l}.attention.self.${m}.lora_B.weight`, [16, 4]);
  }
  expected.set('base_model.model.classifier.weight', [3, 16]);
  expected.set('base_model.model.classifier.bias', [3]);
  expected.set('base_model.model.bert.pooler.dense.weight', [16, 16]);
  expected.set('base_model.model.bert.pooler.dense.bias', [16]);
  assert.deepEqual([...weights.keys()].sort(), [...expected.keys()].sort());
  for (const [k, shape] of expected) assert.deepEqual(weights.get(k)?.shape, shape, k);
  const config = JSON.parse(readFileSync(join(dir, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(config['peft_type'], 'LORA');
  assert.equal(config['task_type'], 'SEQ_CLS');
  assert.equal(config['r'], 4);
  assert.equal(config['lora_alpha'], 8);
  assert.equal(config['lora_dropout'], 0.1);
  assert.deepEqual(config['target_modules'], ['query', 'value']);
  assert.deepEqual(config['modules_to_save'], ['bert.pooler.dense', 'classifier']);
  assert.equal(config['base_model_name_or_path'], '/models/tiny-bert');
  assert.equal(config['bias'], 'none');
  assert.equal(config['fan_in_fan_out'], false);
  lora.dispose();
  model.dispose();
});

test('GPT-2: the default targets fall back to c_attn (Conv1D, fan_in_fan_out), the head is score', async () => {
  const model = tinyModel('gpt2', 'sequence-classification');
  const lora = attachLora(model, { ...SETTINGS, targetModules: ['query', 'value'] }, 1, true);
  assert.deepEqual([...lora.adapters.keys()], ['transformer.h.0.attn.c_attn', 'transformer.h.1.attn.c_attn']);
  const dir = tempDir('tl-peft-gpt2-');
  await saveLoraAdapter(dir, model, lora, 'gpt2-tiny');
  const weights = await readSafetensors(join(dir, 'adapter_model.safetensors'));
  assert.deepEqual(weights.get('base_model.model.transformer.h.0.attn.c_attn.lora_A.weight')?.shape, [4, 16]);
  assert.deepEqual(weights.get('base_model.model.transformer.h.0.attn.c_attn.lora_B.weight')?.shape, [48, 4]);
  assert.deepEqual(weights.get('base_model.model.score.weight')?.shape, [3, 16]);
  const config = JSON.parse(readFileSync(join(dir, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(config['fan_in_fan_out'], true);
  assert.deepEqual(config['target_modules'], ['c_attn']);
  assert.deepEqual(config['modules_to_save'], ['score']);
  lora.dispose();
  model.dispose();
});

test('an unknown target module is a UserError naming the modules that exist', () => {
  const model = tinyModel('bert', 'sequence-classification');
  assert.throws(() => attachLora(model, { ...SETTINGS, targetModules: ['q_proj'] }, 1), (e: unknown) => e instanceof UserError && /q_proj/.test(e.message) && /query/.test(e.message) && /value/.test(e.message));
  model.dispose();
});

test('PEFT init: A is U(±1/√in), B is zero, so the adapted model computes exactly the base model', async () => {
  const model = tinyModel('bert', 'sequence-classification');
  const batch = randomBatch(4, 10);
  const baseLogits = await logits(model, batch);
  const lora = attachLora(model, { ...SETTINGS, targetModules: ['query', 'value'] }, 7);
  const a = lora.adapters.values().next().value;
  assert.ok(a !== undefined);
  const aData = await a.a.data();
  assert.ok(aData.every((v) => Math.abs(v) <= 1 / Math.sqrt(16)) && aData.some((v) => v !== 0));
  assert.ok((await a.b.data()).every((v) => v === 0));
  assert.deepEqual(await logits(model, batch), baseLogits);
  lora.dispose();
  disposeBatch(batch);
  model.dispose();
});

test('adapter dropout acts only while training, reproducibly per seed', async () => {
  const model = tinyModel('bert', 'sequence-classification');
  const lora = attachLora(model, { ...SETTINGS, dropout: 0.5, targetModules: ['query', 'value'] }, 1);
  perturb(model, lora, 3);
  const batch = randomBatch(4, 10);
  const training = (seed: number) => ({ training: true, nextSeed: ((s) => () => s++)(seed) });
  const eval1 = await logits(model, batch);
  assert.deepEqual(await logits(model, batch), eval1);
  const t1 = await logits(model, batch, training(5));
  assert.deepEqual(await logits(model, batch, training(5)), t1);
  assert.ok(maxAbsDiff(t1, eval1) > 1e-4);
  lora.dispose();
  disposeBatch(batch);
  model.dispose();
});

for (const family of ['bert', 'gpt2'] as Family[]) {
  test(`${family}: save → reload gives identical predictions; the merged export equals base + adapter`, async () => {
    const before0 = liveTensors();
    const model = tinyModel(family, 'sequence-classification', 1);
    const lora = attachLora(model, { ...SETTINGS, targetModules: family === 'gpt2' ? ['c_attn'] : ['query', 'value'] }, 1);
    perturb(model, lora, 11);
    const batch = randomBatch(5, 12);
    const adapted = await logits(model, batch);
    const dir = tempDir('tl-lora-reload-');
    await saveLoraAdapter(join(dir, 'adapter'), model, lora, 'base');
    const tokenizer = TextTokenizer.fromJson(trainTokenizerForFamily(family, ['a small text', 'another text'], 100), 'test');
    await mergeLora(join(dir, 'merged'), model, tokenizer, lora, 32);

    const fresh = tinyModel(family, 'sequence-classification', 1); // the same base weights, an untrained head
    assert.ok(maxAbsDiff(await logits(fresh, batch), adapted) > 1e-3, 'the perturbation should matter');
    const reloaded = await loadLoraAdapter(fresh, join(dir, 'adapter'));
    assert.deepEqual(await logits(fresh, batch), adapted, 'reloaded adapter predictions differ');
    const merged = await loadModelFolder(join(dir, 'merged'));
    assert.ok(maxAbsDiff(await logits(merged.model, batch), adapted) < 1e-5, 'merged model differs from base + adapter');

    for (const m of [merged.model, fresh, model]) m.dispose();
    reloaded.dispose();
    lora.dispose();
    disposeBatch(batch);
    assert.equal(liveTensors(), before0);
  });
}
