/** The probe-loss alert: levels at the documented thresholds, messages with the numbers, follow-up patches. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PROBE_LOSS_THRESHOLDS, probeLossAlert, resolveProbeLossThresholds, signed, type AlertContext } from '../../../server/diagnostics/alerts';

const MITIGATIONS = { layerwiseLrDecay: 1, l2sp: 0, rehearsal: 0 };
const FULL: AlertContext = { config: { learningRate: 5e-5, strategy: 'full', mitigations: MITIGATIONS }, numLayers: 12 };

test('a 16% rise is an alert naming the numbers, with four follow-up runs as config patches', () => {
  const a = probeLossAlert(3.12, 3.61, FULL);
  assert.equal(a.level, 'alert');
  assert.match(a.message, /^Probe loss rose from 3\.12 to 3\.61 \(\+16%, \+0\.49 nats\), past the alert limit of \+0\.31 nats/);
  assert.deepEqual(a.suggestions, [
    { label: 'Re-run with LoRA', configPatch: { strategy: 'lora' } },
    { label: 'Re-run with half the learning rate (2.5e-5)', configPatch: { learningRate: 2.5e-5 } },
    { label: 'Re-run freezing the bottom 6 layers', configPatch: { strategy: 'freeze:6' } },
    { label: 'Re-run with L2-SP (strength 0.01)', configPatch: { mitigations: { layerwiseLrDecay: 1, l2sp: 0.01, rehearsal: 0 } } },
  ]);
});

test('defaults: the limit is max(10% of the base, 0.2 nats); past half of it is a warning', () => {
  assert.deepEqual({ ...DEFAULT_PROBE_LOSS_THRESHOLDS }, { relativeRise: 0.1, absoluteRise: 0.2, warningFraction: 0.5 });
  assert.equal(probeLossAlert(3.12, 3.35, FULL).level, 'warning'); // +0.23 > 0.156
  assert.match(probeLossAlert(3.12, 3.35, FULL).message, /approaching the alert limit of \+0\.31 nats/);
  assert.equal(probeLossAlert(3.12, 3.2, FULL).level, 'ok'); // +0.08
  assert.equal(probeLossAlert(0.5, 0.62, FULL).level, 'warning'); // +24% but only +0.12 nats: the 0.2 floor holds
  assert.equal(probeLossAlert(0.5, 0.75, FULL).level, 'alert');
});

test('ok messages say whether the loss rose, fell or stayed; no suggestions', () => {
  assert.deepEqual(probeLossAlert(3.12, 3.15, FULL), { level: 'ok', message: 'Probe loss rose from 3.12 to 3.15 (+1%, +0.03 nats): no sign of forgetting.', suggestions: [] });
  assert.match(probeLossAlert(3.12, 3.0, FULL).message, /^Probe loss fell from 3\.12 to 3\.00 \(-4%, -0\.12 nats\)/);
  assert.match(probeLossAlert(3.12, 3.12, FULL).message, /^Probe loss stayed at 3\.12/);
});

test('both thresholds are configurable; 0 switches one off', () => {
  const absoluteOnly = resolveProbeLossThresholds({ relativeRise: 0, absoluteRise: 0.1 });
  assert.equal(probeLossAlert(3.12, 3.25, FULL, absoluteOnly).level, 'alert');
  const relativeOnly = resolveProbeLossThresholds({ absoluteRise: 0, relativeRise: 0.05 });
  assert.equal(probeLossAlert(0.5, 0.53, FULL, relativeOnly).level, 'alert');
  assert.throws(() => resolveProbeLossThresholds({ relativeRise: -1 }), /relativeRise must be a number in \[0, 10\], got -1/);
  assert.throws(() => resolveProbeLossThresholds({ warningFraction: 2 }), /warningFraction/);
});

test('a diverged run (NaN loss) is an alert', () => {
  const a = probeLossAlert(3.12, Number.NaN, FULL);
  assert.equal(a.level, 'alert');
  assert.match(a.message, /NaN .*diverged/);
  assert.throws(() => probeLossAlert(Number.NaN, 3, FULL), /base probe loss/);
});

test('suggestions leave out what the run already does', () => {
  const lora = probeLossAlert(3, 4, { config: { ...FULL.config, strategy: 'lora', learningRate: 1e-3 }, numLayers: 12 });
  assert.deepEqual(lora.suggestions.map((s) => s.label), ['Re-run with half the learning rate (5e-4)']);
  const frozen = probeLossAlert(3, 4, { config: { ...FULL.config, strategy: 'freeze:8', mitigations: { ...MITIGATIONS, l2sp: 0.1 } }, numLayers: 12 });
  assert.deepEqual(frozen.suggestions.map((s) => s.configPatch), [{ strategy: 'lora' }, { learningRate: 2.5e-5 }]);
  const shallow = probeLossAlert(3, 4, { ...FULL, numLayers: 1 });
  assert.ok(!shallow.suggestions.some((s) => s.label.includes('freezing')));
  const someFrozen = probeLossAlert(3, 4, { config: { ...FULL.config, strategy: 'freeze:2' }, numLayers: 12 });
  assert.ok(someFrozen.suggestions.some((s) => s.configPatch.strategy === 'freeze:6'));
});

test('a change that rounds to zero is printed without a sign (no "-0%")', () => {
  assert.equal(signed(-0.004, 0), '0');
  assert.equal(signed(-0.001, 2), '0.00');
  assert.equal(signed(0, 2), '0.00');
  assert.equal(signed(2.4, 0), '+2');
  assert.equal(signed(-0.126, 2), '-0.13');
});
