// The wizard's pure rules: the strategy recommended from the dataset size, task and model; the max
// length suggested from token lengths; the steps each task asks and the configuration a draft makes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DatasetSummary, TokenLengthStats } from '../../server/protocol';
import { datasetLensTitle, formatDistribution } from '../../extension/wizard/distribution';
import { resolveFineTuneConfig } from '../../server/finetune/fineTuneConfig';
import { defaultPresetFor, draftToConfig, effectiveSettings, familySuitsTask, initialDraft, recommendTask, stepsFor, WIZARD_TASKS, type Draft, type Settings } from '../../extension/wizard/draftConfig';
import { describeLengths, suggestMaxLength, truncatedShare } from '../../extension/wizard/maxLengthAdvice';
import { recommendStrategy, strategyOptions } from '../../extension/wizard/strategyAdvice';

describe('strategy recommendation', () => {
  const pretrained = { task: 'sequence-classification' as const, freshModel: false };
  it('frozen features for a few hundred rows, LoRA for thousands, full for many thousands', () => {
    assert.equal(recommendStrategy({ ...pretrained, rows: 300 }), 'features');
    assert.equal(recommendStrategy({ ...pretrained, rows: 1000 }), 'features');
    assert.equal(recommendStrategy({ ...pretrained, rows: 5574 }), 'lora');
    assert.equal(recommendStrategy({ ...pretrained, rows: 10_000 }), 'full');
    assert.equal(recommendStrategy({ ...pretrained, rows: 67_349 }), 'full');
  });
  it('LoRA instead of features where features does not apply, and full for a fresh model', () => {
    assert.equal(recommendStrategy({ task: 'token-classification', freshModel: false, rows: 300 }), 'lora');
    assert.equal(recommendStrategy({ task: 'sequence-classification', freshModel: true, rows: 300 }), 'full');
  });
  it('lists the recommended strategy first, with a rationale each, and no features outside classification', () => {
    const options = strategyOptions({ ...pretrained, rows: 5574, layers: 6 });
    assert.equal(options[0]?.value, 'lora');
    assert.equal(options[0]?.recommended, true);
    assert.match(options[0]?.note ?? '', /5,574 rows/);
    assert.equal(options.filter((o) => o.recommended).length, 1);
    assert.ok(options.every((o) => o.rationale.length > 20));
    assert.ok(options.some((o) => o.value === 'freeze:3'), 'freeze:N freezes the bottom half');
    assert.deepEqual(new Set(options.map((o) => o.kind)), new Set(['features', 'lora', 'freeze', 'gradual', 'lp-ft', 'full']));
    const tagging = strategyOptions({ task: 'token-classification', freshModel: false, rows: 300, layers: null });
    assert.ok(!tagging.some((o) => o.kind === 'features'));
    assert.ok(tagging.some((o) => o.value === 'freeze:1'));
  });
  it('says why frozen strategies help little on a fresh model', () => {
    const options = strategyOptions({ task: 'sequence-classification', freshModel: true, rows: 300, layers: 2 });
    assert.equal(options[0]?.value, 'full');
    assert.match(options.find((o) => o.kind === 'lora')?.note ?? '', /fresh model/);
  });
});

describe('max-length suggestion', () => {
  it('rounds the 95th percentile up to a multiple of 16, capped by the model', () => {
    assert.equal(suggestMaxLength(50, 512), 64);
    assert.equal(suggestMaxLength(64, 512), 64);
    assert.equal(suggestMaxLength(65, 512), 80);
    assert.equal(suggestMaxLength(3, 512), 16);
    assert.equal(suggestMaxLength(900, 512), 512);
    assert.equal(suggestMaxLength(900, 4096), 912);
  });
  it('describes the lengths and how many texts a limit cuts', () => {
    const s: TokenLengthStats = { sampled: 2000, rows: 5574, mean: 24.9, p50: 20, p90: 45, p95: 50, p99: 80, max: 233 };
    assert.equal(truncatedShare(s, 64), '1–5% truncated');
    assert.equal(truncatedShare(s, 256), 'none truncated');
    assert.equal(truncatedShare(s, 16), 'most truncated');
    assert.equal(describeLengths(s, 512), '95% of 2,000 sampled texts ≤ 50 tokens (longest 233); model max 512');
  });
});

describe('draft → run configuration', () => {
  const draft = (over: Partial<Draft>): Draft => ({
    dataset: '/d/train.csv', task: 'classify', textColumn: 'text', textPairColumn: 'other', labelColumn: 'label', targetColumn: 'label',
    model: 'tiny', strategy: 'full', settings: {}, ...over,
  });
  it('sends only the columns of the task and the settings that were set', () => {
    assert.deepEqual(draftToConfig(draft({ settings: { epochs: 2, maxLength: 64 } })), {
      dataset: '/d/train.csv', task: 'sequence-classification', textColumn: 'text', labelColumn: 'label', model: 'tiny', strategy: 'full', epochs: 2, maxLength: 64,
    });
    assert.equal(draftToConfig(draft({ task: 'pairs' })).textPairColumn, 'other');
    assert.deepEqual(draftToConfig(draft({ task: 'tokens' })), { dataset: '/d/train.csv', task: 'token-classification', model: 'tiny', strategy: 'full' });
    const t5 = draftToConfig(draft({ task: 'text-to-text', targetColumn: 'target' }));
    assert.equal(t5.targetColumn, 'target');
    assert.equal(t5.labelColumn, undefined);
    assert.deepEqual(Object.keys(draftToConfig(draft({ task: 'causal' }))).sort(), ['dataset', 'model', 'strategy', 'task', 'textColumn']);
  });
  it('asks the steps each task needs', () => {
    assert.deepEqual(stepsFor('classify'), ['task', 'text', 'label', 'model', 'strategy', 'settings']);
    assert.deepEqual(stepsFor('pairs'), ['task', 'text', 'pair', 'label', 'model', 'strategy', 'settings']);
    assert.deepEqual(stepsFor('tokens'), ['task', 'model', 'strategy', 'settings']);
    assert.ok(stepsFor('text-to-text').includes('target'));
  });
  it('recommends a task from the columns', () => {
    const col = (name: string, kind: 'text' | 'label') => ({ name, kind, distinct: 2, meanLength: 10 });
    const summary = (labels: number, columns: ReturnType<typeof col>[]): DatasetSummary => ({
      path: '/d/x.csv', format: 'csv', rows: 10, columns, textColumn: 'a', labelColumn: labels > 0 ? 'l' : '',
      labels: Array.from({ length: labels }, (_, i) => ({ label: `l${i}`, count: 5 })),
    });
    assert.equal(recommendTask(null), 'tokens');
    assert.equal(recommendTask(summary(2, [col('a', 'text'), col('l', 'label')])), 'classify');
    assert.equal(recommendTask(summary(0, [col('a', 'text'), col('b', 'text')])), 'text-to-text');
    assert.equal(recommendTask(summary(0, [col('a', 'text')])), 'causal');
  });
});

describe('distribution and CodeLens text', () => {
  it('names the most frequent labels with their shares', () => {
    assert.equal(formatDistribution([{ label: 'ham', count: 87 }, { label: 'spam', count: 13 }]), 'ham 87% · spam 13%');
    const many = ['a', 'b', 'c', 'd', 'e', 'f'].map((label) => ({ label, count: 1 }));
    assert.equal(formatDistribution(many), 'a 17% · b 17% · c 17% · d 17% · +2 more');
  });
  it('makes the dataset lens line', () => {
    const columns = [{ name: 'text', kind: 'text' as const, distinct: 60, meanLength: 20 }, { name: 'label', kind: 'label' as const, distinct: 2, meanLength: 8 }];
    assert.equal(datasetLensTitle({ rows: 5574, labels: [{ label: 'ham', count: 4827 }, { label: 'spam', count: 747 }], columns }), '5,574 rows · labels: ham 87% · spam 13% · Fine-tune…');
    assert.equal(datasetLensTitle({ rows: 1, labels: [], columns }), '1 row · 2 columns · Fine-tune…');
  });
});

describe('first draft and model choices', () => {
  const col = (name: string, kind: 'text' | 'label') => ({ name, kind, distinct: 2, meanLength: 10 });
  it('starts from the detected columns, the recommended task and its preset', () => {
    const summary: DatasetSummary = {
      path: '/d/t5.csv', format: 'csv', rows: 40, columns: [col('input', 'text'), col('target', 'text')], textColumn: 'input', labelColumn: '', labels: [],
    };
    const d = initialDraft('/d/t5.csv', summary, 'full');
    assert.equal(d.task, 'text-to-text');
    assert.equal(d.textColumn, 'input');
    assert.equal(d.targetColumn, 'target');
    assert.equal(d.model, 't5-tiny');
    assert.equal(initialDraft('/d/ner.jsonl', null, 'full').model, 'tiny');
    assert.equal(initialDraft('/d/ner.jsonl', null, 'full', '/m/bert').model, '/m/bert');
  });
  it('offers model folders whose family has the task’s head', () => {
    assert.ok(familySuitsTask('gpt2', 'causal') && !familySuitsTask('bert', 'causal'));
    assert.ok(familySuitsTask('t5', 'text-to-text') && !familySuitsTask('t5', 'classify'));
    assert.ok(familySuitsTask('roberta', 'tokens'));
    assert.equal(defaultPresetFor('causal').name, 'gpt2-tiny');
  });
});

describe('effective settings', () => {
  const d = (strategy: string, settings: Settings): Draft => ({ ...initialDraft('/d/a.csv', null, strategy), settings });
  it('takes what the user set over the suggestion and the epochs setting', () => {
    assert.deepEqual(effectiveSettings(d('full', {}), 64, 3), { epochs: 3, maxLength: 64 });
    assert.deepEqual(effectiveSettings(d('full', { epochs: 5, maxLength: 128 }), 64, 3), { epochs: 5, maxLength: 128 });
    assert.deepEqual(effectiveSettings(d('features', {}), null, 3), {}, 'features keeps the server’s many cheap epochs');
    assert.deepEqual(effectiveSettings(d('lora', { learningRate: 1e-3 }), null, 2), { epochs: 2, learningRate: 1e-3 });
  });
});

describe('every wizard task makes a configuration the server accepts', () => {
  const col = (name: string, kind: 'text' | 'label') => ({ name, kind, distinct: 2, meanLength: 10 });
  const summary: DatasetSummary = {
    path: '/d/pairs.csv', format: 'csv', rows: 400, columns: [col('premise', 'text'), col('hypothesis', 'text'), col('label', 'label')],
    textColumn: 'premise', labelColumn: 'label', labels: [{ label: 'yes', count: 200 }, { label: 'no', count: 200 }],
  };
  for (const info of WIZARD_TASKS) {
    it(`${info.value}, with its preset and recommended strategy`, () => {
      const draft: Draft = { ...initialDraft('/d/pairs.csv', summary, 'full'), task: info.value, targetColumn: 'hypothesis' };
      draft.model = defaultPresetFor(info.value).name;
      draft.strategy = recommendStrategy({ rows: 400, task: info.task, freshModel: true });
      const resolved = resolveFineTuneConfig(draftToConfig({ ...draft, settings: effectiveSettings(draft, 64, 3) }), '/d');
      assert.equal(resolved.task, info.task);
      assert.equal(resolved.maxLength, 64);
      const strategy = recommendStrategy({ rows: 400, task: info.task, freshModel: false });
      assert.doesNotThrow(() => resolveFineTuneConfig(draftToConfig({ ...draft, model: '/m/model', strategy }), '/d'), `${info.value} with ${strategy} on a pretrained model`);
    });
  }
});
