// The extension's command ids, titles and context keys as plain data (no `vscode` import), so
// the unit test in test/extension/ can check them against package.json's `contributes`.

/** Category shown before every title in the Command Palette ("Transfer Lab: …"). */
export const COMMAND_CATEGORY = 'Transfer Lab';

/** Every command the extension contributes; `title` must equal package.json's title. */
export const COMMANDS = {
  fineTune: { id: 'transferLab.fineTune', title: 'Fine-tune on this dataset…' },
  editRunConfig: { id: 'transferLab.editRunConfig', title: 'Edit Fine-tune Configuration as JSON…' },
  runConfigFile: { id: 'transferLab.runConfigFile', title: 'Run Fine-tune Configuration' },
  pretrain: { id: 'transferLab.pretrain', title: 'Pretrain…' },
  showTrainingPanel: { id: 'transferLab.showTrainingPanel', title: 'Show Training Panel' },
  cancelRun: { id: 'transferLab.cancelRun', title: 'Cancel Run' },
  showLogs: { id: 'transferLab.showLogs', title: 'Show Server Logs' },
  restartServer: { id: 'transferLab.restartServer', title: 'Restart Training Server' },
  // Models and Runs views, Attention panel
  inspectAttention: { id: 'transferLab.inspectAttention', title: 'Inspect Attention…' },
  fineTuneFromModel: { id: 'transferLab.fineTuneFromModel', title: 'Fine-tune from This Model…' },
  revealModel: { id: 'transferLab.revealModel', title: 'Reveal in Explorer' },
  refreshModels: { id: 'transferLab.refreshModels', title: 'Refresh Models' },
  refreshRuns: { id: 'transferLab.refreshRuns', title: 'Refresh Runs' },
  openRunCurves: { id: 'transferLab.openRunCurves', title: 'Open Curves' },
  openForgetting: { id: 'transferLab.openForgetting', title: 'Open Forgetting' },
  revealRunFolder: { id: 'transferLab.revealRunFolder', title: 'Reveal Run Folder' },
  deleteRun: { id: 'transferLab.deleteRun', title: 'Delete Run…' },
  compareRuns: { id: 'transferLab.compareRuns', title: 'Compare with…' },
  resumeRun: { id: 'transferLab.resumeRun', title: 'Resume Run' },
  exportRunModel: { id: 'transferLab.exportRunModel', title: 'Export Hugging Face Folder…' },
  exportRunAdapter: { id: 'transferLab.exportRunAdapter', title: 'Export PEFT Adapter…' },
  exportRunReport: { id: 'transferLab.exportRunReport', title: 'Export Report…' },
  promptWithModel: { id: 'transferLab.promptWithModel', title: 'Prompt with This Model…' },
  openSampleDataset: { id: 'transferLab.openSampleDataset', title: 'Open Sample Dataset' },
  runPrompt: { id: 'transferLab.runPrompt', title: 'Run Prompt' },
  classifySelection: { id: 'transferLab.classifySelection', title: 'Zero-shot Classify Selection…' },
  fillMask: { id: 'transferLab.fillMask', title: 'Fill Mask' },
  // Notebooks
  exportRunNotebook: { id: 'transferLab.exportRunNotebook', title: 'Export Run to Notebook…' },
} as const;

export type CommandKey = keyof typeof COMMANDS;
export type CommandId = (typeof COMMANDS)[CommandKey]['id'];

/** The "Transfer Lab" activity-bar container and its views (package.json viewsContainers / views). */
export const VIEW_CONTAINER_ID = 'transferLab';
export const VIEW_IDS = {
  models: 'transferLab.models',
  runs: 'transferLab.runs',
} as const;

/**
 * The webview panels' view types. Each has a serializer (panels come back after a window reload)
 * and, in package.json, an `onWebviewPanel:<type>` activation event so the extension is there to restore it.
 */
export const PANEL_VIEW_TYPES = {
  training: 'transferLab.training',
  forgetting: 'transferLab.forgetting',
  attention: 'transferLab.attention',
  prompt: 'transferLab.prompt',
} as const;
/** The Getting Started walkthrough (package.json contributes.walkthroughs) and its steps, in order. */
export const WALKTHROUGH_ID = 'transferLab.gettingStarted';
export const WALKTHROUGH_STEPS = ['sampleDataset', 'fineTune', 'curves', 'attention', 'prompt'] as const;

/** Context keys set with `setContext`, used in package.json `when` clauses. */
export const CONTEXT_KEYS = {
  /** At least one run is queued or running (drives "Cancel Run" in the palette). */
  hasActiveRuns: 'transferLab.hasActiveRuns',
} as const;

/** Dataset file extensions the fine-tune command accepts (without the dot). */
export const DATASET_EXTENSIONS = ['csv', 'tsv', 'jsonl', 'json'] as const;

/** Run configuration files ("Edit as JSON" writes them; a CodeLens and the editor title run them). */
export const RUN_CONFIG_FILE_GLOB = '**/*.tlab.json';

/** Dataset files that get the rows / labels / "Fine-tune…" CodeLens on their first line. */
export const DATASET_FILE_GLOB = `**/*.{${DATASET_EXTENSIONS.join(',')}}`;

/** Files whose blocks get a "Run prompt" CodeLens (blocks: separated by blank lines or `---`). */
export const PROMPT_FILE_GLOB = '**/*.prompt.md';
