/**
 * The examples a sequence-classification run trains and validates on (single texts or text
 * pairs): the training file, split by a seeded stratified split (or a separate validation file),
 * its training part optionally cut to a seeded stratified subsample of `limit` rows. Examples are
 * references into the loaded files so that per-file caches (features) can be shared by runs with
 * other splits or limits.
 */
import type { FineTuneConfig } from '../protocol';
import { UserError } from '../errors';
import { loadLabelledDataset, type LabelledExample } from '../datasets/labelledDataset';
import { loadPairDataset } from '../datasets/pairDataset';
import { stratifiedSplit, stratifiedSubsample } from '../datasets/split';
import { MAX_TABLE_ROWS } from '../datasets/rowCollector';

/** A labelled text, or text pair (NLI, paraphrase) when the run names a text pair column. */
export interface RunExample extends LabelledExample {
  readonly pair?: string;
}

export interface DataSource {
  readonly path: string;
  readonly textColumn: string;
  readonly labelColumn: string;
  /** The second text's column; '' for single texts. */
  readonly pairColumn: string;
  /** Every usable row of the file (or of its seeded sample); labels are ids into RunData.labelNames. */
  readonly examples: readonly RunExample[];
  /** Set when the file was too large to hold whole and a seeded sample of it was read. */
  readonly sample?: { readonly rows: number; readonly seed: number };
}

export interface ExampleRef {
  /** Index into RunData.sources (0: the training file, 1: the validation file). */
  readonly source: number;
  readonly row: number;
}

export interface RunData {
  readonly labelNames: readonly string[];
  readonly sources: readonly DataSource[];
  readonly train: readonly ExampleRef[];
  readonly val: readonly ExampleRef[];
}

export function exampleOf(data: RunData, ref: ExampleRef): RunExample {
  const e = data.sources[ref.source]?.examples[ref.row];
  if (e === undefined) throw new Error(`no example ${ref.source}:${ref.row}`);
  return e;
}

interface Columns {
  readonly textColumn: string;
  readonly pairColumn: string;
  readonly labelColumn: string;
}

/** One file as a source: single texts, or pairs when a pair column is named. */
async function loadSource(path: string, c: Columns, sample?: DataSource['sample']): Promise<DataSource & { labelNames: readonly string[] }> {
  const read = sample === undefined ? {} : { limit: sample.rows, seed: sample.seed };
  if (c.pairColumn === '') {
    const d = await loadLabelledDataset(path, { textColumn: c.textColumn, labelColumn: c.labelColumn, ...read });
    return { path: d.path, textColumn: d.textColumn, labelColumn: d.labelColumn, pairColumn: '', examples: d.examples, labelNames: d.labelNames, ...(sample === undefined ? {} : { sample }) };
  }
  return { ...(await loadPairDataset(path, { ...c, ...read })), ...(sample === undefined ? {} : { sample }) };
}

/** The reader's refusal of a file with more rows than one run can hold (rowCollector.ts). */
const isTooManyRows = (err: unknown): boolean => err instanceof UserError && err.message.includes(`more than ${MAX_TABLE_ROWS.toLocaleString('en-US')} rows`);

/**
 * The training file, whole; or, when it is too large to hold and --limit asks for a subsample, a
 * seeded sample of it large enough for the subsample and its validation share. Files that fit are
 * always read whole, so --limit keeps the validation rows of the full split.
 */
function loadTraining(config: FineTuneConfig, c: Columns): ReturnType<typeof loadSource> {
  return loadSource(config.dataset, c).catch((err: unknown) => {
    if (config.limit === 0 || !isTooManyRows(err)) throw err;
    const rows = config.valDataset !== '' ? config.limit : Math.ceil(config.limit / (1 - config.valFraction));
    return loadSource(config.dataset, c, { rows, seed: config.seed });
  });
}

/** The validation file, read with the training file's columns and label ids. */
async function loadValidation(config: FineTuneConfig, columns: Columns, labelNames: readonly string[]): Promise<DataSource> {
  const val = await loadSource(config.valDataset, columns);
  const ids = new Map(labelNames.map((name, i) => [name, i]));
  const unknown = val.labelNames.filter((n) => !ids.has(n));
  if (unknown.length > 0) {
    throw new UserError(`${config.valDataset} has labels the training file lacks: ${unknown.slice(0, 5).join(', ')}. Training labels: ${labelNames.join(', ')}.`);
  }
  const examples = val.examples.map((e) => ({ ...e, label: ids.get(val.labelNames[e.label] ?? '') ?? 0 }));
  return { path: val.path, textColumn: val.textColumn, labelColumn: val.labelColumn, pairColumn: val.pairColumn, examples };
}

export async function loadRunData(config: FineTuneConfig): Promise<RunData> {
  const pairColumn = config.textPairColumn ?? ''; // absent from runs recorded before pairs existed
  const train = await loadTraining(config, { textColumn: config.textColumn, pairColumn, labelColumn: config.labelColumn });
  const sources: DataSource[] = [{
    path: train.path, textColumn: train.textColumn, labelColumn: train.labelColumn, pairColumn: train.pairColumn, examples: train.examples,
    ...(train.sample !== undefined ? { sample: train.sample } : {}),
  }];
  const labels = train.examples.map((e) => e.label);
  let trainRows: number[];
  let val: ExampleRef[];
  if (config.valDataset !== '') {
    sources.push(await loadValidation(config, train, train.labelNames));
    trainRows = labels.map((_, i) => i);
    val = (sources[1]?.examples ?? []).map((_, row) => ({ source: 1, row }));
  } else {
    const split = stratifiedSplit(labels, config.valFraction, config.seed);
    trainRows = split.train;
    val = split.val.map((row) => ({ source: 0, row }));
  }
  if (config.limit > 0 && config.limit < trainRows.length) {
    const picked = stratifiedSubsample(trainRows.map((r) => labels[r] ?? 0), config.limit, config.seed);
    trainRows = picked.map((i) => trainRows[i] as number);
  }
  return { labelNames: train.labelNames, sources, train: trainRows.map((row) => ({ source: 0, row })), val };
}
