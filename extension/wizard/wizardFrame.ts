// What every step of the fine-tune wizard shares: its place (title, step n of m), the
// "Edit as JSON" title-bar button, and how a quick-pick result moves the wizard on.
import type { StepButton, StepResult } from './quickPickStep';

/** Where the wizard goes after a step: on, back, away, or to the JSON file. */
export type Outcome = 'next' | 'back' | 'cancel' | 'json';

export const EDIT_AS_JSON_BUTTON: StepButton = { id: 'json', icon: 'json', tooltip: 'Edit as JSON: open the full run configuration in a .tlab.json file' };

export interface StepFrame {
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
  readonly buttons: readonly StepButton[];
}

/** Applies a picked value and says where to go; the JSON button ends the quick picks. */
export function outcomeOf<T>(r: StepResult<T>, apply: (value: T) => void): Outcome {
  if (r.kind === 'picked') {
    apply(r.value);
    return 'next';
  }
  return r.kind === 'button' ? 'json' : r.kind;
}
