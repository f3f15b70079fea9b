// Collects a table's rows as they stream in: all of them up to MAX_TABLE_ROWS, or a seeded uniform
// sample of `limit` rows (reservoir sampling), so memory stays bounded whatever the file's size.
import { UserError } from '../errors';
import { createRng, type Rng } from '../random';

/**
 * Most rows a table holds in memory. Beyond it one run would take hours per epoch on a CPU
 * (about 2 optimizer steps of 32 rows per second with the tiny preset on WebAssembly) and its
 * rows, tokens and examples would take gigabytes, so the reader stops early and says how to sample.
 */
export const MAX_TABLE_ROWS = 1_000_000;

export interface SampleOptions {
  /** Keep a seeded uniform random sample of this many rows (in file order); 0 or absent = every row. */
  readonly limit?: number;
  /** Seed of the sample (default 0). */
  readonly seed?: number;
}

const count = (n: number): string => n.toLocaleString('en-US');

export class RowCollector<Row> {
  private readonly kept: Row[] = [];
  /** File index of each kept row, while sampling (so the sample can be put back in file order). */
  private readonly keptIndex: number[] = [];
  private readonly limit: number;
  private readonly rng: Rng;
  /** Rows offered so far (the file's row count once reading ends). */
  seen = 0;

  constructor(private readonly path: string, opts: SampleOptions = {}) {
    this.limit = opts.limit !== undefined && opts.limit > 0 ? opts.limit : 0;
    this.rng = createRng(opts.seed ?? 0);
  }

  add(row: Row): void {
    const index = this.seen++;
    if (this.limit > 0 && this.kept.length >= this.limit) {
      // Algorithm R: row `index` replaces a kept one with probability limit / (index + 1).
      const slot = this.rng.int(index + 1);
      if (slot < this.limit) {
        this.kept[slot] = row;
        this.keptIndex[slot] = index;
      }
      return;
    }
    if (this.kept.length >= MAX_TABLE_ROWS) {
      throw new UserError(
        `${this.path} has more than ${count(MAX_TABLE_ROWS)} rows, more than one run can hold. ` +
          `Train on a random sample of it with --limit N (N up to ${count(MAX_TABLE_ROWS)}), or split the file.`,
      );
    }
    this.kept.push(row);
    if (this.limit > 0) this.keptIndex.push(index);
  }

  /** The kept rows in file order. */
  rows(): Row[] {
    if (this.limit === 0 || this.seen <= this.limit) return this.kept;
    const order = this.keptIndex.map((index, slot) => ({ index, slot })).sort((a, b) => a.index - b.index);
    return order.map(({ slot }) => this.kept[slot] as Row);
  }
}
