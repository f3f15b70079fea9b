// The extension's command ids, titles and context keys as plain data (no `vscode` import), so
// the unit test in test/extension/ can check them against package.json's `contributes`.

/** Category shown before every title in the Command Palette ("Transfer Lab: …"). */
export const COMMAND_CATEGORY = 'Transfer Lab';

/** Every command the extension contributes; `title` must equal package.json's title. */
export const COMMANDS = {
  fineTune: { id: 'transferLab.fineTune', title: 'Fine-tune on this dataset…' },
  showTrainingPanel: { id: 'transferLab.showTrainingPanel', title: 'Show Training Panel' },
  cancelRun: { id: 'transferLab.cancelRun', title: 'Cancel Run' },
  showLogs: { id: 'transferLab.showLogs', title: 'Show Server Logs' },
  restartServer: { id: 'transferLab.restartServer', title: 'Restart Training Server' },
} as const;

export type CommandKey = keyof typeof COMMANDS;
export type CommandId = (typeof COMMANDS)[CommandKey]['id'];

/** Context keys set with `setContext`, used in package.json `when` clauses. */
export const CONTEXT_KEYS = {
  /** At least one run is queued or running (drives "Cancel Run" in the palette). */
  hasActiveRuns: 'transferLab.hasActiveRuns',
} as const;

/** Dataset file extensions the fine-tune command accepts (without the dot). */
export const DATASET_EXTENSIONS = ['csv', 'tsv', 'jsonl', 'json'] as const;
