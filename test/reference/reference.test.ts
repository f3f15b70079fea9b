// Self-checks of the float64 Hugging Face reference (test/reference) and of the fixture writer
// (test/helpers/hfCheckpoints): maths, T5 buckets, RoBERTa positions, shared ALBERT layers, causal masks, tied heads,
// a BERT layer computed a second way, exact tensor names, file round trips, and that every saved tensor matters.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { readSafetensors } from '../../server/checkpoints/safetensors';
import { exampleInput, supportedCombinations, writeHfCheckpoint, type Family, type Fixture, type FixtureOptions, type Head } from '../helpers/hfCheckpoints';
import { albertConfig, albertLayer } from './albertReference';
import { bertEmbeddings } from './bertReference';
import type { ReferenceOutput } from './common';
import { compareOutputs } from './compare';
import { erf, geluErf, geluTanh, linear, softmax, type Tensor } from './mathRef';
import { referenceForward } from './referenceForward';
import { robertaPositionIds } from './robertaReference';
import { relativePositionBucket } from './t5Reference';

const root = mkdtempSync(join(tmpdir(), 'hf-reference-'));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;

function fixture(opts: FixtureOptions): Fixture {
  return writeHfCheckpoint(join(root, `${opts.family}-${opts.head}-${counter++}`), opts);
}

function run(f: Fixture, family: Family, weights: ReadonlyMap<string, Tensor> = f.weights, config = f.config): ReferenceOutput {
  const { ids, decoderIds } = exampleInput(family);
  return referenceForward(config, weights, ids, decoderIds);
}

function get(weights: ReadonlyMap<string, Tensor>, name: string): Tensor {
  const t = weights.get(name);
  if (t === undefined) throw new Error(`missing ${name}`);
  return t;
}

/** Every number of the outputs, flattened in a fixed order. */
function flatten(out: ReferenceOutput): number[] {
  return [out.hidden, out.logits ?? [], out.attentions, out.encoder_hidden ?? [], out.cross_attentions ?? []].flat(4) as number[];
}

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  assert.equal(a.length, b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] ?? NaN))), 0);
}

function close(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);
}

const COMBINATIONS: FixtureOptions[] = [
  ...supportedCombinations(),
  { family: 't5', head: 'seq2seq-lm', variant: 'v1.1' },
  { family: 't5', head: 'base', variant: 'v1.1' },
];
const label = (o: FixtureOptions): string => `${o.family}/${o.head}${o.variant === undefined ? '' : ` (${o.variant})`}`;

// ─── mathRef ────────────────────────────────────────────────────────────────────────────────────────────────────

test('erf matches literal values (math.erf, CPython) to 1e-15', () => {
  const table: [number, number][] = [
    [0, 0], [0.1, 0.1124629160182849], [0.5, 0.5204998778130465], [1, 0.8427007929497149], [2, 0.9953222650189527],
    [3, 0.9999779095030014], [4.5, 0.9999999998033839], [-0.3, -0.3286267594591274], [-2.5, -0.999593047982555], [7, 1],
  ];
  for (const [x, e] of table) close(erf(x), e, 1e-15, `erf(${x})`);
});

test('gelu (erf) and gelu_new (tanh) match literal values and differ by ≫ 1e-4 near x = -1', () => {
  const table: [number, number, number][] = [
    [-3, -0.00404969409489031, -0.0036373920817729943], [-1, -0.15865525393145707, -0.15880800939172324],
    [0.5, 0.34573123063700656, 0.34571400982514394], [1, 0.8413447460685429, 0.8411919906082768], [2, 1.9544997361036416, 1.954597694087775],
  ];
  for (const [x, exact, tanh] of table) {
    close(geluErf(x), exact, 1e-15, `gelu(${x})`);
    close(geluTanh(x), tanh, 1e-15, `gelu_new(${x})`);
  }
  assert.ok(Math.abs(geluErf(-3) - geluTanh(-3)) > 4e-4);
});

test('softmax sums to 1 and gives exactly 0 to masked (−∞) entries', () => {
  const p = softmax(Float64Array.from([1, -Infinity, 3, 0.5]));
  close(p.reduce((s, v) => s + v, 0), 1, 1e-15, 'sum');
  assert.equal(p[1], 0);
});

test('linear uses the nn.Linear [out, in] orientation', () => {
  const w: Tensor = { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
  const b: Tensor = { shape: [2], data: Float32Array.from([10, 20]) };
  assert.deepEqual(Array.from(linear([Float64Array.from([1, 0, -1])], w, b)[0] ?? []), [10 - 2, 20 - 2]);
});

// ─── Position schemes ───────────────────────────────────────────────────────────────────────────────────────────

test('RoBERTa position ids of [0, 5, 6, 1] with padding_idx 1 are [2, 3, 4, 1]', () => {
  // mask = (id != 1) = [1, 1, 1, 0]; cumsum = [1, 2, 3, 3]; cumsum·mask = [1, 2, 3, 0]; + padding_idx = [2, 3, 4, 1]
  assert.deepEqual(robertaPositionIds([0, 5, 6, 1], 1), [2, 3, 4, 1]);
  assert.deepEqual(robertaPositionIds([0, 1, 7], 1), [2, 1, 3]);
});

test('T5 relative position buckets match values derived by hand from _relative_position_bucket', () => {
  // Bidirectional, num_buckets 8, max_distance 16: 4 buckets per direction (offset 4 when memory > query),
  // max_exact = 2. d < 2 → d. Otherwise 2 + ⌊log(d/2) / log(8) · 2⌋, capped at 3:
  // d=2: log 1 = 0 → 2;  d=3: 0.405/2.079·2 = 0.39 → 2;  d=5: 0.916/2.079·2 = 0.88 → 2;  d=6: 1.099/2.079·2 = 1.06 → 3.
  const bi: [number, number][] = [[0, 0], [-1, 1], [1, 5], [-2, 2], [2, 6], [-3, 2], [3, 6], [-5, 2], [-6, 3], [6, 7], [-100, 3], [100, 7]];
  for (const [rel, bucket] of bi) assert.equal(relativePositionBucket(rel, true, 8, 16), bucket, `bidirectional ${rel}`);
  // Unidirectional (decoder), 8 buckets, max_distance 16: future keys (rel > 0) → 0; d = −rel; max_exact = 4.
  // d ≥ 4: 4 + ⌊log(d/4) / log(4) · 4⌋, capped at 7: d=5: 0.223/1.386·4 = 0.64 → 4; d=7: 0.560/1.386·4 = 1.61 → 5;
  // d=8: log 2 / log 4 · 4 = 2 → 6; d=11: 1.012/1.386·4 = 2.92 → 6; d=12: 1.099/1.386·4 = 3.17 → 7.
  const uni: [number, number][] = [[0, 0], [3, 0], [-1, 1], [-3, 3], [-4, 4], [-5, 4], [-7, 5], [-8, 6], [-11, 6], [-12, 7], [-16, 7], [-1000, 7]];
  for (const [rel, bucket] of uni) assert.equal(relativePositionBucket(rel, false, 8, 16), bucket, `unidirectional ${rel}`);
  // T5 defaults (32 buckets, 128): 16 per direction, max_exact 8; d=10: 8 + ⌊0.223/2.773·8 = 0.64⌋ = 8;
  // d=20: 8 + ⌊0.916/2.773·8 = 2.64⌋ = 10; d=128: 8 + 8 = 16 → capped 15; +200 → 16 + 15 = 31.
  const t5Small: [number, number][] = [[-7, 7], [-8, 8], [-10, 8], [10, 24], [-20, 10], [-128, 15], [200, 31]];
  for (const [rel, bucket] of t5Small) assert.equal(relativePositionBucket(rel, true, 32, 128), bucket, `t5-small ${rel}`);
});

// ─── Fixture files ──────────────────────────────────────────────────────────────────────────────────────────────

/** Head-specific names each file must hold or lack (the encoder names are checked through the counts). */
const LAYOUT: Record<string, { count: number; has: string[]; lacks: string[] }> = {
  'bert/base': { count: 39, has: ['embeddings.word_embeddings.weight', 'encoder.layer.1.output.LayerNorm.bias', 'pooler.dense.weight'], lacks: ['bert.embeddings.word_embeddings.weight', 'embeddings.position_ids'] },
  'bert/masked-lm': { count: 42, has: ['bert.embeddings.token_type_embeddings.weight', 'cls.predictions.bias', 'cls.predictions.transform.dense.weight', 'cls.predictions.transform.LayerNorm.weight'], lacks: ['cls.predictions.decoder.weight', 'cls.predictions.decoder.bias', 'bert.pooler.dense.weight'] },
  'bert/sequence-classification': { count: 41, has: ['bert.pooler.dense.weight', 'bert.pooler.dense.bias', 'classifier.weight', 'classifier.bias'], lacks: [] },
  'bert/token-classification': { count: 39, has: ['classifier.weight', 'classifier.bias'], lacks: ['bert.pooler.dense.weight'] },
  'roberta/base': { count: 39, has: ['embeddings.token_type_embeddings.weight', 'pooler.dense.weight'], lacks: [] },
  'roberta/masked-lm': { count: 42, has: ['lm_head.bias', 'lm_head.dense.weight', 'lm_head.layer_norm.weight', 'lm_head.layer_norm.bias'], lacks: ['lm_head.decoder.weight', 'lm_head.decoder.bias', 'roberta.pooler.dense.weight'] },
  'roberta/sequence-classification': { count: 41, has: ['classifier.dense.weight', 'classifier.out_proj.weight', 'classifier.out_proj.bias'], lacks: ['roberta.pooler.dense.weight'] },
  'roberta/token-classification': { count: 39, has: ['classifier.weight'], lacks: ['roberta.pooler.dense.weight'] },
  'distilbert/base': { count: 36, has: ['transformer.layer.0.attention.q_lin.weight', 'transformer.layer.1.sa_layer_norm.weight', 'transformer.layer.1.ffn.lin2.bias'], lacks: ['embeddings.token_type_embeddings.weight'] },
  'distilbert/masked-lm': { count: 41, has: ['vocab_transform.weight', 'vocab_layer_norm.bias', 'vocab_projector.bias'], lacks: ['vocab_projector.weight'] },
  'distilbert/sequence-classification': { count: 40, has: ['pre_classifier.weight', 'classifier.weight'], lacks: [] },
  'distilbert/token-classification': { count: 38, has: ['classifier.weight'], lacks: ['pre_classifier.weight'] },
  'albert/base': { count: 25, has: ['encoder.embedding_hidden_mapping_in.weight', 'encoder.albert_layer_groups.0.albert_layers.0.full_layer_layer_norm.weight', 'pooler.weight'], lacks: ['encoder.albert_layer_groups.1.albert_layers.0.ffn.weight'] },
  'albert/masked-lm': { count: 28, has: ['predictions.bias', 'predictions.dense.weight', 'predictions.LayerNorm.weight'], lacks: ['predictions.decoder.weight', 'predictions.decoder.bias', 'albert.pooler.weight'] },
  'albert/sequence-classification': { count: 27, has: ['albert.pooler.weight', 'albert.pooler.bias', 'classifier.weight'], lacks: [] },
  'albert/token-classification': { count: 25, has: ['classifier.weight'], lacks: ['albert.pooler.weight'] },
  'gpt2/base': { count: 28, has: ['wte.weight', 'h.0.attn.c_attn.weight', 'ln_f.bias'], lacks: ['h.0.attn.bias', 'h.0.attn.masked_bias'] },
  'gpt2/causal-lm': { count: 28, has: ['transformer.wte.weight', 'transformer.h.1.mlp.c_proj.weight'], lacks: ['lm_head.weight'] },
  'gpt2/sequence-classification': { count: 29, has: ['score.weight'], lacks: ['score.bias'] },
  'gpt2/token-classification': { count: 30, has: ['classifier.weight', 'classifier.bias'], lacks: [] },
  't5/base': { count: 47, has: ['shared.weight', 'encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight', 'decoder.block.1.layer.1.EncDecAttention.o.weight', 'decoder.final_layer_norm.weight'], lacks: ['encoder.embed_tokens.weight', 'decoder.embed_tokens.weight', 'encoder.block.1.layer.0.SelfAttention.relative_attention_bias.weight', 'decoder.block.0.layer.1.EncDecAttention.relative_attention_bias.weight'] },
  't5/seq2seq-lm': { count: 47, has: ['encoder.block.1.layer.1.DenseReluDense.wi.weight'], lacks: ['lm_head.weight', 'encoder.block.1.layer.1.DenseReluDense.wi_0.weight'] },
  't5/seq2seq-lm (v1.1)': { count: 52, has: ['lm_head.weight', 'decoder.block.1.layer.2.DenseReluDense.wi_0.weight', 'decoder.block.1.layer.2.DenseReluDense.wi_1.weight'], lacks: ['decoder.block.1.layer.2.DenseReluDense.wi.weight'] },
  't5/base (v1.1)': { count: 51, has: ['shared.weight'], lacks: ['lm_head.weight'] },
};

for (const opts of COMBINATIONS) {
  test(`${label(opts)}: safetensors, config.json and tokenizer.json round-trip with the expected names`, async () => {
    const f = fixture(opts);
    const layout = LAYOUT[label(opts)];
    assert.ok(layout !== undefined, 'layout listed');
    const names = [...f.weights.keys()];
    assert.equal(names.length, layout.count, names.join('\n'));
    for (const n of layout.has) assert.ok(f.weights.has(n), `has ${n}`);
    for (const n of layout.lacks) assert.ok(!f.weights.has(n), `lacks ${n}`);
    const read = await readSafetensors(join(f.dir, 'model.safetensors'));
    assert.deepEqual([...read.keys()].sort(), names.sort());
    for (const [n, t] of f.weights) {
      assert.deepEqual([...get(read, n).shape], t.shape, n);
      assert.deepEqual(get(read, n).data, t.data, n);
    }
    const text = readFileSync(join(f.dir, 'config.json'), 'utf8');
    assert.deepEqual(JSON.parse(text), f.config);
    assert.deepEqual(Object.keys(JSON.parse(text) as object), Object.keys(f.config).sort(), 'keys sorted like json.dumps(sort_keys=True)');
    assert.equal(f.config['model_type'], opts.family);
    assertTokenizerLoads(f, opts.family);
  });
}

function assertTokenizerLoads(f: Fixture, family: Family): void {
  const json: unknown = JSON.parse(readFileSync(join(f.dir, 'tokenizer.json'), 'utf8'));
  const tok = new Tokenizer(json as object, {}) as unknown as { encode(text: string): { ids: number[] } };
  const ids = tok.encode('the dog sat on the mat').ids;
  assert.ok(ids.length >= 6 && ids.every((id) => id >= 0 && id < 64), `${family}: ${ids.join(',')}`);
  const first: Partial<Record<Family, number>> = { bert: 2, distilbert: 2, albert: 2, roberta: 0 };
  if (first[family] !== undefined) assert.equal(ids[0], first[family]);
  if (family === 't5') assert.equal(ids[ids.length - 1], 1, 'T5 appends </s> = 1');
}

test('classification configs carry id2label / label2id; the same seed writes the same weights', () => {
  const a = fixture({ family: 'bert', head: 'token-classification' });
  assert.deepEqual(a.config['id2label'], { 0: 'O', 1: 'B-PER', 2: 'I-PER', 3: 'B-LOC', 4: 'I-LOC' });
  assert.deepEqual(a.config['label2id'], { O: 0, 'B-PER': 1, 'I-PER': 2, 'B-LOC': 3, 'I-LOC': 4 });
  const b = fixture({ family: 'gpt2', head: 'sequence-classification', numLabels: 4 });
  assert.deepEqual(Object.values(b.config['id2label'] as object), ['negative', 'neutral', 'positive', 'LABEL_3']);
  assert.deepEqual(get(b.weights, 'score.weight').shape, [4, 32]);
  const again = fixture({ family: 'bert', head: 'token-classification' });
  assert.deepEqual(get(again.weights, 'bert.encoder.layer.1.output.dense.weight').data, get(a.weights, 'bert.encoder.layer.1.output.dense.weight').data);
  const other = fixture({ family: 'bert', head: 'token-classification', seed: 2 });
  assert.notDeepEqual(get(other.weights, 'classifier.weight').data, get(a.weights, 'classifier.weight').data);
  assert.throws(() => fixture({ family: 't5', head: 'masked-lm' }), /t5 has no masked-lm head/);
  assert.throws(() => fixture({ family: 'bert', head: 'base', variant: 'v1.1' }), /unknown variant/);
});

// ─── Reference outputs ──────────────────────────────────────────────────────────────────────────────────────────

function expectedLogitShape(family: Family, head: Head, t: number): string {
  switch (head) {
    case 'base':
      return 'null';
    case 'sequence-classification':
      return '3';
    case 'token-classification':
      return `${t}x5`;
    default:
      return `${family === 't5' ? 4 : t}x64`;
  }
}

function shapeOf(logits: ReferenceOutput['logits']): string {
  if (logits === null) return 'null';
  const first = logits[0];
  return Array.isArray(first) ? `${logits.length}x${first.length}` : `${logits.length}`;
}

function assertAttentionRows(att: number[][][][], layers: number, heads: number, tq: number, tk: number, causal: boolean, what: string): void {
  assert.equal(att.length, layers, `${what} layers`);
  for (const layer of att) {
    assert.equal(layer.length, heads, `${what} heads`);
    for (const head of layer) {
      assert.equal(head.length, tq);
      head.forEach((row, i) => {
        assert.equal(row.length, tk);
        close(row.reduce((s, v) => s + v, 0), 1, 1e-12, `${what} row sum`);
        row.forEach((p, j) => {
          if (causal && j > i) assert.equal(p, 0, `${what}: query ${i} sees future key ${j}`);
          else assert.ok(p > 0, `${what}: p[${i}][${j}] = ${p}`);
        });
      });
    }
  }
}

for (const opts of COMBINATIONS) {
  test(`${label(opts)}: output shapes, attention rows sum to 1, causal masks`, () => {
    const f = fixture(opts);
    const out = run(f, opts.family);
    const { ids, decoderIds } = exampleInput(opts.family);
    const t = decoderIds?.length ?? ids.length;
    assert.equal(out.hidden.length, t);
    assert.equal(out.hidden[0]?.length, opts.family === 't5' ? 16 : 32);
    assert.equal(shapeOf(out.logits), expectedLogitShape(opts.family, opts.head, t));
    assert.ok(flatten(out).every(Number.isFinite));
    if (opts.family !== 't5') {
      assertAttentionRows(out.attentions, 2, 4, t, t, opts.family === 'gpt2', 'self');
      return;
    }
    assert.equal(out.encoder_hidden?.length, ids.length);
    assert.deepEqual(out.decoder_attentions, out.attentions);
    assertAttentionRows(out.encoder_attentions ?? [], 2, 2, ids.length, ids.length, false, 'encoder');
    assertAttentionRows(out.attentions, 2, 2, t, t, true, 'decoder');
    assertAttentionRows(out.cross_attentions ?? [], 2, 2, t, ids.length, false, 'cross');
  });
}

/** Saved tensors no contract output depends on: a base model's pooler (pooler_output is not reported). */
const UNUSED: Partial<Record<string, string[]>> = {
  'bert/base': ['pooler.dense.weight', 'pooler.dense.bias'],
  'roberta/base': ['pooler.dense.weight', 'pooler.dense.bias'],
  'albert/base': ['pooler.weight', 'pooler.bias'],
};
/** Key projection biases add q·b_k, the same to every score of a query row, which softmax cancels: dead in HF too. */
const KEY_BIAS = /(attention\.self\.key|attention\.k_lin|attention\.key)\.bias$/;

for (const opts of COMBINATIONS) {
  test(`${label(opts)}: every saved tensor changes the outputs by ≫ 1e-4 (none is ignored or dead)`, () => {
    const f = fixture(opts);
    const base = flatten(run(f, opts.family));
    let k = 0;
    for (const [name, t] of f.weights) {
      const data = t.data.map((v, i) => v + 0.05 * Math.sin(17 * i + ++k));
      const out = flatten(run(f, opts.family, new Map(f.weights).set(name, { shape: t.shape, data })));
      const diff = maxAbsDiff(out, base);
      if (UNUSED[label(opts)]?.includes(name)) assert.equal(diff, 0, name);
      else if (KEY_BIAS.test(name)) assert.ok(diff < 1e-12, `${name} (softmax-invariant) moved the outputs by ${diff}`);
      else assert.ok(diff > 1e-3, `${name}: perturbing it moved the outputs by only ${diff}`);
    }
  });
}

// ─── Family specifics ───────────────────────────────────────────────────────────────────────────────────────────

test('BERT: a 1-layer model computed a second way (explicit loops over the flat float32 tensors) agrees to 1e-12', () => {
  const f = fixture({ family: 'bert', head: 'base' });
  const config = { ...f.config, num_hidden_layers: 1 };
  const ids = [2, 9, 40, 17, 3];
  const ref = referenceForward(config, f.weights, ids).hidden;
  const naive = naiveBertOneLayer((n) => get(f.weights, n).data, ids, 32, 4, 64, 1e-12);
  assert.ok(maxAbsDiff(ref.flat(), naive.flat()) < 1e-12);
});

/** Textbook BERT layer: x = LN(E_word + E_pos + E_type0); a = LN(x + O·MHA(x)); y = LN(a + W2·gelu(W1·a)). */
function naiveBertOneLayer(w: (name: string) => Float32Array, ids: number[], h: number, heads: number, inter: number, eps: number): number[][] {
  const at = (a: ArrayLike<number>, i: number): number => a[i] ?? NaN;
  const ln = (x: number[][], g: string): number[][] => x.map((r) => {
    let mean = 0;
    for (const v of r) mean += v / r.length;
    let variance = 0;
    for (const v of r) variance += (v - mean) ** 2 / r.length;
    return r.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * at(w(`${g}.weight`), i) + at(w(`${g}.bias`), i));
  });
  const dense = (x: number[][], n: string, out: number): number[][] => x.map((r) => Array.from({ length: out }, (_, o) => {
    let s = at(w(`${n}.bias`), o);
    r.forEach((v, i) => (s += v * at(w(`${n}.weight`), o * r.length + i)));
    return s;
  }));
  const x = ln(ids.map((id, t) => Array.from({ length: h }, (_, i) =>
    at(w('embeddings.word_embeddings.weight'), id * h + i) + at(w('embeddings.position_embeddings.weight'), t * h + i) + at(w('embeddings.token_type_embeddings.weight'), i))), 'embeddings.LayerNorm');
  const L = 'encoder.layer.0.';
  const [q, k, v] = ['query', 'key', 'value'].map((n) => dense(x, `${L}attention.self.${n}`, h)) as [number[][], number[][], number[][]];
  const d = h / heads;
  const ctx = x.map((_, i) => Array.from({ length: h }, (_, c) => {
    const head = Math.floor(c / d);
    const scores = k.map((kj) => { let s = 0; for (let e = head * d; e < (head + 1) * d; e++) s += at(q[i] ?? [], e) * at(kj, e); return s / Math.sqrt(d); });
    const m = Math.max(...scores);
    const z = scores.reduce((s, sc) => s + Math.exp(sc - m), 0);
    return scores.reduce((s, sc, j) => s + (Math.exp(sc - m) / z) * at(v[j] ?? [], c), 0);
  }));
  const a = ln(dense(ctx, `${L}attention.output.dense`, h).map((r, i) => r.map((val, c) => val + at(x[i] ?? [], c))), `${L}attention.output.LayerNorm`);
  const mid = dense(a, `${L}intermediate.dense`, inter).map((r) => r.map((z) => 0.5 * z * (1 + erf(z / Math.SQRT2))));
  return ln(dense(mid, `${L}output.dense`, h).map((r, i) => r.map((val, c) => val + at(a[i] ?? [], c))), `${L}output.LayerNorm`);
}

test('ALBERT: the shared layer applied twice to the projected embeddings gives the model output', () => {
  const f = fixture({ family: 'albert', head: 'base' });
  const { ids } = exampleInput('albert');
  const c = albertConfig(f.config);
  const emb = bertEmbeddings(f.weights, '', ids, ids.map((_, i) => i), c.eps);
  const x0 = linear(emb, get(f.weights, 'encoder.embedding_hidden_mapping_in.weight'), get(f.weights, 'encoder.embedding_hidden_mapping_in.bias'));
  const layer = 'encoder.albert_layer_groups.0.albert_layers.0.';
  const once = albertLayer(f.weights, layer, x0, c);
  const twice = albertLayer(f.weights, layer, once.hidden, c);
  const out = run(f, 'albert');
  assert.ok(maxAbsDiff(out.hidden.flat(), twice.hidden.flatMap((r) => Array.from(r))) < 1e-15);
  assert.deepEqual(out.attentions, [once.probs, twice.probs]);
});

test('GPT-2: LM logits are ln_f(h)·wteᵀ (tied, no bias); sequence classification scores the last token', () => {
  const lm = fixture({ family: 'gpt2', head: 'causal-lm' });
  const out = run(lm, 'gpt2');
  const wte = get(lm.weights, 'transformer.wte.weight');
  const expected = linear(out.hidden.map((r) => Float64Array.from(r)), wte);
  assert.ok(maxAbsDiff((out.logits as number[][]).flat(), expected.flatMap((r) => Array.from(r))) < 1e-12);
  const cls = fixture({ family: 'gpt2', head: 'sequence-classification' });
  const c = run(cls, 'gpt2');
  const last = c.hidden[c.hidden.length - 1] ?? [];
  const scored = linear([Float64Array.from(last)], get(cls.weights, 'score.weight'))[0] ?? [];
  assert.deepEqual(c.logits, Array.from(scored));
  const withPad = run(cls, 'gpt2', cls.weights, { ...cls.config, pad_token_id: 62 }); // ids [5, 17, 40, 9, 62, 23]
  assert.deepEqual(withPad.logits, c.logits, 'the last token (23) is not pad, so it is still pooled');
});

test('T5: tied head rescales by d_model^-0.5 onto shared.weight; v1.1 uses lm_head.weight unscaled', () => {
  const tied = fixture({ family: 't5', head: 'seq2seq-lm' });
  const out = run(tied, 't5');
  const expected = linear(out.hidden.map((r) => Float64Array.from(r, (v) => v / 4)), get(tied.weights, 'shared.weight'));
  assert.ok(maxAbsDiff((out.logits as number[][]).flat(), expected.flatMap((r) => Array.from(r))) < 1e-12);
  const untied = fixture({ family: 't5', head: 'seq2seq-lm', variant: 'v1.1' });
  assert.equal(untied.config['tie_word_embeddings'], false);
  assert.equal(untied.config['feed_forward_proj'], 'gated-gelu');
  const o = run(untied, 't5');
  const viaHead = linear(o.hidden.map((r) => Float64Array.from(r)), get(untied.weights, 'lm_head.weight'));
  assert.ok(maxAbsDiff((o.logits as number[][]).flat(), viaHead.flatMap((r) => Array.from(r))) < 1e-12);
});

test('"tiny-embeddings" makes a wrong LayerNorm eps obvious (1e-12 vs 1e-5: ~0.8 apart instead of ~2e-4)', () => {
  const eps = (f: Fixture): number => maxAbsDiff(flatten(run(f, 'bert')), flatten(run(f, 'bert', f.weights, { ...f.config, layer_norm_eps: 1e-5 })));
  assert.ok(eps(fixture({ family: 'bert', head: 'masked-lm', variant: 'tiny-embeddings' })) > 0.1);
  assert.ok(eps(fixture({ family: 'bert', head: 'masked-lm' })) < 1e-3);
  const distil = fixture({ family: 'distilbert', head: 'base', variant: 'tiny-embeddings' });
  assert.deepEqual(run(distil, 'distilbert', distil.weights, { ...distil.config, layer_norm_eps: 1e-5 }), run(distil, 'distilbert'), 'DistilBERT hard-codes eps=1e-12');
});

for (const family of ['bert', 'roberta', 'distilbert', 'albert', 'gpt2', 't5'] as const) {
  test(`${family}: "omit-defaults" drops default keys and the reference falls back to the same values`, () => {
    const head: Head = family === 't5' ? 'seq2seq-lm' : family === 'gpt2' ? 'causal-lm' : 'masked-lm';
    for (const variant of family === 't5' ? ['v1.0', 'v1.1'] : ['']) {
      const full = fixture({ family, head, variant });
      const sparse = fixture({ family, head, variant: `${variant},omit-defaults` });
      assert.ok(Object.keys(sparse.config).length < Object.keys(full.config).length);
      const dropped = { bert: 'layer_norm_eps', roberta: 'hidden_act', distilbert: 'activation', albert: 'hidden_act', gpt2: 'activation_function', t5: 'dense_act_fn' }[family];
      assert.ok(!(dropped in sparse.config), `${dropped} dropped`);
      assert.deepEqual(run(sparse, family), run(full, family));
    }
  });
}

test('compareOutputs accepts the reference after a JSON round trip and pinpoints a 2e-4 error or a missing field', () => {
  const f = fixture({ family: 't5', head: 'seq2seq-lm' });
  const expected = run(f, 't5');
  const json = JSON.parse(JSON.stringify(expected)) as Record<string, unknown>;
  const same = compareOutputs(json, expected);
  assert.ok(same.ok, same.problems.join('\n'));
  assert.equal(same.maxDiff['cross_attentions'], 0);
  const logits = json['logits'] as number[][];
  (logits[2] as number[])[5] = ((logits[2] as number[])[5] ?? 0) + 2e-4;
  const off = compareOutputs(json, expected);
  assert.equal(off.ok, false);
  assert.match(off.problems[0] ?? '', /^logits\[2\]\[5\]: /);
  delete json['encoder_hidden'];
  assert.match(compareOutputs(json, expected).problems.join('\n'), /encoder_hidden: expected length 6, got undefined/);
});
