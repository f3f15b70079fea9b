// The fine-tune gesture as a user makes it (Explorer context menu, then the wizard's quick picks:
// task, text column, label column, base model, strategy, settings) and the Training panel it
// opens: reading the header, waiting for the run to end.
import assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { EXTENSION_READY_TIMEOUT_MS, TRAINING_TIMEOUT_MS, UI_TIMEOUT_MS } from './constants';
import type { Workbench } from './workbench';

export const FINE_TUNE_TITLE = 'Fine-tune on this dataset…';
const TERMINAL_STATES = ['completed', 'failed', 'cancelled', 'interrupted'] as const;

export interface WizardChoices {
  readonly dataset: string;
  readonly textColumn: string;
  readonly labelColumn: string;
  readonly model: string;
  readonly epochs: number;
  /** Called with a file name while the strategy and the settings steps are on screen (screenshots). */
  readonly capture?: (file: string) => Promise<unknown>;
}

/** A screenshot of the step on screen, with the pointer off the list (no hover over the rows). */
async function capture(wb: Workbench, choices: WizardChoices, file: string): Promise<void> {
  if (choices.capture === undefined) return;
  await wb.page.mouse.move(0, 0);
  await choices.capture(file);
}

/** The placeholder each wizard step showed, and the settings rows, for assertions on what it told the user. */
export interface WizardTranscript {
  readonly taskStep: string;
  readonly textStep: string;
  readonly labelStep: string;
  readonly modelStep: string;
  readonly strategyStep: string;
  /** The strategy rows as the list names them ("full, recommended · …"), recommended first. */
  readonly strategies: readonly string[];
  readonly settingsStep: string;
  /** The settings rows ("Max length: 16 tokens, suggested: …"). */
  readonly settings: readonly string[];
}

/** The accessible names of the rows of the quick pick on screen. */
export async function quickRows(wb: Workbench): Promise<string[]> {
  const rows = wb.quickInput.getByRole('option');
  await rows.first().waitFor({ timeout: UI_TIMEOUT_MS });
  return (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''))).map((t) => t.trim());
}

/**
 * Waits for a quick pick whose placeholder contains `placeholder` and clicks the row whose
 * accessible name matches `name` (a codicon in a label reads as its name: "play Start fine-tuning").
 * Returns the placeholder; waits until this step has gone (the next may reuse the widget).
 */
export async function pickQuickRow(wb: Workbench, placeholder: string, name: RegExp): Promise<string> {
  const input = wb.quickInput.locator(`.quick-input-box input[placeholder*="${placeholder.replace(/["\\]/g, '\\$&')}"]`);
  await input.waitFor({ timeout: UI_TIMEOUT_MS });
  const shown = (await input.getAttribute('placeholder')) ?? '';
  await clickRow(wb, name);
  await input.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  return shown;
}

/**
 * Clicks a quick-pick row near its left end (its label): a long description shows a hover when
 * the pointer rests on it, and that hover would take the click. The pointer leaves the list first.
 */
async function clickRow(wb: Workbench, name: RegExp): Promise<void> {
  await wb.page.mouse.move(0, 0);
  await wb.quickInput.getByRole('option', { name }).first().click({ position: { x: 24, y: 8 }, timeout: UI_TIMEOUT_MS });
}

/** Presses a title-bar button of the quick pick on screen by its tooltip ("Edit as JSON…"). */
export async function pressQuickButton(wb: Workbench, tooltip: string): Promise<void> {
  const button = wb.quickInput.locator(`.quick-input-titlebar .action-label[aria-label^="${tooltip.replace(/["\\]/g, '\\$&')}"]`);
  await button.first().click({ timeout: UI_TIMEOUT_MS });
  await wb.quickInput.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
}

/** Walks the wizard from its first step (already opening), taking the recommended strategy and `epochs`. */
export async function walkWizard(wb: Workbench, choices: WizardChoices): Promise<WizardTranscript> {
  const taskStep = await pickQuickRow(wb, `Task for ${choices.dataset}`, /^Classify each text,/);
  const textStep = await wb.pickQuickItem(`Text column of ${choices.dataset}`, choices.textColumn);
  const labelStep = await wb.pickQuickItem(`Label column of ${choices.dataset}`, choices.labelColumn);
  const modelStep = await wb.pickQuickItem('Base model', choices.model);
  await wb.quickInput.locator('.quick-input-box input[placeholder*="Strategy for"]').waitFor({ timeout: UI_TIMEOUT_MS });
  const strategies = await quickRows(wb);
  await capture(wb, choices, 'wizard-strategy.png');
  const strategyStep = await pickQuickRow(wb, 'Strategy for', /recommended/);
  // The settings review: change the epochs through its own pick, then start.
  const settingsInput = wb.quickInput.locator('.quick-input-box input[placeholder*="Settings for"]');
  await settingsInput.waitFor({ timeout: EXTENSION_READY_TIMEOUT_MS }); // token lengths are measured first
  const settingsStep = (await settingsInput.getAttribute('placeholder')) ?? '';
  await clickRow(wb, /^Epochs: /);
  await pickQuickRow(wb, 'Epochs for', new RegExp(`^${choices.epochs}(,|$)`));
  await wb.quickInput.getByRole('option', { name: new RegExp(`^Epochs: ${choices.epochs},`) }).waitFor({ timeout: UI_TIMEOUT_MS });
  const settings = await quickRows(wb);
  await capture(wb, choices, 'wizard-settings.png');
  await pickQuickRow(wb, 'Settings for', /Start fine-tuning/);
  return { taskStep, textStep, labelStep, modelStep, strategyStep, strategies, settingsStep, settings };
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
  return walkWizard(wb, choices);
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
