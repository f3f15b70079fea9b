// Label distributions and row counts as one line of text, shared by the wizard and the dataset
// CodeLens ("ham 87% · spam 13%"). Pure (no vscode).
import type { DatasetSummary, LabelCount } from '../../server/protocol';

/** Labels named before "+N more". */
export const SHOWN_LABELS = 4;

/** "ham 87% · spam 13%", the most frequent labels first. */
export function formatDistribution(labels: readonly LabelCount[], shown = SHOWN_LABELS): string {
  const total = labels.reduce((sum, l) => sum + l.count, 0);
  if (total === 0) return 'no values';
  const named = labels.slice(0, shown).map((l) => `${l.label} ${Math.round((100 * l.count) / total)}%`);
  const more = labels.length - shown;
  return more > 0 ? `${named.join(' · ')} · +${more} more` : named.join(' · ');
}

/** "5,574 rows" */
export function formatRows(rows: number): string {
  return `${rows.toLocaleString('en-US')} row${rows === 1 ? '' : 's'}`;
}

/** The dataset CodeLens: "60 rows · labels: negative 50% · positive 50% · Fine-tune…". */
export function datasetLensTitle(s: Pick<DatasetSummary, 'rows' | 'labels' | 'columns'>): string {
  const parts = [formatRows(s.rows)];
  parts.push(s.labels.length >= 2 ? `labels: ${formatDistribution(s.labels)}` : `${s.columns.length} column${s.columns.length === 1 ? '' : 's'}`);
  return `${parts.join(' · ')} · Fine-tune…`;
}
