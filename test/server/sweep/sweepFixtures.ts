/**
 * Fixtures for sweep tests: the tiny sentiment CSV split into a training file and a separate
 * validation file (every 5th row), written to a temporary folder.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLabelledDataset } from '../../../server/datasets/labelledDataset';
import { FIXTURE_CSV, tempDir } from '../finetune/finetuneFixtures';

const csvCell = (s: string): string => `"${s.replace(/"/g, '""')}"`;

export interface SplitFiles {
  readonly dir: string;
  readonly train: string;
  readonly val: string;
  readonly trainRows: number;
  readonly valRows: number;
}

/** train.csv (4 of every 5 rows) and val.csv (the 5th) from the fixture, same columns. */
export async function splitFixture(): Promise<SplitFiles> {
  const ds = await loadLabelledDataset(FIXTURE_CSV);
  const dir = tempDir('tl-sweep-data-');
  const rows = ds.examples.map((e) => `${csvCell(e.text)},${ds.labelNames[e.label] ?? ''}`);
  const val = rows.filter((_, i) => i % 5 === 4);
  const train = rows.filter((_, i) => i % 5 !== 4);
  const write = (name: string, lines: readonly string[]): string => {
    const path = join(dir, name);
    writeFileSync(path, ['text,label', ...lines].join('\n') + '\n');
    return path;
  };
  return { dir, train: write('train.csv', train), val: write('val.csv', val), trainRows: train.length, valRows: val.length };
}
