// Pure text logic behind the prompt commands: which text a command takes (the paragraph around
// the cursor, the blocks of a `*.prompt.md` file), label lists and mask tokens. No `vscode`
// import, so test/extension/promptText.test.ts runs it under node's test runner.

/** Mask tokens Fill Mask recognises: BERT-style and RoBERTa-style vocabularies. */
export const MASK_TOKENS = ['[MASK]', '<mask>'] as const;

/** A range of whole lines, both ends inclusive (0-based), as VS Code numbers them. */
export interface LineSpan {
  readonly startLine: number;
  readonly endLine: number;
}

/** A block of a prompt file: its lines and its text (trimmed of surrounding blank lines). */
export interface PromptBlock extends LineSpan {
  readonly text: string;
}

const isBlank = (line: string): boolean => line.trim() === '';
/** A Markdown thematic break made of dashes (`---`, `- - -`), which separates prompt blocks. */
const isSeparator = (line: string): boolean => /^ {0,3}-(?:\s*-){2,}\s*$/.test(line);

/**
 * The paragraph around `line`: the run of non-blank lines containing it. On a blank line, the
 * paragraph just above (the one you finished typing), else the one below; undefined if none.
 */
export function paragraphAt(lines: readonly string[], line: number): LineSpan | undefined {
  if (lines.length === 0) return undefined;
  let at = Math.min(Math.max(line, 0), lines.length - 1);
  if (isBlank(lines[at]!)) {
    let up = at;
    while (up >= 0 && isBlank(lines[up]!)) up--;
    if (up >= 0) at = up;
    else {
      let down = at;
      while (down < lines.length && isBlank(lines[down]!)) down++;
      if (down === lines.length) return undefined;
      at = down;
    }
  }
  let startLine = at;
  while (startLine > 0 && !isBlank(lines[startLine - 1]!)) startLine--;
  let endLine = at;
  while (endLine < lines.length - 1 && !isBlank(lines[endLine + 1]!)) endLine++;
  return { startLine, endLine };
}

/**
 * Splits a `*.prompt.md` file into prompt blocks: runs of lines separated by blank lines or by a
 * `---` line. Blocks made only of whitespace are dropped.
 */
export function splitPromptBlocks(text: string): PromptBlock[] {
  const lines = text.split(/\r?\n/);
  const blocks: PromptBlock[] = [];
  let start: number | undefined;
  const close = (end: number): void => {
    if (start !== undefined) blocks.push({ startLine: start, endLine: end, text: lines.slice(start, end + 1).join('\n') });
    start = undefined;
  };
  lines.forEach((line, i) => {
    if (isBlank(line) || isSeparator(line)) close(i - 1);
    else start ??= i;
  });
  close(lines.length - 1);
  return blocks;
}

/**
 * Parses "positive, negative , neutral" into distinct, trimmed labels in order. Empty pieces are
 * dropped; duplicates (exact, after trimming) are kept once.
 */
export function parseLabels(input: string): string[] {
  const labels: string[] = [];
  for (const piece of input.split(',')) {
    const label = piece.trim();
    if (label !== '' && !labels.includes(label)) labels.push(label);
  }
  return labels;
}

/** Why a label list cannot be used, or undefined when it can (at least two labels). */
export function validateLabels(input: string): string | undefined {
  const count = parseLabels(input).length;
  return count >= 2 ? undefined : 'Give at least two labels, separated by commas (for example: positive, negative).';
}

/** The mask tokens in `text`, in order of appearance (one entry per occurrence). */
export function findMasks(text: string): { readonly token: string; readonly offset: number }[] {
  const found: { token: string; offset: number }[] = [];
  for (const token of MASK_TOKENS) {
    for (let at = text.indexOf(token); at !== -1; at = text.indexOf(token, at + token.length)) found.push({ token, offset: at });
  }
  return found.sort((a, b) => a.offset - b.offset);
}

/** Model heads that can continue a prompt (Run Prompt). */
export const GENERATION_HEADS: ReadonlySet<string> = new Set(['causal-lm', 'seq2seq-lm']);
/** Model heads that can score labels zero-shot (Classify Selection). */
export const CLASSIFICATION_HEADS: ReadonlySet<string> = new Set(['masked-lm', 'causal-lm', 'seq2seq-lm']);
/** Model heads that can fill a mask (Fill Mask). */
export const FILL_MASK_HEADS: ReadonlySet<string> = new Set(['masked-lm']);

/** The template Classify Selection offers first; `{text}` and `{label}` are filled by the server. */
export const DEFAULT_CLASSIFY_TEMPLATE = '{text} It was {label}.';

/** Why a classification template is unusable, or undefined (it needs both placeholders). */
export function validateTemplate(template: string): string | undefined {
  const missing = ['{text}', '{label}'].filter((p) => !template.includes(p));
  return missing.length === 0 ? undefined : `The template needs ${missing.join(' and ')}.`;
}

/** Labels with calibrated and raw probabilities, most probable (calibrated) first. */
export function rankLabels(labels: readonly string[], probabilities: readonly number[], raw: readonly number[]): { label: string; probability: number; raw: number }[] {
  return labels
    .map((label, i) => ({ label, probability: probabilities[i] ?? 0, raw: raw[i] ?? 0 }))
    .sort((a, b) => b.probability - a.probability);
}
