// The fine-tune gesture as a user makes it (Explorer context menu, then the wizard's four quick
// picks) and the Training panel it opens: reading the header, waiting for the run to end.
import assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { EXTENSION_READY_TIMEOUT_MS, TRAINING_TIMEOUT_MS } from './constants';
import type { Workbench } from './workbench';

export const FINE_TUNE_TITLE = 'Fine-tune on this dataset…';
const TERMINAL_STATES = ['completed', 'failed', 'cancelled', 'interrupted'] as const;

export interface WizardChoices {
  readonly dataset: string;
  readonly textColumn: string;
  readonly labelColumn: string;
  readonly model: string;
  readonly epochs: number;
}

/** The placeholder each wizard step showed, for assertions on what it told the user. */
export interface WizardTranscript {
  readonly textStep: string;
  readonly labelStep: string;
  readonly modelStep: string;
  readonly epochsStep: string;
}

/**
 * Opens the dataset in the editor (the Training panel opens beside it), waits until the
 * extension's menus are registered (its button in the editor title bar), then right-clicks the
 * file in the Explorer and walks the wizard.
 */
export async function fineTuneFromExplorer(wb: Workbench, choices: WizardChoices): Promise<WizardTranscript> {
  await wb.openFromExplorer(choices.dataset);
  await wb.editorAction(FINE_TUNE_TITLE).waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS });
  await wb.explorerContextCommand(choices.dataset, FINE_TUNE_TITLE);
  const textStep = await wb.pickQuickItem(`Text column of ${choices.dataset}`, choices.textColumn);
  const labelStep = await wb.pickQuickItem(`Label column of ${choices.dataset}`, choices.labelColumn);
  const modelStep = await wb.pickQuickItem('Base model', choices.model);
  const epochsStep = await wb.pickQuickItem('Passes over the training split', `${choices.epochs} epoch${choices.epochs === 1 ? '' : 's'}`);
  return { textStep, labelStep, modelStep, epochsStep };
}

/** The Training panel of `dataset`'s run. */
export function trainingPanel(wb: Workbench, dataset: string): Promise<FrameLocator> {
  return wb.webview(`Training: ${dataset}`);
}

/** Waits until the panel's state badge shows a terminal state; fails unless it is "completed". */
export async function waitForCompletedRun(panel: FrameLocator, timeoutMs = TRAINING_TIMEOUT_MS): Promise<void> {
  const badge = panel.locator(TERMINAL_STATES.map((s) => `.state-badge.state-${s}`).join(', '));
  await badge.waitFor({ timeout: timeoutMs });
  const state = ((await badge.textContent()) ?? '').trim();
  const errorBox = panel.locator('.error-box:not([hidden])');
  const problem = (await errorBox.count()) > 0 ? ((await errorBox.textContent()) ?? '') : '';
  assert.equal(state, 'completed', `the run ended "${state}" ${problem}`);
}

/** The value of a "label value" pair in the panel's header (Model, Backend, Step, Epoch). */
export async function headerValue(panel: FrameLocator, label: string): Promise<string> {
  const item = panel.locator('.meta-item', { has: panel.locator('.meta-label', { hasText: label }) });
  return ((await item.locator('.meta-value').textContent()) ?? '').trim();
}

/** How many values the chart (`loss` or `accuracy`) draws, from its `data-points` attribute. */
export async function chartPoints(panel: FrameLocator, chart: 'loss' | 'accuracy'): Promise<number> {
  return Number(await panel.locator(`.chart[data-chart="${chart}"]`).getAttribute('data-points'));
}
