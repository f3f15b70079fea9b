// One step of a multi-step quick pick: title with a step counter, a Back button after the first
// step, extra title-bar buttons (e.g. "Edit as JSON"), Escape resolving to 'cancel', and a handle
// to fill item details lazily.
import * as vscode from 'vscode';

export interface StepItem<T> extends vscode.QuickPickItem {
  readonly value: T;
}

export type StepResult<T> =
  | { readonly kind: 'picked'; readonly value: T }
  | { readonly kind: 'back' }
  | { readonly kind: 'cancel' }
  /** One of `StepOptions.buttons` was pressed. */
  | { readonly kind: 'button'; readonly id: string };

/** A title-bar button of every step (a codicon and its tooltip). */
export interface StepButton {
  readonly id: string;
  readonly icon: string;
  readonly tooltip: string;
}

/** Lets a step change its items while shown (e.g. a label distribution that arrived). */
export interface StepHandle<T> {
  setDetail(value: T, detail: string): void;
  setBusy(busy: boolean): void;
}

export interface StepOptions<T> {
  /** Shown as "<title> (step/totalSteps)". */
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
  readonly placeholder: string;
  /** The first item is the default and is highlighted. */
  readonly items: readonly StepItem<T>[];
  readonly buttons?: readonly StepButton[];
  readonly onDidShow?: (handle: StepHandle<T>) => void;
  readonly onDidChangeActive?: (value: T, handle: StepHandle<T>) => void;
}

export function pickStep<T>(options: StepOptions<T>): Promise<StepResult<T>> {
  const pick = vscode.window.createQuickPick<StepItem<T>>();
  pick.title = options.title;
  pick.step = options.step;
  pick.totalSteps = options.totalSteps;
  pick.placeholder = options.placeholder;
  pick.items = options.items;
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.ignoreFocusOut = true; // the user may glance at the dataset in the editor meanwhile
  const extra = (options.buttons ?? []).map((b) => ({ button: { iconPath: new vscode.ThemeIcon(b.icon), tooltip: b.tooltip }, id: b.id }));
  pick.buttons = [...(options.step > 1 ? [vscode.QuickInputButtons.Back] : []), ...extra.map((e) => e.button)];
  const firstItem = options.items[0];
  if (firstItem !== undefined) pick.activeItems = [firstItem];

  const handle: StepHandle<T> = {
    setDetail(value, detail) {
      const index = pick.items.findIndex((i) => i.value === value);
      const old = pick.items[index];
      if (old === undefined || old.detail === detail) return;
      const active = pick.activeItems[0]?.value;
      const replaced = { ...old, detail };
      pick.items = pick.items.map((i, j) => (j === index ? replaced : i));
      // Replacing items resets the highlight; put it back where the user left it.
      const again = pick.items.find((i) => i.value === active);
      if (again !== undefined) pick.activeItems = [again];
    },
    setBusy(busy) {
      pick.busy = busy;
    },
  };

  return new Promise<StepResult<T>>((resolve) => {
    let settled = false;
    const finish = (result: StepResult<T>): void => {
      if (settled) return;
      settled = true;
      resolve(result);
      pick.dispose();
    };
    pick.onDidTriggerButton((b) => {
      if (b === vscode.QuickInputButtons.Back) finish({ kind: 'back' });
      const pressed = extra.find((e) => e.button === b);
      if (pressed !== undefined) finish({ kind: 'button', id: pressed.id });
    });
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
      if (chosen !== undefined) finish({ kind: 'picked', value: chosen.value });
    });
    pick.onDidChangeActive((items) => {
      const item = items[0];
      if (item !== undefined) options.onDidChangeActive?.(item.value, handle);
    });
    pick.onDidHide(() => finish({ kind: 'cancel' }));
    pick.show();
    options.onDidShow?.(handle);
  });
}
