// A dataset of labelled text pairs (NLI, paraphrase): two text columns and a label column. The
// second text column is never guessed — two text columns may just as well be a title and a body.
import { UserError } from '../errors';
import { MAX_LABELS, sortLabelNames, type LabelledExample } from './labelledDataset';
import type { SampleOptions } from './readTable';
import { readTextColumns } from './textColumns';

export interface PairExample extends LabelledExample {
  /** The second text of the pair. */
  readonly pair: string;
}

export interface PairDataset {
  readonly path: string;
  readonly textColumn: string;
  readonly pairColumn: string;
  readonly labelColumn: string;
  readonly labelNames: readonly string[];
  readonly examples: readonly PairExample[];
  readonly skippedRows: number;
}

export interface PairLoadOptions extends SampleOptions {
  /** "" = detect. */
  readonly textColumn?: string;
  /** Required. */
  readonly pairColumn: string;
  /** "" = detect. */
  readonly labelColumn?: string;
}

export async function loadPairDataset(path: string, opts: PairLoadOptions): Promise<PairDataset> {
  const read = await readTextColumns(path, [
    { role: 'text', name: opts.textColumn ?? '', detect: 'text', option: '--text-col' },
    { role: 'text pair', name: opts.pairColumn, detect: 'never', option: '--text-pair-col' },
    { role: 'label', name: opts.labelColumn ?? '', detect: 'label', option: '--label-col' },
  ], opts);
  const [textColumn = '', pairColumn = '', labelColumn = ''] = read.columns;
  const distinct = new Set(read.rows.map((r) => (r[2] ?? '').trim()));
  if (distinct.size > MAX_LABELS) {
    throw new UserError(`${path}: column "${labelColumn}" has ${distinct.size} distinct values, so it looks like free text, not labels. Choose another column with --label-col.`);
  }
  if (distinct.size < 2) {
    throw new UserError(`${path} has a single label (${JSON.stringify([...distinct][0] ?? '')}) in column "${labelColumn}": a classifier needs at least two. Check the label column.`);
  }
  const labelNames = sortLabelNames(distinct);
  const ids = new Map(labelNames.map((n, i) => [n, i]));
  const examples = read.rows.map((r) => ({ text: r[0] ?? '', pair: r[1] ?? '', label: ids.get((r[2] ?? '').trim()) ?? 0 }));
  return { path, textColumn, pairColumn, labelColumn, labelNames, examples, skippedRows: read.skippedRows };
}
